#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The connectors and items the sandbox starts with, each item a named scenario.
///
/// The built-in catalogue is `catalogue.json` beside this file (embedded in the binary); users bring
/// their own with `--scenario-file`, in the same format. A file's scenarios may use the built-in
/// connectors by id, or define their own.
public struct Catalogue: Sendable {
    public var connectors: [SandboxConnector]
    public var scenarios: [Scenario]

    public init(connectors: [SandboxConnector], scenarios: [Scenario]) {
        self.connectors = connectors
        self.scenarios = scenarios
    }

    /// The scenario named `name`, or the one whose item is `name`.
    public func scenario(named name: String) -> Scenario? {
        scenarios.first { $0.name == name } ?? scenarios.first { $0.item.id == name }
    }

    public func connector(id: Int) -> SandboxConnector? { connectors.first { $0.connector.id == id } }

    /// The built-in catalogue, its relative dates resolved against `now`.
    public static func builtIn(now: Date) -> Catalogue {
        do {
            // Checked by the test suite (syntax and unknown keys included), so not checked again at start-up.
            return try decode(Array(BuiltInCatalogue.json.utf8), source: "built-in catalogue", now: now, base: nil, trusted: true)
        } catch {
            // The built-in catalogue is checked by the test suite; reaching here means a broken build.
            preconditionFailure("the built-in catalogue does not load: \(error)")
        }
    }

    /// The catalogue in the file at `path`: its scenarios, with its connectors and the built-in ones.
    public static func load(path: String, now: Date) throws(CatalogueError) -> Catalogue {
        let bytes: [UInt8]
        do {
            bytes = try FileSource.read(path)
        } catch {
            throw CatalogueError(source: path, path: nil, problem: error.description)
        }
        return try decode(bytes, source: path, now: now, base: builtIn(now: now))
    }

    /// Decodes a catalogue from JSON. `source` names it in errors; scenarios may use `base`'s connectors.
    public static func decode(_ bytes: [UInt8], source: String, now: Date, base: Catalogue?, trusted: Bool = false) throws(CatalogueError) -> Catalogue {
        let decoder = PluggyJSON.decoder()
        if !trusted {
            if let problem = JSONSyntax.firstProblem(in: bytes) {
                throw CatalogueError(source: source, path: "line \(problem.line), column \(problem.column)",
                                     problem: "not valid JSON: \(problem.message)")
            }
            if let document = try? decoder.decode(JSONValue.self, from: Data(bytes)) {
                try CatalogueKeys.check(document, source: source)
            }
        }
        let raw: RawCatalogue
        do {
            raw = try decoder.decode(RawCatalogue.self, from: Data(bytes))
        } catch {
            throw CatalogueError(source: source, decoding: error, prefix: [])
        }

        var connectors: [SandboxConnector] = []
        var seenConnectors: Set<Int> = []
        for (index, entry) in (raw.connectors ?? []).enumerated() {
            let place = "$.connectors[\(index)]"
            guard seenConnectors.insert(entry.connector.id).inserted else {
                throw CatalogueError(source: source, path: place + ".connector.id",
                                     problem: "connector id \(entry.connector.id) is defined twice")
            }
            try entry.validate(source: source, place: place)
            connectors.append(entry)
        }
        for inherited in base?.connectors ?? [] where !seenConnectors.contains(inherited.connector.id) {
            connectors.append(inherited)
        }

        var scenarios: [Scenario] = []
        var seenNames: Set<String> = []
        var seenItems: Set<String> = []
        guard let rawScenarios = raw.scenarios, !rawScenarios.isEmpty else {
            throw CatalogueError(source: source, path: "$.scenarios", problem: "there must be at least one scenario")
        }
        for (index, entry) in rawScenarios.enumerated() {
            let place = "$.scenarios[\(index)]"
            guard let first = entry.name.first, first != "-",
                entry.name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
            else {
                throw CatalogueError(source: source, path: place + ".name",
                                     problem: "'\(entry.name)' is not a scenario name: use lowercase letters, digits and dashes")
            }
            guard seenNames.insert(entry.name).inserted else {
                throw CatalogueError(source: source, path: place + ".name", problem: "scenario '\(entry.name)' is defined twice")
            }
            guard let connector = connectors.first(where: { $0.connector.id == entry.connectorId }) else {
                throw CatalogueError(source: source, path: place + ".connectorId",
                                     problem: "no connector with id \(entry.connectorId) (known: \(connectors.map { String($0.connector.id) }.joined(separator: ", ")))")
            }
            let item = try entry.makeItem(connector: connector.connector, now: now, source: source, place: place + ".item")
            guard item.status.isKnown else {
                throw CatalogueError(source: source, path: place + ".item.status",
                                     problem: "'\(item.status)' is not an item status (\(ItemStatus.known.map(\.rawValue).joined(separator: ", ")))")
            }
            guard item.executionStatus.isKnown else {
                throw CatalogueError(source: source, path: place + ".item.executionStatus",
                                     problem: "'\(item.executionStatus)' is not an execution status")
            }
            guard ![ItemStatus.updating, .merging, .waitingUserInput, .waitingUserAction].contains(item.status) else {
                throw CatalogueError(source: source, path: place + ".item.status",
                                     problem: "a scenario starts from a settled item (UPDATED, LOGIN_ERROR or OUTDATED), not \(item.status)")
            }
            guard seenItems.insert(item.id).inserted else {
                throw CatalogueError(source: source, path: place + ".item.id", problem: "item id \(item.id) is used by two scenarios")
            }
            scenarios.append(Scenario(
                name: entry.name, description: entry.description, instructions: entry.instructions, item: item,
                stored: entry.stored ?? StoredState()))
        }
        return Catalogue(connectors: connectors, scenarios: scenarios)
    }
}

