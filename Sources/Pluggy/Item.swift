#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A user's connection to an institution (`GET /items/{id}`).
///
/// Members Pluggy types as `X | null` are always encoded, as `null` when empty, exactly as Pluggy sends
/// them; if a response left one out, it stays out (`omittedKeys`). Unknown members are kept.
public struct Item: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var connector: Connector
    public var status: ItemStatus
    public var executionStatus: ExecutionStatus
    /// Why the last execution failed.
    public var error: ExecutionErrorResult?
    /// Per product, when the status is PARTIAL_SUCCESS or a product has warnings.
    public var statusDetail: ItemProductsStatusDetail?
    /// The MFA parameter the item waits for (WAITING_USER_INPUT).
    public var parameter: ConnectorCredential?
    /// What the user must do on their device (WAITING_USER_ACTION).
    public var userAction: UserAction?
    /// Date of the first connection.
    public var createdAt: Date
    /// Date of the last item-related change.
    public var updatedAt: Date
    /// Last successful sync with the institution.
    public var lastUpdatedAt: Date?
    /// Next automatic sync; null when auto-sync is off for this item.
    public var nextAutoSyncAt: Date?
    public var consentExpiresAt: Date?
    /// Consecutive executions that ended in LOGIN_ERROR.
    public var consecutiveFailedLoginAttempts: Int
    public var clientUserId: String?
    public var webhookUrl: String?
    public var products: [ProductType]?
    public var resourcesCollectedAt: Date?
    public var hasResourcesPendingAuthorization: Bool?
    public var additionalFields: [String: JSONValue]
    /// Nullable members that were absent from the decoded JSON (not re-encoded).
    public var omittedKeys: Set<String>

    public init(
        id: String, connector: Connector, status: ItemStatus, executionStatus: ExecutionStatus,
        error: ExecutionErrorResult? = nil, statusDetail: ItemProductsStatusDetail? = nil,
        parameter: ConnectorCredential? = nil, userAction: UserAction? = nil, createdAt: Date, updatedAt: Date,
        lastUpdatedAt: Date? = nil, nextAutoSyncAt: Date? = nil, consentExpiresAt: Date? = nil,
        consecutiveFailedLoginAttempts: Int = 0, clientUserId: String? = nil, webhookUrl: String? = nil,
        products: [ProductType]? = nil
    ) {
        self.id = id
        self.connector = connector
        self.status = status
        self.executionStatus = executionStatus
        self.error = error
        self.statusDetail = statusDetail
        self.parameter = parameter
        self.userAction = userAction
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastUpdatedAt = lastUpdatedAt
        self.nextAutoSyncAt = nextAutoSyncAt
        self.consentExpiresAt = consentExpiresAt
        self.consecutiveFailedLoginAttempts = consecutiveFailedLoginAttempts
        self.clientUserId = clientUserId
        self.webhookUrl = webhookUrl
        self.products = products
        self.additionalFields = [:]
        self.omittedKeys = []
    }

    /// Whether an execution is running (UPDATING or MERGING). Every other status waits for someone.
    public var isRunning: Bool { status == .updating || status == .merging }

    /// Members typed `X | null`, always sent by Pluggy.
    static let nullableKeys = [
        "error", "statusDetail", "parameter", "userAction", "lastUpdatedAt", "nextAutoSyncAt", "consentExpiresAt",
        "clientUserId", "webhookUrl",
    ]
    /// Members only some responses carry (OpenAPI model), encoded when present.
    static let optionalKeys = ["products", "resourcesCollectedAt", "hasResourcesPendingAuthorization"]
    /// The members this model reads and writes by name.
    public static let knownKeys = Set(
        ["id", "connector", "status", "executionStatus", "createdAt", "updatedAt", "consecutiveFailedLoginAttempts"]
            + nullableKeys + optionalKeys)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.decode(String.self, forKey: "id")
        connector = try c.decode(Connector.self, forKey: "connector")
        status = try c.decode(ItemStatus.self, forKey: "status")
        executionStatus = try c.decode(ExecutionStatus.self, forKey: "executionStatus")
        error = try c.decodeIfPresent(ExecutionErrorResult.self, forKey: "error")
        statusDetail = try c.decodeIfPresent(ItemProductsStatusDetail.self, forKey: "statusDetail")
        parameter = try c.decodeIfPresent(ConnectorCredential.self, forKey: "parameter")
        userAction = try c.decodeIfPresent(UserAction.self, forKey: "userAction")
        createdAt = try c.decode(Date.self, forKey: "createdAt")
        updatedAt = try c.decode(Date.self, forKey: "updatedAt")
        lastUpdatedAt = try c.decodeIfPresent(Date.self, forKey: "lastUpdatedAt")
        nextAutoSyncAt = try c.decodeIfPresent(Date.self, forKey: "nextAutoSyncAt")
        consentExpiresAt = try c.decodeIfPresent(Date.self, forKey: "consentExpiresAt")
        consecutiveFailedLoginAttempts = try c.decodeIfPresent(Int.self, forKey: "consecutiveFailedLoginAttempts") ?? 0
        clientUserId = try c.decodeIfPresent(String.self, forKey: "clientUserId")
        webhookUrl = try c.decodeIfPresent(String.self, forKey: "webhookUrl")
        products = try c.decodeIfPresent([ProductType].self, forKey: "products")
        resourcesCollectedAt = try c.decodeIfPresent(Date.self, forKey: "resourcesCollectedAt")
        hasResourcesPendingAuthorization = try c.decodeIfPresent(Bool.self, forKey: "hasResourcesPendingAuthorization")
        additionalFields = try c.unknownMembers(known: Self.knownKeys)
        var omitted = Set(Self.nullableKeys.filter { !c.contains(AnyCodingKey($0)) })
        if !c.contains("consecutiveFailedLoginAttempts") { omitted.insert("consecutiveFailedLoginAttempts") }
        omittedKeys = omitted
        for key in Self.optionalKeys where c.contains(AnyCodingKey(key)) && (try? c.decodeNil(forKey: AnyCodingKey(key))) == true {
            additionalFields[key] = .null
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeMembers(additionalFields)
        func nullable<T: Encodable>(_ value: T?, _ key: String) throws {
            try c.encode(value, forKey: AnyCodingKey(key), nullWhenNil: !omittedKeys.contains(key))
        }
        try c.encode(id, forKey: "id")
        try c.encode(connector, forKey: "connector")
        try c.encode(status, forKey: "status")
        try c.encode(executionStatus, forKey: "executionStatus")
        try nullable(error, "error")
        try nullable(statusDetail, "statusDetail")
        try nullable(parameter, "parameter")
        try nullable(userAction, "userAction")
        try c.encode(createdAt, forKey: "createdAt")
        try c.encode(updatedAt, forKey: "updatedAt")
        try nullable(lastUpdatedAt, "lastUpdatedAt")
        try nullable(nextAutoSyncAt, "nextAutoSyncAt")
        try nullable(consentExpiresAt, "consentExpiresAt")
        if !(omittedKeys.contains("consecutiveFailedLoginAttempts") && consecutiveFailedLoginAttempts == 0) {
            try c.encode(consecutiveFailedLoginAttempts, forKey: "consecutiveFailedLoginAttempts")
        }
        try nullable(clientUserId, "clientUserId")
        try nullable(webhookUrl, "webhookUrl")
        try c.encodeIfPresent(products, forKey: "products")
        try c.encodeIfPresent(resourcesCollectedAt, forKey: "resourcesCollectedAt")
        try c.encodeIfPresent(hasResourcesPendingAuthorization, forKey: "hasResourcesPendingAuthorization")
    }
}

