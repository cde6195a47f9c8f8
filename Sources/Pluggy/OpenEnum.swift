/// A string enumeration as Pluggy sends it. Known values have names; a value this version does not
/// know still decodes and re-encodes unchanged, because Pluggy adds values over time.
public protocol OpenEnum: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String
{
    init(rawValue: String)
    /// Every value Pluggy documents, in the order Pluggy lists them.
    static var known: [Self] { get }
}

extension OpenEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    /// Whether Pluggy documents this value.
    public var isKnown: Bool { Self.known.contains(self) }
}

/// `item.status`.
public struct ItemStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let updated: Self = "UPDATED"
    public static let updating: Self = "UPDATING"
    public static let waitingUserInput: Self = "WAITING_USER_INPUT"
    public static let waitingUserAction: Self = "WAITING_USER_ACTION"
    public static let merging: Self = "MERGING"
    public static let loginError: Self = "LOGIN_ERROR"
    public static let outdated: Self = "OUTDATED"
    public static let known: [Self] = [
        .updated, .updating, .waitingUserInput, .waitingUserAction, .merging, .loginError, .outdated,
    ]
}

/// `item.executionStatus`: the step an execution is at, or how it finished.
public struct ExecutionStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let creating: Self = "CREATING"
    public static let createError: Self = "CREATE_ERROR"
    public static let created: Self = "CREATED"
    // Steps of a running execution.
    public static let loginInProgress: Self = "LOGIN_IN_PROGRESS"
    public static let waitingUserInput: Self = "WAITING_USER_INPUT"
    public static let waitingUserAction: Self = "WAITING_USER_ACTION"
    public static let loginMFAInProgress: Self = "LOGIN_MFA_IN_PROGRESS"
    public static let accountsInProgress: Self = "ACCOUNTS_IN_PROGRESS"
    public static let transactionsInProgress: Self = "TRANSACTIONS_IN_PROGRESS"
    public static let paymentDataInProgress: Self = "PAYMENT_DATA_IN_PROGRESS"
    public static let creditCardsInProgress: Self = "CREDITCARDS_IN_PROGRESS"
    public static let investmentsInProgress: Self = "INVESTMENTS_IN_PROGRESS"
    public static let investmentsTransactionsInProgress: Self = "INVESTMENTS_TRANSACTIONS_IN_PROGRESS"
    public static let identityInProgress: Self = "IDENTITY_IN_PROGRESS"
    public static let loansInProgress: Self = "LOANS_IN_PROGRESS"
    public static let accountStatementsInProgress: Self = "ACCOUNT_STATEMENTS_IN_PROGRESS"
    // Error codes (also `item.error.code`).
    public static let invalidCredentials: Self = "INVALID_CREDENTIALS"
    public static let alreadyLoggedIn: Self = "ALREADY_LOGGED_IN"
    public static let unexpectedError: Self = "UNEXPECTED_ERROR"
    public static let invalidCredentialsMFA: Self = "INVALID_CREDENTIALS_MFA"
    public static let siteNotAvailable: Self = "SITE_NOT_AVAILABLE"
    public static let accountLocked: Self = "ACCOUNT_LOCKED"
    public static let accountCredentialsReset: Self = "ACCOUNT_CREDENTIALS_RESET"
    public static let connectionError: Self = "CONNECTION_ERROR"
    public static let accountNeedsAction: Self = "ACCOUNT_NEEDS_ACTION"
    public static let userAuthorizationPending: Self = "USER_AUTHORIZATION_PENDING"
    public static let userAuthorizationNotGranted: Self = "USER_AUTHORIZATION_NOT_GRANTED"
    public static let userNotSupported: Self = "USER_NOT_SUPPORTED"
    public static let userInputTimeout: Self = "USER_INPUT_TIMEOUT"
    // Other finished states.
    public static let mergeError: Self = "MERGE_ERROR"
    public static let error: Self = "ERROR"
    public static let success: Self = "SUCCESS"
    public static let partialSuccess: Self = "PARTIAL_SUCCESS"

    /// The steps of a running execution (pluggy-node `CONNECTOR_EXECUTION_STATUSES`).
    public static let inProgress: [Self] = [
        .loginInProgress, .waitingUserInput, .waitingUserAction, .loginMFAInProgress, .accountsInProgress,
        .transactionsInProgress, .paymentDataInProgress, .creditCardsInProgress, .investmentsInProgress,
        .investmentsTransactionsInProgress, .identityInProgress, .loansInProgress, .accountStatementsInProgress,
    ]
    /// The error codes (pluggy-node `EXECUTION_ERROR_CODES`).
    public static let errorCodes: [Self] = [
        .invalidCredentials, .alreadyLoggedIn, .unexpectedError, .invalidCredentialsMFA, .siteNotAvailable,
        .accountLocked, .accountCredentialsReset, .connectionError, .accountNeedsAction,
        .userAuthorizationPending, .userAuthorizationNotGranted, .userNotSupported, .userInputTimeout,
    ]
    /// How an execution can end (pluggy-node `EXECUTION_FINISHED_STATUSES`).
    public static let finished: [Self] = errorCodes + [.mergeError, .error, .success, .partialSuccess]
    public static let known: [Self] = [.creating, .createError, .created] + inProgress + finished

    /// Whether an execution in this status has ended.
    public var isFinished: Bool { Self.finished.contains(self) || self == .createError }
    /// Whether this status is an error (finished, not SUCCESS or PARTIAL_SUCCESS).
    public var isError: Bool { isFinished && self != .success && self != .partialSuccess }
}