/// A connector and how the sandbox makes it behave.
public struct SandboxConnector: Codable, Hashable, Sendable {
    /// The connector exactly as Pluggy's API returns it.
    public var connector: Connector
    public var sandbox: SandboxBehavior

    public init(connector: Connector, sandbox: SandboxBehavior = SandboxBehavior()) {
        self.connector = connector
        self.sandbox = sandbox
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        connector = try c.decode(Connector.self, forKey: "connector")
        sandbox = try c.decodeIfPresent(SandboxBehavior.self, forKey: "sandbox") ?? SandboxBehavior()
    }

    /// Whether every login needs the user (an MFA value in the form, or an MFA step after login), so the
    /// daily auto-sync cannot complete alone.
    public var needsUserOnEveryLogin: Bool {
        connector.oneStepMFACredential != nil || sandbox.mfa != nil
            || (sandbox.authorization.map { !$0.firstTimeOnly } ?? false)
    }

    func validate(source: String, place: String) throws(CatalogueError) {
        for (index, credential) in connector.credentials.enumerated() {
            try validateCredential(credential, source: source, place: "\(place).connector.credentials[\(index)]")
            if connector.credentials[..<index].contains(where: { $0.name == credential.name }) {
                throw CatalogueError(source: source, path: "\(place).connector.credentials[\(index)].name",
                                     problem: "two credentials are named '\(credential.name)'")
            }
        }
        if !connector.type.isKnown {
            throw CatalogueError(source: source, path: place + ".connector.type",
                                 problem: "'\(connector.type)' is not a connector type (\(ConnectorType.known.map(\.rawValue).joined(separator: ", ")))")
        }
        for (index, product) in (connector.products ?? []).enumerated() where !product.isKnown {
            throw CatalogueError(source: source, path: "\(place).connector.products[\(index)]",
                                 problem: "'\(product)' is not a product (\(ProductType.known.map(\.rawValue).joined(separator: ", ")))")
        }
        let names = Set(connector.credentials.map(\.name))
        if sandbox.authorization?.kind != .oauth || !connector.credentials.isEmpty {
            guard names.contains("user"), names.contains("password") else {
                throw CatalogueError(source: source, path: place + ".connector.credentials",
                                     problem: "the sandbox decides a login from credentials named user and password; this form has \(names.sorted().joined(separator: ", ")) (only an OAuth connector may have none)")
            }
        }
        if let mfa = sandbox.mfa {
            guard let last = mfa.steps.last else {
                throw CatalogueError(source: source, path: place + ".sandbox.mfa.steps", problem: "an MFA needs at least one step")
            }
            if last.type == .select {
                throw CatalogueError(source: source, path: place + ".sandbox.mfa.steps[\(mfa.steps.count - 1)]",
                                     problem: "the last MFA step is the code to type; it cannot be a select")
            }
            for (index, step) in mfa.steps.enumerated() {
                try validateCredential(step, source: source, place: "\(place).sandbox.mfa.steps[\(index)]")
            }
            guard (1...86_400).contains(mfa.expiresInSeconds) else {
                throw CatalogueError(source: source, path: place + ".sandbox.mfa.expiresInSeconds", problem: "must be 1 to 86400 seconds")
            }
        }
        if let authorization = sandbox.authorization {
            guard (1...86_400).contains(authorization.expiresInSeconds) else {
                throw CatalogueError(source: source, path: place + ".sandbox.authorization.expiresInSeconds", problem: "must be 1 to 86400 seconds")
            }
            if authorization.kind == .oauth, authorization.consentUrl ?? connector.oauthUrl == nil {
                throw CatalogueError(source: source, path: place + ".sandbox.authorization.consentUrl",
                                     problem: "an OAuth connector needs a consent URL (here or in connector.oauthUrl)")
            }
        }
    }

