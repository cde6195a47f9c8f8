import Foundation
import Testing
@testable import Pluggy

/// JSON as Pluggy documents it, compared as JSON values (key order and spacing do not matter).
private func json(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

private func roundTrip<T: Codable>(_ type: T.Type, _ text: String) throws -> (T, JSONValue) {
    let value = try PluggyJSON.decoder().decode(T.self, from: Data(text.utf8))
    let encoded = try PluggyJSON.encoder().encode(value)
    return (value, try JSONDecoder().decode(JSONValue.self, from: encoded))
}

/// A connector shaped like `GET /connectors/{id}` (pluggy-node `Connector`).
let connectorJSON = """
    {"id":2,"name":"Pluggy Bank","institutionUrl":"https://pluggy.ai","imageUrl":"https://cdn.pluggy.ai/assets/connector-icons/sandbox.svg",
     "primaryColor":"ef294b","type":"PERSONAL_BANK","country":"BR",
     "credentials":[{"label":"User","name":"user","type":"text","placeholder":"","validation":"^.+$","validationMessage":"Required","optional":false},
                    {"label":"Password","name":"password","type":"password","optional":false}],
     "hasMFA":false,"oauth":false,"health":{"status":"ONLINE","stage":null},"isOpenFinance":false,"isSandbox":true,
     "supportsPaymentInitiation":false,"supportsScheduledPayments":false,"supportsSmartTransfers":false,
     "products":["ACCOUNTS","CREDIT_CARDS","TRANSACTIONS","IDENTITY"],"createdAt":"2020-09-07T00:08:06.588Z","updatedAt":"2024-05-02T17:47:38.372Z"}
    """

/// The documented item waiting for an MFA answer (docs: items-send-mfa), with its connector.
let waitingItemJSON = """
    {"id":"a9481a68-2b4c-4d5a-9c1e-3f0e6a7b8c9d","connector":\(connectorJSON),"status":"WAITING_USER_INPUT",
     "executionStatus":"WAITING_USER_INPUT","lastUpdatedAt":null,"error":null,
     "parameter":{"name":"token","label":"Chave de segurança","type":"string","placeholder":"Exemplo: 123456",
                  "validationMessage":"O token deve ter 6 números.","expiresAt":"2022-12-14T19:09:08.780Z"},
     "createdAt":"2022-12-14T19:04:08.780Z","updatedAt":"2022-12-14T19:05:08.123Z","statusDetail":null,"userAction":null,
     "webhookUrl":null,"clientUserId":null,"nextAutoSyncAt":null,"consentExpiresAt":null,"consecutiveFailedLoginAttempts":0}
    """

/// An item with every field filled: partial success with warnings, an error with attributes, a user action.
let fullItemJSON = """
    {"id":"7f3d1c2e-0000-4000-8000-000000000001","connector":\(connectorJSON),"status":"UPDATED","executionStatus":"PARTIAL_SUCCESS",
     "error":{"code":"ACCOUNT_NEEDS_ACTION","message":"Provider is requesting some manual action from the user (ie. accept new terms of use).",
              "providerMessage":"Aceite os novos termos.","attributes":{"deviceId":"abc","tries":2,"nested":{"a":[1,true,null]}}},
     "statusDetail":{"accounts":{"isUpdated":false,"lastUpdatedAt":null},
                     "creditCards":{"isUpdated":true,"lastUpdatedAt":"2024-05-01T10:00:00.000Z",
                                    "warnings":[{"code":"001","message":"Some fields missing","providerMessage":"Campo ausente"}]},
                     "transactions":{"isUpdated":true,"lastUpdatedAt":"2024-05-01T10:00:00.500Z"},"investments":null},
     "parameter":null,
     "userAction":{"instructions":"Authorize in the app","type":"authorize-access","attributes":{"url":"https://bank.example"},"expiresAt":"2024-05-01T10:05:00.000Z"},
     "createdAt":"2023-01-01T00:00:00.000Z","updatedAt":"2024-05-01T10:00:01.000Z","lastUpdatedAt":"2024-05-01T10:00:00.000Z",
     "nextAutoSyncAt":"2024-05-02T10:00:00.000Z","consentExpiresAt":"2025-05-01T10:00:00.000Z","consecutiveFailedLoginAttempts":2,
     "clientUserId":"user-42","webhookUrl":"https://example.com/hook","products":["ACCOUNTS","CREDIT_CARDS"],
     "resourcesCollectedAt":null,"hasResourcesPendingAuthorization":false}
    """

@Suite("Pluggy JSON round-trips")
struct RoundTripTests {
    @Test("the documented WAITING_USER_INPUT item round-trips exactly")
    func waitingItem() throws {
        let (item, encoded) = try roundTrip(Item.self, waitingItemJSON)
        #expect(encoded == (try json(waitingItemJSON)))
        #expect(item.status == .waitingUserInput)
        #expect(item.parameter?.name == "token")
        #expect(item.parameter?.type == "string")  // not in Pluggy's enum: kept as sent
        #expect(item.parameter?.type?.isKnown == false)
        #expect(ISO8601.format(try #require(item.parameter?.expiresAt)) == "2022-12-14T19:09:08.780Z")
        #expect(item.isRunning == false)
    }

    @Test("an item with every field round-trips exactly")
    func fullItem() throws {
        let (item, encoded) = try roundTrip(Item.self, fullItemJSON)
        #expect(encoded == (try json(fullItemJSON)))
        #expect(item.error?.attributes?["tries"] == .number(2))
        #expect(item.statusDetail?.failedProducts == ["accounts"])
        #expect(item.statusDetail?.warnings.first?.product == "creditCards")
        #expect(item.statusDetail?.products["investments"] == .some(nil))
        #expect(item.userAction?.type == .authorizeAccess)
        #expect(item.consecutiveFailedLoginAttempts == 2)
    }

    @Test("a connector round-trips exactly, with its credentials")
    func connector() throws {
        let (connector, encoded) = try roundTrip(Connector.self, connectorJSON)
        #expect(encoded == (try json(connectorJSON)))
        #expect(connector.credentials.map(\.name) == ["user", "password"])
        #expect(connector.credentials[1].isSecret)
        #expect(connector.health?.status == .online)
    }

    @Test("values and members this model does not know survive a round-trip")
    func unknowns() throws {
        var text = waitingItemJSON.replacingOccurrences(of: "\"status\":\"WAITING_USER_INPUT\"", with: "\"status\":\"HIBERNATING\"")
        text = text.replacingOccurrences(of: "\"executionStatus\":\"WAITING_USER_INPUT\"", with: "\"executionStatus\":\"QUANTUM_IN_PROGRESS\",\"futureField\":{\"x\":[1,2]}")
        text = text.replacingOccurrences(of: "\"type\":\"PERSONAL_BANK\"", with: "\"type\":\"SPACE_BANK\",\"newConnectorFlag\":true")
        let (item, encoded) = try roundTrip(Item.self, text)
        #expect(encoded == (try json(text)))
        #expect(item.status.rawValue == "HIBERNATING")
        #expect(!item.status.isKnown)
        #expect(item.executionStatus.rawValue == "QUANTUM_IN_PROGRESS")
        #expect(item.additionalFields["futureField"] != nil)
        #expect(item.connector.type.rawValue == "SPACE_BANK")
        #expect(item.connector.additionalFields["newConnectorFlag"] == .bool(true))
    }

    @Test("nullable members a response left out stay out; nulls stay null")
    func absentAndNull() throws {
        let minimal = """
            {"id":"i","connector":\(connectorJSON),"status":"UPDATED","executionStatus":"SUCCESS",
             "createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z","error":null}
            """
        let (item, encoded) = try roundTrip(Item.self, minimal)
        #expect(encoded == (try json(minimal)))
        #expect(item.consecutiveFailedLoginAttempts == 0)
        // A freshly built item is sent the way Pluggy sends items: every nullable member present.
        var fresh = item
        fresh.omittedKeys = []
        let freshJSON = try JSONDecoder().decode(JSONValue.self, from: PluggyJSON.encoder().encode(fresh))
        let members = try #require(freshJSON.objectValue)
        for key in ["error", "parameter", "userAction", "statusDetail", "lastUpdatedAt", "nextAutoSyncAt", "webhookUrl", "clientUserId"] {
            #expect(members[key] == .null, "\(key)")
        }
    }

    @Test("Pluggy's error bodies decode, with per-parameter details")
    func errorBodies() throws {
        let body = """
            {"code":400,"codeDescription":"PARAMETER_VALIDATION_ERROR","message":"Some parameters are invalid.",
             "details":[{"code":"002","message":"O token deve ter 6 números.","parameter":"token"}],"errorId":"e-1"}
            """
        let (error, encoded) = try roundTrip(PluggyAPIError.self, body)
        #expect(encoded == (try json(body)))
        #expect(error.kind == .badRequest)
        #expect(error.details?.first?.parameter == "token")
        #expect(error.description == "Some parameters are invalid. (token: O token deve ter 6 números.) [400 PARAMETER_VALIDATION_ERROR]")
        let tooMany = try PluggyJSON.decoder().decode(PluggyAPIError.self, from: Data(
            #"{"code":429,"message":"Too many requests. Please try again later (see Retry-After header in seconds)"}"#.utf8))
        #expect(tooMany.kind == .rateLimited)
        #expect(PluggyAPIError(code: 0, message: "Could not connect.").kind == .unreachable)
    }
}

@Suite("Pluggy enumerations")
struct EnumTests {
    @Test("every documented value is known, in Pluggy's order")
    func documentedValues() {
        #expect(ItemStatus.known.map(\.rawValue) == ["UPDATED", "UPDATING", "WAITING_USER_INPUT", "WAITING_USER_ACTION", "MERGING", "LOGIN_ERROR", "OUTDATED"])
        #expect(ExecutionStatus.errorCodes.count == 13)
        #expect(ExecutionStatus.inProgress.count == 13)
        #expect(ExecutionStatus.finished.count == 17)
        #expect(ExecutionStatus.known.count == 33)
        #expect(Set(ExecutionStatus.known).count == 33)
        #expect(ConnectorType.known.count == 8)
        #expect(CredentialType.known.map(\.rawValue) == ["number", "password", "text", "image", "select", "ethaddress", "hcaptcha"])
        #expect(ProductType.known.count == 11)
        #expect(ExecutionStatus.success.isFinished && !ExecutionStatus.success.isError)
        #expect(ExecutionStatus.partialSuccess.isFinished && !ExecutionStatus.partialSuccess.isError)
        #expect(ExecutionStatus.invalidCredentials.isError)
        #expect(!ExecutionStatus.loginInProgress.isFinished)
    }

    @Test("each enum decodes an unknown value and re-encodes it unchanged")
    func unknownValues() throws {
        func check<T: OpenEnum>(_ type: T.Type) throws {
            let value = try JSONDecoder().decode([T].self, from: Data(#"["NOT_YET_INVENTED"]"#.utf8))
            #expect(value[0].rawValue == "NOT_YET_INVENTED")
            #expect(String(decoding: try JSONEncoder().encode(value), as: UTF8.self) == #"["NOT_YET_INVENTED"]"#)
        }
        try check(ItemStatus.self)
        try check(ExecutionStatus.self)
        try check(ConnectorType.self)
        try check(CredentialType.self)
        try check(ProductType.self)
        try check(ConnectorHealthStatus.self)
        try check(UserActionType.self)
        try check(TriggeredBy.self)
    }
}

@Suite("Dates as Pluggy sends them")
struct DateTests {
    @Test("formats UTC with milliseconds, before and after 1970")
    func format() {
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1_671_044_948.78)) == "2022-12-14T19:09:08.780Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test("parses milliseconds, none, other precisions and offsets; rejects the rest")
    func parse() throws {
        #expect(ISO8601.parse("2022-12-14T19:09:08.780Z") == Date(timeIntervalSince1970: 1_671_044_948.78))
        #expect(ISO8601.parse("2022-12-14T19:09:08Z") == Date(timeIntervalSince1970: 1_671_044_948))
        #expect(ISO8601.parse("2022-12-14T19:09:08.7Z") == Date(timeIntervalSince1970: 1_671_044_948.7))
        #expect(ISO8601.parse("2022-12-14T16:09:08.780-03:00") == Date(timeIntervalSince1970: 1_671_044_948.78))
        for bad in ["", "2022-12-14", "2022-13-01T00:00:00Z", "2022-02-30T00:00:00Z", "2022-12-14T19:09:08", "yesterday", "2022-12-14T19:09:08.Z", "2022-12-14T19:09:08.780Zjunk"] {
            #expect(ISO8601.parse(bad) == nil, "\(bad)")
        }
        for text in ["2022-12-14T19:09:08.780Z", "1999-12-31T23:59:59.999Z", "2024-02-29T12:00:00.001Z"] {
            #expect(ISO8601.format(try #require(ISO8601.parse(text))) == text)
        }
    }

    @Test("a bad date in JSON is a decoding error that says what was expected")
    func badDateInJSON() {
        let text = waitingItemJSON.replacingOccurrences(of: "\"2022-12-14T19:04:08.780Z\"", with: "\"last tuesday\"")
        #expect {
            _ = try PluggyJSON.decoder().decode(Item.self, from: Data(text.utf8))
        } throws: { error in
            String(describing: error).contains("not an ISO 8601 date")
        }
    }
}

@Suite("Update mode")
struct UpdateModeTests {
    @Test("the form comes first only after INVALID_CREDENTIALS or for an MFA 1-step connector")
    func asksForParameters() throws {
        var item = try PluggyJSON.decoder().decode(Item.self, from: Data(waitingItemJSON.utf8))
        item.status = .outdated
        item.executionStatus = .siteNotAvailable
        #expect(!item.updateModeAsksForParameters)
        item.status = .loginError
        item.executionStatus = .invalidCredentials
        #expect(item.updateModeAsksForParameters)
        item.executionStatus = .accountLocked
        #expect(!item.updateModeAsksForParameters)
        item.connector.credentials.append(ConnectorCredential(label: "Token", name: "token", type: .number, mfa: true))
        #expect(item.updateModeAsksForParameters)
    }
}

@Suite("JSONValue")
struct JSONValueTests {
    @Test("every JSON kind decodes as itself, nested, and re-encodes to the same value")
    func everyKind() throws {
        let value = try json(#"{"s":"text","n":12.5,"i":7,"t":true,"f":false,"z":null,"a":[1,"two",false,null,{"k":[]}],"o":{"e":{}},"numeric":"123","boolish":"true"}"#)
        guard case .object(let members) = value else { Issue.record("not an object: \(value)"); return }
        #expect(members["s"] == .string("text"))
        #expect(members["n"] == .number(12.5))
        #expect(members["i"] == .number(7))
        #expect(members["t"] == .bool(true))
        #expect(members["f"] == .bool(false))
        #expect(members["z"] == .null)
        #expect(members["a"] == .array([.number(1), .string("two"), .bool(false), .null, .object(["k": .array([])])]))
        #expect(members["o"] == .object(["e": .object([:])]))
        #expect(members["numeric"] == .string("123"))  // a string of digits stays a string
        #expect(members["boolish"] == .string("true"))
        #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)) == value)
        for scalar in ["1", "true", "null", #""x""#, "[]", "{}"] {
            let decoded = try json(scalar)
            #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(decoded)) == decoded, "\(scalar)")
        }
    }
}
