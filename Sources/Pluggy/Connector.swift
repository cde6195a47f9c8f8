#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An institution Pluggy connects to (`GET /connectors/{id}`), with the form its items log in with.
///
/// Fields Pluggy always sends are plain properties; the rest are optional and re-encode only when they
/// were present. Members this model does not know are kept in `additionalFields`.
public struct Connector: Codable, Hashable, Sendable, Identifiable {
    public var id: Int
    public var name: String
    public var institutionUrl: String?
    public var imageUrl: String?
    /// Brand colour as hex, usually without `#` (`"EC7000"`).
    public var primaryColor: String?
    public var type: ConnectorType
    public var country: String?
    /// The login form: "list of parameters needed to execute the connector".
    public var credentials: [ConnectorCredential]
    /// Whether logging in asks for an MFA step after the credentials (MFA 2-step).
    public var hasMFA: Bool
    public var oauth: Bool?
    public var oauthUrl: String?
    public var health: ConnectorHealth?
    public var isOpenFinance: Bool?
    public var isSandbox: Bool?
    public var supportsPaymentInitiation: Bool?
    public var supportsScheduledPayments: Bool?
    public var supportsSmartTransfers: Bool?
    public var supportsAutomaticPix: Bool?
    public var supportsBoletoManagement: Bool?
    public var resetPasswordUrl: String?
    public var products: [ProductType]?
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Members Pluggy sent that this model does not know; re-encoded unchanged.
    public var additionalFields: [String: JSONValue]
    /// Optional members that were present as an explicit `null`.
    public var explicitNulls: Set<String>

    public init(
        id: Int, name: String, institutionUrl: String? = nil, imageUrl: String? = nil, primaryColor: String? = nil,
        type: ConnectorType, country: String? = "BR", credentials: [ConnectorCredential], hasMFA: Bool = false,
        oauth: Bool? = nil, oauthUrl: String? = nil, health: ConnectorHealth? = nil, isOpenFinance: Bool? = nil,
        isSandbox: Bool? = nil, products: [ProductType]? = nil, createdAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.institutionUrl = institutionUrl
        self.imageUrl = imageUrl
        self.primaryColor = primaryColor
        self.type = type
        self.country = country
        self.credentials = credentials
        self.hasMFA = hasMFA
        self.oauth = oauth
        self.oauthUrl = oauthUrl
        self.health = health
        self.isOpenFinance = isOpenFinance
        self.isSandbox = isSandbox
        self.products = products
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.additionalFields = [:]
        self.explicitNulls = []
    }

    /// The credential that must be renewed on every login (MFA 1-step), if the form has one.
    public var oneStepMFACredential: ConnectorCredential? { credentials.first { $0.mfa == true } }