    private func validateCredential(_ credential: ConnectorCredential, source: String, place: String) throws(CatalogueError) {
        if let type = credential.type, !type.isKnown {
            throw CatalogueError(source: source, path: place + ".type",
                                 problem: "'\(type)' is not a credential type (\(CredentialType.known.map(\.rawValue).joined(separator: ", ")))")
        }
        if let pattern = credential.validation, (try? Regex(pattern)) == nil {
            throw CatalogueError(source: source, path: place + ".validation", problem: "'\(pattern)' is not a valid regular expression")
        }
        if credential.type == .select, credential.options?.isEmpty ?? true {
            throw CatalogueError(source: source, path: place + ".options", problem: "a select needs at least one option")
        }
    }
}

/// How a sandbox connector behaves beyond its login form.
public struct SandboxBehavior: Codable, Hashable, Sendable {
    /// MFA 2-step: the parameters asked after the credentials are accepted, in order.
    public var mfa: MFA?
    /// A wait for the user to authorize, on their device or on the bank's consent page.
    public var authorization: Authorization?

    public init(mfa: MFA? = nil, authorization: Authorization? = nil) {
        self.mfa = mfa
        self.authorization = authorization
    }

    public struct MFA: Codable, Hashable, Sendable {
        /// Zero or more `select` steps (where to send the code), then the code itself.
        public var steps: [ConnectorCredential]
        /// How long each step waits for the user.
        public var expiresInSeconds: Int

        public init(steps: [ConnectorCredential], expiresInSeconds: Int = 300) {
            self.steps = steps
            self.expiresInSeconds = expiresInSeconds
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            steps = try c.decode([ConnectorCredential].self, forKey: "steps")
            expiresInSeconds = try c.decodeIfPresent(Int.self, forKey: "expiresInSeconds") ?? 300
        }
    }

    public struct Authorization: Codable, Hashable, Sendable {
        public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
            /// Approve the new device in the bank's app (USER_AUTHORIZATION_PENDING on expiry).
            case device
            /// Grant consent on the institution's page (Open Finance).
            case oauth
        }
        public var kind: Kind
        /// Asked only until the user approves once; later syncs go through alone.
        public var firstTimeOnly: Bool
        /// What the user is told to do (`userAction.instructions`).
        public var instructions: String
        /// The consent page, for OAuth (defaults to `connector.oauthUrl`).
        public var consentUrl: String?
        public var expiresInSeconds: Int

        public init(kind: Kind, firstTimeOnly: Bool, instructions: String, consentUrl: String? = nil,
                    expiresInSeconds: Int = 300) {
            self.kind = kind
            self.firstTimeOnly = firstTimeOnly
            self.instructions = instructions
            self.consentUrl = consentUrl
            self.expiresInSeconds = expiresInSeconds
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            let kindName = try c.decode(String.self, forKey: "kind")
            guard let kind = Kind(rawValue: kindName) else {
                throw DecodingError.dataCorruptedError(
                    forKey: "kind", in: c,
                    debugDescription: "'\(kindName)' is not an authorization kind: use device or oauth")
            }
            self.kind = kind
            firstTimeOnly = try c.decodeIfPresent(Bool.self, forKey: "firstTimeOnly") ?? true
            instructions = try c.decode(String.self, forKey: "instructions")
            consentUrl = try c.decodeIfPresent(String.self, forKey: "consentUrl")
            expiresInSeconds = try c.decodeIfPresent(Int.self, forKey: "expiresInSeconds") ?? 300
        }
    }
}