/// `connector.type`.
public struct ConnectorType: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let personalBank: Self = "PERSONAL_BANK"
    public static let businessBank: Self = "BUSINESS_BANK"
    public static let invoice: Self = "INVOICE"
    public static let investment: Self = "INVESTMENT"
    public static let telecommunication: Self = "TELECOMMUNICATION"
    public static let digitalEconomy: Self = "DIGITAL_ECONOMY"
    public static let paymentAccount: Self = "PAYMENT_ACCOUNT"
    public static let other: Self = "OTHER"
    public static let known: [Self] = [
        .personalBank, .businessBank, .invoice, .investment, .telecommunication, .digitalEconomy,
        .paymentAccount, .other,
    ]
}

/// `credential.type`: how a form field or MFA parameter is entered.
public struct CredentialType: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let number: Self = "number"
    public static let password: Self = "password"
    public static let text: Self = "text"
    public static let image: Self = "image"
    public static let select: Self = "select"
    public static let ethaddress: Self = "ethaddress"
    public static let hcaptcha: Self = "hcaptcha"
    public static let known: [Self] = [.number, .password, .text, .image, .select, .ethaddress, .hcaptcha]
}

/// A product an item collects (`connector.products`, `item.products`).
public struct ProductType: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let accounts: Self = "ACCOUNTS"
    public static let creditCards: Self = "CREDIT_CARDS"
    public static let transactions: Self = "TRANSACTIONS"
    public static let paymentData: Self = "PAYMENT_DATA"
    public static let investments: Self = "INVESTMENTS"
    public static let investmentsTransactions: Self = "INVESTMENTS_TRANSACTIONS"
    public static let identity: Self = "IDENTITY"
    public static let brokerageNote: Self = "BROKERAGE_NOTE"
    public static let moveSecurity: Self = "MOVE_SECURITY"
    public static let loans: Self = "LOANS"
    public static let accountStatements: Self = "ACCOUNT_STATEMENTS"
    public static let known: [Self] = [
        .accounts, .creditCards, .transactions, .paymentData, .investments, .investmentsTransactions,
        .identity, .brokerageNote, .moveSecurity, .loans, .accountStatements,
    ]
}

/// `connector.health.status`.
public struct ConnectorHealthStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let online: Self = "ONLINE"
    public static let offline: Self = "OFFLINE"
    public static let unstable: Self = "UNSTABLE"
    public static let known: [Self] = [.online, .offline, .unstable]
}

/// `userAction.type`.
public struct UserActionType: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let qr: Self = "qr"
    public static let authorizeAccess: Self = "authorize-access"
    public static let known: [Self] = [.qr, .authorizeAccess]
}

/// Who started an execution (webhook `triggeredBy`).
public struct TriggeredBy: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let client: Self = "CLIENT"
    public static let user: Self = "USER"
    public static let sync: Self = "SYNC"
    public static let `internal`: Self = "INTERNAL"
    public static let known: [Self] = [.client, .user, .sync, .internal]
}