    static let optionalKeys = [
        "institutionUrl", "imageUrl", "primaryColor", "country", "oauth", "oauthUrl", "health", "isOpenFinance",
        "isSandbox", "supportsPaymentInitiation", "supportsScheduledPayments", "supportsSmartTransfers",
        "supportsAutomaticPix", "supportsBoletoManagement", "resetPasswordUrl", "products", "createdAt", "updatedAt",
    ]
    /// The members this model reads and writes by name.
    public static let knownKeys = Set(["id", "name", "type", "credentials", "hasMFA"] + optionalKeys)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.decode(Int.self, forKey: "id")
        name = try c.decode(String.self, forKey: "name")
        institutionUrl = try c.decodeIfPresent(String.self, forKey: "institutionUrl")
        imageUrl = try c.decodeIfPresent(String.self, forKey: "imageUrl")
        primaryColor = try c.decodeIfPresent(String.self, forKey: "primaryColor")
        type = try c.decode(ConnectorType.self, forKey: "type")
        country = try c.decodeIfPresent(String.self, forKey: "country")
        credentials = try c.decode([ConnectorCredential].self, forKey: "credentials")
        hasMFA = try c.decodeIfPresent(Bool.self, forKey: "hasMFA") ?? false
        oauth = try c.decodeIfPresent(Bool.self, forKey: "oauth")
        oauthUrl = try c.decodeIfPresent(String.self, forKey: "oauthUrl")
        health = try c.decodeIfPresent(ConnectorHealth.self, forKey: "health")
        isOpenFinance = try c.decodeIfPresent(Bool.self, forKey: "isOpenFinance")
        isSandbox = try c.decodeIfPresent(Bool.self, forKey: "isSandbox")
        supportsPaymentInitiation = try c.decodeIfPresent(Bool.self, forKey: "supportsPaymentInitiation")
        supportsScheduledPayments = try c.decodeIfPresent(Bool.self, forKey: "supportsScheduledPayments")
        supportsSmartTransfers = try c.decodeIfPresent(Bool.self, forKey: "supportsSmartTransfers")
        supportsAutomaticPix = try c.decodeIfPresent(Bool.self, forKey: "supportsAutomaticPix")
        supportsBoletoManagement = try c.decodeIfPresent(Bool.self, forKey: "supportsBoletoManagement")
        resetPasswordUrl = try c.decodeIfPresent(String.self, forKey: "resetPasswordUrl")
        products = try c.decodeIfPresent([ProductType].self, forKey: "products")
        createdAt = try c.decodeIfPresent(Date.self, forKey: "createdAt")
        updatedAt = try c.decodeIfPresent(Date.self, forKey: "updatedAt")
        additionalFields = try c.unknownMembers(known: Self.knownKeys)
        explicitNulls = c.nullKeys(among: Self.optionalKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeMembers(additionalFields)
        func optional<T: Encodable>(_ value: T?, _ key: String) throws {
            try c.encode(value, forKey: AnyCodingKey(key), nullWhenNil: explicitNulls.contains(key))
        }
        try c.encode(id, forKey: "id")
        try c.encode(name, forKey: "name")
        try optional(institutionUrl, "institutionUrl")
        try optional(imageUrl, "imageUrl")
        try optional(primaryColor, "primaryColor")
        try c.encode(type, forKey: "type")
        try optional(country, "country")
        try c.encode(credentials, forKey: "credentials")
        try c.encode(hasMFA, forKey: "hasMFA")
        try optional(oauth, "oauth")
        try optional(oauthUrl, "oauthUrl")
        try optional(health, "health")
        try optional(isOpenFinance, "isOpenFinance")
        try optional(isSandbox, "isSandbox")
        try optional(supportsPaymentInitiation, "supportsPaymentInitiation")
        try optional(supportsScheduledPayments, "supportsScheduledPayments")
        try optional(supportsSmartTransfers, "supportsSmartTransfers")
        try optional(supportsAutomaticPix, "supportsAutomaticPix")
        try optional(supportsBoletoManagement, "supportsBoletoManagement")
        try optional(resetPasswordUrl, "resetPasswordUrl")
        try optional(products, "products")
        try optional(createdAt, "createdAt")
        try optional(updatedAt, "updatedAt")
    }
}

/// `connector.health`.
public struct ConnectorHealth: Codable, Hashable, Sendable {
    public var status: ConnectorHealthStatus
    /// `"BETA"` or null.
    public var stage: String?
    public var details: JSONValue?

    public init(status: ConnectorHealthStatus, stage: String? = nil, details: JSONValue? = nil) {
        self.status = status
        self.stage = stage
        self.details = details
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(status, forKey: "status")
        try c.encode(stage, forKey: "stage", nullWhenNil: true)
        try c.encodeIfPresent(details, forKey: "details")
    }
}