/// `item.error`: why an execution failed. `code` is the same value as the execution status.
public struct ExecutionErrorResult: Codable, Hashable, Sendable {
    public var code: ExecutionStatus
    public var message: String
    /// The institution's own words, when it gave any.
    public var providerMessage: String?
    /// Extra data for later executions (device authorization flows).
    public var attributes: [String: JSONValue]?

    public init(code: ExecutionStatus, message: String, providerMessage: String? = nil,
                attributes: [String: JSONValue]? = nil) {
        self.code = code
        self.message = message
        self.providerMessage = providerMessage
        self.attributes = attributes
    }
}

/// `item.userAction`: what the user must do outside the widget (authorize in the bank's app, scan a QR).
public struct UserAction: Codable, Hashable, Sendable {
    public var instructions: String
    public var type: UserActionType
    public var attributes: [String: String]?
    public var expiresAt: Date?

    public init(instructions: String, type: UserActionType, attributes: [String: String]? = nil,
                expiresAt: Date? = nil) {
        self.instructions = instructions
        self.type = type
        self.attributes = attributes
        self.expiresAt = expiresAt
    }
}

/// `item.statusDetail`: per product, whether it was collected. Keys are Pluggy's (`accounts`,
/// `creditCards`, `transactions`, `investments`, `investmentTransactions`, `identity`, `paymentData`,
/// `loans`, `accountStatements`); a product Pluggy sends as null stays null.
public struct ItemProductsStatusDetail: Codable, Hashable, Sendable {
    public var products: [String: ItemProductState?]