/// A named starting point: an item in some state, with what the user should type to fix it.
public struct Scenario: Hashable, Sendable {
    /// Short name used on the command line (`--scenario xp-mfa`).
    public var name: String
    public var description: String
    /// What to type or do in the widget.
    public var instructions: String
    /// The item as the sandbox starts with it.
    public var item: Item
    /// What the sandbox remembers about the item and the bank, never shown in the item's JSON.
    public var stored: StoredState
}

/// The sandbox's hidden state of an item: its stored credentials and the bank's view of them.
public struct StoredState: Codable, Hashable, Sendable {
    /// Credentials of the last successful login, reused by updates without new parameters and by auto-sync.
    public var parameters: [String: String]
    /// The MFA 1-step value the last execution used; the next one must differ.
    public var lastMFAValue: String?
    /// The user already approved this device / granted consent.
    public var authorizationGranted: Bool
    /// The bank stopped accepting the stored password (the user changed it there).
    public var passwordChangedAtBank: Bool

    public init(parameters: [String: String] = [:], lastMFAValue: String? = nil, authorizationGranted: Bool = false,
                passwordChangedAtBank: Bool = false) {
        self.parameters = parameters
        self.lastMFAValue = lastMFAValue
        self.authorizationGranted = authorizationGranted
        self.passwordChangedAtBank = passwordChangedAtBank
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        parameters = try c.decodeIfPresent([String: String].self, forKey: "parameters") ?? [:]
        lastMFAValue = try c.decodeIfPresent(String.self, forKey: "lastMFAValue")
        authorizationGranted = try c.decodeIfPresent(Bool.self, forKey: "authorizationGranted") ?? false
        passwordChangedAtBank = try c.decodeIfPresent(Bool.self, forKey: "passwordChangedAtBank") ?? false
    }
}

/// A catalogue file that cannot be used: which file, where in it, and what is wrong.
public struct CatalogueError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    /// A JSON path such as `$.scenarios[2].item.status`, when the problem has a place.
    public var path: String?
    public var problem: String

    public init(source: String, path: String?, problem: String) {
        self.source = source
        self.path = path
        self.problem = problem
    }

    init(source: String, decoding error: any Error, prefix: [any CodingKey]) {
        self.source = source
        switch error {
        case DecodingError.typeMismatch(let type, let context):
            path = Self.format(prefix + context.codingPath)
            problem = "expected \(Self.describe(type))"
        case DecodingError.valueNotFound(let type, let context):
            path = Self.format(prefix + context.codingPath)
            problem = "is null; expected \(Self.describe(type))"
        case DecodingError.keyNotFound(let key, let context):
            path = Self.format(prefix + context.codingPath + [key])
            problem = "is missing"
        case DecodingError.dataCorrupted(let context):
            path = Self.format(prefix + context.codingPath)
            var text = context.debugDescription
            if let underlying = context.underlyingError {
                let detail = String(describing: underlying)
                if !detail.isEmpty, !text.contains(detail) { text += ": " + detail }
            }
            problem = text.hasSuffix(".") ? String(text.dropLast()) : text
        default:
            path = nil
            problem = String(describing: error)
        }
    }

    public var description: String {
        if let path { return "\(source): \(path): \(problem)" }
        return "\(source): \(problem)"
    }

    static func format(_ keys: [any CodingKey]) -> String {
        var text = "$"
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += "." + key.stringValue }
        }
        return text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: return "a string"
        case is Int.Type, is Int64.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "an ISO 8601 date"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") || name.contains("KeyedDecodingContainer") { return "an object" }
            return "a value of type \(name)"
        }
    }
}

// MARK: - The file format

private struct RawCatalogue: Decodable {
    var connectors: [SandboxConnector]?
    var scenarios: [RawScenario]?
}