/// A field of a connector's login form, or the MFA parameter an item waits for (`item.parameter`).
public struct ConnectorCredential: Codable, Hashable, Sendable {
    /// What the field is, in the institution's words.
    public var label: String
    /// The key the value is sent under.
    public var name: String
    public var type: CredentialType?
    /// Must be renewed on every execution (an MFA value).
    public var mfa: Bool?
    /// The image, base64, for `image` parameters.
    public var data: String?
    public var assistiveText: String?
    public var options: [CredentialSelectOption]?
    /// A regular expression the value must match.
    public var validation: String?
    public var validationMessage: String?
    public var placeholder: String?
    public var optional: Bool?
    /// MFA only: details or hints.
    public var instructions: String?
    /// MFA only: the value must be sent before this moment.
    public var expiresAt: Date?
    public var additionalFields: [String: JSONValue]
    public var explicitNulls: Set<String>

    public init(
        label: String, name: String, type: CredentialType? = nil, mfa: Bool? = nil, data: String? = nil,
        assistiveText: String? = nil, options: [CredentialSelectOption]? = nil, validation: String? = nil,
        validationMessage: String? = nil, placeholder: String? = nil, optional: Bool? = nil,
        instructions: String? = nil, expiresAt: Date? = nil
    ) {
        self.label = label
        self.name = name
        self.type = type
        self.mfa = mfa
        self.data = data
        self.assistiveText = assistiveText
        self.options = options
        self.validation = validation
        self.validationMessage = validationMessage
        self.placeholder = placeholder
        self.optional = optional
        self.instructions = instructions
        self.expiresAt = expiresAt
        self.additionalFields = [:]
        self.explicitNulls = []
    }

    /// Whether the value may be left empty.
    public var isOptional: Bool { optional ?? false }
    /// Whether the value is a secret that must be masked (passwords and MFA values).
    public var isSecret: Bool { type == .password || mfa == true }

    static let optionalKeys = [
        "type", "mfa", "data", "assistiveText", "options", "validation", "validationMessage", "placeholder",
        "optional", "instructions", "expiresAt",
    ]
    /// The members this model reads and writes by name.
    public static let knownKeys = Set(["label", "name"] + optionalKeys)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        label = try c.decode(String.self, forKey: "label")
        name = try c.decode(String.self, forKey: "name")
        type = try c.decodeIfPresent(CredentialType.self, forKey: "type")
        mfa = try c.decodeIfPresent(Bool.self, forKey: "mfa")
        data = try c.decodeIfPresent(String.self, forKey: "data")
        assistiveText = try c.decodeIfPresent(String.self, forKey: "assistiveText")
        options = try c.decodeIfPresent([CredentialSelectOption].self, forKey: "options")
        validation = try c.decodeIfPresent(String.self, forKey: "validation")
        validationMessage = try c.decodeIfPresent(String.self, forKey: "validationMessage")
        placeholder = try c.decodeIfPresent(String.self, forKey: "placeholder")
        optional = try c.decodeIfPresent(Bool.self, forKey: "optional")
        instructions = try c.decodeIfPresent(String.self, forKey: "instructions")
        expiresAt = try c.decodeIfPresent(Date.self, forKey: "expiresAt")
        additionalFields = try c.unknownMembers(known: Self.knownKeys)
        explicitNulls = c.nullKeys(among: Self.optionalKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeMembers(additionalFields)
        func optional<T: Encodable>(_ value: T?, _ key: String) throws {
            try c.encode(value, forKey: AnyCodingKey(key), nullWhenNil: explicitNulls.contains(key))
        }
        try c.encode(label, forKey: "label")
        try c.encode(name, forKey: "name")
        try optional(type, "type")
        try optional(mfa, "mfa")
        try optional(data, "data")
        try optional(assistiveText, "assistiveText")
        try optional(options, "options")
        try optional(validation, "validation")
        try optional(validationMessage, "validationMessage")
        try optional(placeholder, "placeholder")
        try optional(self.optional, "optional")
        try optional(instructions, "instructions")
        try optional(expiresAt, "expiresAt")
    }
}

/// One choice of a `select` credential.
public struct CredentialSelectOption: Codable, Hashable, Sendable {
    public var value: String
    public var label: String
    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}