    public init(_ products: [String: ItemProductState?]) { self.products = products }

    public init(from decoder: any Decoder) throws {
        products = try decoder.singleValueContainer().decode([String: ItemProductState?].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, state) in products {
            if let state { try c.encode(state, forKey: AnyCodingKey(key)) } else { try c.encodeNil(forKey: AnyCodingKey(key)) }
        }
    }

    /// The keys of products that were not updated, in a stable order.
    public var failedProducts: [String] {
        products.compactMap { key, state in state?.isUpdated == false ? key : nil }.sorted()
    }

    /// Every warning, with the key of its product.
    public var warnings: [(product: String, warning: ItemProductWarning)] {
        products.keys.sorted().flatMap { key in
            (products[key].flatMap { $0?.warnings } ?? []).map { (key, $0) }
        }
    }
}

/// One product's outcome in `statusDetail`.
public struct ItemProductState: Codable, Hashable, Sendable {
    public var isUpdated: Bool
    public var lastUpdatedAt: Date?
    public var warnings: [ItemProductWarning]?

    public init(isUpdated: Bool, lastUpdatedAt: Date?, warnings: [ItemProductWarning]? = nil) {
        self.isUpdated = isUpdated
        self.lastUpdatedAt = lastUpdatedAt
        self.warnings = warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(isUpdated, forKey: "isUpdated")
        try c.encode(lastUpdatedAt, forKey: "lastUpdatedAt", nullWhenNil: true)
        try c.encodeIfPresent(warnings, forKey: "warnings")
    }
}

/// A warning on a product that was collected (`code` is `"001"`).
public struct ItemProductWarning: Codable, Hashable, Sendable {
    public var code: String
    public var message: String
    public var providerMessage: String?

    public init(code: String, message: String, providerMessage: String? = nil) {
        self.code = code
        self.message = message
        self.providerMessage = providerMessage
    }
}

extension Item {
    /// Whether Pluggy Connect's update mode shows a form before starting: "The Item update will start
    /// automatically, unless the Item had an INVALID_CREDENTIALS error, or the Connector requires an MFA
    /// parameter" (in the form: MFA 1-step). Otherwise the update starts at once with the stored credentials.
    ///
    /// ACCOUNT_CREDENTIALS_RESET asks too: the bank reset the credentials, so the stored ones can only
    /// fail again (Pluggy does not sync a LOGIN_ERROR item "until new credentials parameters are provided").
    public var updateModeAsksForParameters: Bool {
        executionStatus == .invalidCredentials || error?.code == .invalidCredentials
            || executionStatus == .accountCredentialsReset || error?.code == .accountCredentialsReset
            || connector.oneStepMFACredential != nil
    }
}