private struct RawScenario: Decodable {
    var name: String
    var description: String
    var instructions: String
    var connectorId: Int
    /// A Pluggy item without its `connector`; its dates (and `statusDetail.*.lastUpdatedAt`) may be
    /// relative to now: `"-26h"`, `"+20h"`, `"-3d"`, `"now"`.
    var item: [String: JSONValue]
    var stored: StoredState?

    static let dateKeys = ["createdAt", "updatedAt", "lastUpdatedAt", "nextAutoSyncAt", "consentExpiresAt"]
    static let stubConnector = JSONValue.object([
        "id": .number(0), "name": .string(""), "type": .string("OTHER"), "credentials": .array([]),
    ])

    func makeItem(connector: Connector, now: Date, source: String, place: String) throws(CatalogueError) -> Item {
        var members = item
        if members["connector"] != nil {
            throw CatalogueError(source: source, path: place + ".connector",
                                 problem: "leave the connector out: it comes from the scenario's connectorId")
        }
        for key in Self.dateKeys {
            guard case .string(let text)? = members[key] else { continue }
            if let offset = RelativeDate.offset(text) {
                members[key] = .string(ISO8601.format(now.addingTimeInterval(offset)))
            } else if ISO8601.parse(text) == nil {
                throw CatalogueError(source: source, path: place + "." + key,
                                     problem: "'\(text)' is not an ISO 8601 date (2024-05-01T12:00:00.000Z) or a time relative to now (-26h, +20h, -3d, now)")
            }
        }
        if case .object(var detail)? = members["statusDetail"] {
            for (product, state) in detail {
                guard case .object(var fields) = state, case .string(let text)? = fields["lastUpdatedAt"],
                    let offset = RelativeDate.offset(text)
                else { continue }
                fields["lastUpdatedAt"] = .string(ISO8601.format(now.addingTimeInterval(offset)))
                detail[product] = .object(fields)
            }
            members["statusDetail"] = .object(detail)
        }
        if members["createdAt"] == nil { members["createdAt"] = .string(ISO8601.format(now.addingTimeInterval(-180 * 86_400))) }
        if members["updatedAt"] == nil { members["updatedAt"] = members["lastUpdatedAt"].flatMap { $0 == .null ? nil : $0 } ?? members["createdAt"] }
        do {
            // Decode the item around a stand-in connector, then put the real one in (cheaper than
            // re-encoding every connector into every item).
            members["connector"] = Self.stubConnector
            let data = try PluggyJSON.encoder().encode(JSONValue.object(members))
            var decoded = try PluggyJSON.decoder().decode(Item.self, from: data)
            decoded.connector = connector
            decoded.omittedKeys = []  // a built item is sent the way Pluggy sends items: every nullable key present
            return decoded
        } catch let error as CatalogueError {
            throw error
        } catch {
            var catalogueError = CatalogueError(source: source, decoding: error, prefix: [])
            catalogueError.path = catalogueError.path.map { place + $0.dropFirst() } ?? place
            throw catalogueError
        }
    }
}

/// Relative times in scenario files: `now`, `-26h`, `+20h`, `-90d`, `-15m`, `-30s`.
enum RelativeDate {
    static func offset(_ text: String) -> Double? {
        if text == "now" { return 0 }
        guard let sign = text.first, sign == "-" || sign == "+", text.count >= 3, let unit = text.last,
            text.dropFirst().dropLast().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let amount = Double(text.dropFirst().dropLast()), amount.isFinite, amount <= 100_000
        else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        default: return nil
        }
        return (sign == "-" ? -1 : 1) * amount * seconds
    }
}

/// Reads a whole file, with a message fit for a user when it cannot.
enum FileSource {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String) throws(ReadError) -> [UInt8] {
        guard !path.isEmpty else { throw ReadError(description: "no file name given") }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ReadError(description: "cannot open the file: " + String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ReadError(description: "is a directory, not a file") }
        guard let file = fopen(path, "rb") else {
            throw ReadError(description: "cannot open the file: " + String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(file) != 0 { throw ReadError(description: "cannot read the file: " + String(cString: strerror(errno))) }
                break
            }
        }
        return bytes
    }
}
