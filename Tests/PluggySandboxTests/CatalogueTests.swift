import Foundation
import Testing
import Pluggy
@testable import PluggySandbox

private let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Built-in catalogue")
struct BuiltInCatalogueTests {
    /// How each scenario ends when the user does what its instructions say.
    static let documented: [String: (form: Bool, execution: ExecutionStatus, status: ItemStatus)] = [
        "invalid-credentials": (true, .success, .updated),
        "password-changed": (true, .success, .updated),
        "xp-mfa": (false, .success, .updated),
        "bradesco-mfa": (false, .success, .updated),
        "easynvest-mfa": (true, .success, .updated),
        "rico-mfa": (false, .success, .updated),
        "mfa-timeout": (false, .userInputTimeout, .outdated),
        "device-authorization": (false, .success, .updated),
        "account-locked": (false, .accountLocked, .loginError),
        "site-not-available": (false, .siteNotAvailable, .outdated),
        "partial-success": (false, .partialSuccess, .updated),
        "up-to-date": (false, .success, .updated),
        "open-finance": (false, .success, .updated),
        "already-logged-in": (false, .alreadyLoggedIn, .outdated),
        "needs-action": (false, .accountNeedsAction, .outdated),
        "connection-error": (false, .connectionError, .outdated),
        "unexpected-error": (false, .unexpectedError, .outdated),
        "credentials-reset": (true, .success, .updated),
        "user-not-supported": (false, .userNotSupported, .loginError),
        "account-warning": (false, .success, .updated),
    ]

    @Test("the embedded catalogue is catalogue.json (regenerate with scripts/embed-catalogue)")
    func embeddedMatchesFile() throws {
        let file = try String(contentsOf: sourceRoot.appendingPathComponent("Sources/PluggySandbox/catalogue.json"), encoding: .utf8)
        #expect(BuiltInCatalogue.json == file.dropLast(file.hasSuffix("\n") ? 1 : 0) + "", "run scripts/embed-catalogue")
    }

    @Test("it has every scenario the project promises, with stable unique ids and real institutions")
    func contents() {
        let catalogue = Catalogue.builtIn(now: VirtualClock.defaultStart)
        #expect(Set(catalogue.scenarios.map(\.name)) == Set(Self.documented.keys))
        #expect(Set(catalogue.scenarios.map(\.item.id)).count == catalogue.scenarios.count)
        #expect(catalogue.scenario(named: "invalid-credentials")?.item.id == "9293c11c-38bc-507d-a789-c1834af2dfe2")
        let institutions = Set(catalogue.scenarios.map(\.item.connector.name))
        for name in ["XP Investimentos", "Bradesco", "Easynvest", "Rico Investimentos", "Pluggy Bank", "Caixa Econômica Federal"] {
            #expect(institutions.contains(name), "\(name)")
        }
        for scenario in catalogue.scenarios {
            #expect(!scenario.description.isEmpty && !scenario.instructions.isEmpty)
            #expect(scenario.item.connector.primaryColor?.count == 6)
        }
        #expect(catalogue.scenario(named: "invalid-credentials")?.item.status == .loginError)
        #expect(catalogue.scenario(named: "invalid-credentials")?.item.connector.name == "Pluggy Bank")
        #expect(catalogue.scenario(named: "up-to-date")?.item.status == .updated)
        #expect(catalogue.scenario(named: "password-changed")?.item.lastUpdatedAt != nil)
    }

    @Test("relative dates resolve against the clock")
    func relativeDates() throws {
        let now = VirtualClock.defaultStart
        let item = try #require(Catalogue.builtIn(now: now).scenario(named: "xp-mfa")?.item)
        #expect(item.lastUpdatedAt == now.addingTimeInterval(-3 * 86_400))
        #expect(item.nextAutoSyncAt == now.addingTimeInterval(20 * 3600))
        #expect(item.createdAt == now.addingTimeInterval(-180 * 86_400))
        let partial = try #require(Catalogue.builtIn(now: now).scenario(named: "partial-success")?.item)
        #expect(partial.statusDetail?.products["accounts"]??.lastUpdatedAt == now.addingTimeInterval(-6 * 86_400))
    }

    @Test("stored credentials never show in an item's JSON")
    func storedCredentialsHidden() throws {
        let catalogue = Catalogue.builtIn(now: VirtualClock.defaultStart)
        let json = try PluggyJSON.string(catalogue.scenarios.map(\.item))
        #expect(!json.contains("passwrod-ok"))
        #expect(!json.contains("password-ok"))
    }

    @Test("each scenario, played as its instructions say, ends as documented", arguments: Array(documented.keys).sorted())
    func scenarioOutcome(name: String) async throws {
        let expected = try #require(Self.documented[name])
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open(name, in: sandbox)
        #expect(item.updateModeAsksForParameters == expected.form)
        var parameters: [String: String]? = nil
        if expected.form {
            parameters = ok
            if let mfa = item.connector.oneStepMFACredential { parameters?[mfa.name] = SandboxUsers.mfaCode }
        }
        var current = try #require(try await update(backend, item, parameters).last)
        while !current.isRunning, current.status == .waitingUserInput || current.status == .waitingUserAction {
            if name == "mfa-timeout" {
                clock.advance(by: 30)
                current = try await backend.fetchItem(id: item.id)
                break
            }
            if current.status == .waitingUserAction {
                current = try await sandbox.approveAuthorization(itemId: item.id)
            } else {
                let parameter = try #require(current.parameter)
                let answer = parameter.type == .select ? try #require(parameter.options?.first?.value) : SandboxUsers.mfaCode
                current = try await backend.sendMFA(itemId: item.id, parameters: [parameter.name: answer])
            }
            current = try #require(try await follow(backend, current).last)
        }
        #expect(current.executionStatus == expected.execution)
        #expect(current.status == expected.status)
    }
}

@Suite("Scenario files")
struct ScenarioFileTests {
    let now = VirtualClock.defaultStart

    func decode(_ text: String) throws(CatalogueError) -> Catalogue {
        try Catalogue.decode(Array(text.utf8), source: "my.json", now: now, base: Catalogue.builtIn(now: now))
    }

    func problem(_ text: String) -> CatalogueError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    static let minimalScenario = """
        {"name":"mine","description":"d","instructions":"i","connectorId":2,
         "item":{"id":"11111111-2222-3333-4444-555555555555","status":"LOGIN_ERROR","executionStatus":"INVALID_CREDENTIALS","lastUpdatedAt":"-2d"},
         "stored":{"parameters":{"user":"user-ok","password":"nope"}}}
        """

    @Test("a file may use the built-in connectors and brings only its own scenarios")
    func usesBuiltInConnectors() async throws {
        let catalogue = try decode(#"{"scenarios":[\#(Self.minimalScenario)]}"#)
        #expect(catalogue.scenarios.map(\.name) == ["mine"])
        let item = try #require(catalogue.scenarios.first?.item)
        #expect(item.connector.name == "Pluggy Bank")
        #expect(item.lastUpdatedAt == now.addingTimeInterval(-2 * 86_400))
        let (sandbox, _) = makeSandbox(catalogue: catalogue)
        let (backend, opened) = try await open("mine", in: sandbox)
        #expect(try #require(try await update(backend, opened, nil).last).executionStatus == .invalidCredentials)
        #expect(try #require(try await update(backend, opened, ok).last).executionStatus == .success)
    }

    @Test("a file may define its own connector with its own MFA")
    func ownConnector() async throws {
        let text = """
            {"connectors":[{"connector":{"id":900,"name":"Banco Teste","type":"PERSONAL_BANK","hasMFA":true,"primaryColor":"123456",
                "credentials":[{"label":"User","name":"user","type":"text"},{"label":"Password","name":"password","type":"password"}]},
              "sandbox":{"mfa":{"expiresInSeconds":60,"steps":[{"label":"Código","name":"code","type":"number","validation":"^\\\\d{6}$"}]}}}],
             "scenarios":[{"name":"teste","description":"d","instructions":"i","connectorId":900,
               "item":{"id":"abc","status":"OUTDATED","executionStatus":"USER_INPUT_TIMEOUT"},"stored":{"parameters":{"user":"user-ok","password":"password-ok"}}}]}
            """
        let catalogue = try decode(text)
        let (sandbox, _) = makeSandbox(catalogue: catalogue)
        let (backend, item) = try await open("teste", in: sandbox)
        let waiting = try #require(try await update(backend, item, nil).last)
        #expect(waiting.parameter?.name == "code")
        let final = try #require(try await follow(backend, try await backend.sendMFA(itemId: "abc", parameters: ["code": "123456"])).last)
        #expect(final.status == .updated)
    }

    @Test("each malformed file is refused naming the place and the problem", arguments: [
        (#"{"scenarios": [}"#, "line 1, column 16", "not valid JSON"),
        ("", "line 1, column 1", "the file ends where a value was expected"),
        (#"{"scenarios": []}"#, "$.scenarios", "at least one scenario"),
        (#"{"connectors": []}"#, "$.scenarios", "at least one scenario"),
        (#"{"scenarios": 3}"#, "$.scenarios", "expected an array"),
        (#"{"scenarios": [{"name": "x"}]}"#, "$.scenarios[0].description", "is missing"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"connectorId\":2", with: "\"connectorId\":99"))]}"#, "$.scenarios[0].connectorId", "no connector with id 99"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"mine\"", with: "\"Mine Scenario\""))]}"#, "$.scenarios[0].name", "not a scenario name"),
        (#"{"scenarios": [\#(minimalScenario), \#(minimalScenario)]}"#, "$.scenarios[1].name", "defined twice"),
        (#"{"scenarios": [\#(minimalScenario), \#(minimalScenario.replacingOccurrences(of: "\"mine\"", with: "\"mine2\""))]}"#, "$.scenarios[1].item.id", "used by two scenarios"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"status\":\"LOGIN_ERROR\",", with: ""))]}"#, "$.scenarios[0].item.status", "is missing"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"-2d\"", with: "\"last week\""))]}"#, "$.scenarios[0].item.lastUpdatedAt", "not an ISO 8601 date"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"status\":\"LOGIN_ERROR\"", with: "\"status\":\"LOGIN_ERROR\",\"connector\":{}"))]}"#, "$.scenarios[0].item.connector", "leave the connector out"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"x","name":"x","validation":"(["}]}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].connector.credentials[0].validation", "not a valid regular expression"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"x","name":"x","type":"select"}]}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].connector.credentials[0].options", "at least one option"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"u","name":"user"},{"label":"p","name":"password"}]},"sandbox":{"mfa":{"steps":[]}}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].sandbox.mfa.steps", "at least one step"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"u","name":"user"},{"label":"p","name":"password"}]},"sandbox":{"mfa":{"steps":[{"label":"a","name":"a","type":"select","options":[{"value":"1","label":"1"}]}]}}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].sandbox.mfa.steps[0]", "cannot be a select"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[]},"sandbox":{"authorization":{"kind":"oauth","instructions":"i"}}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].sandbox.authorization.consentUrl", "consent URL"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[]},"sandbox":{"authorization":{"kind":"carrier-pigeon","instructions":"i"}}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].sandbox.authorization.kind", "use device or oauth"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"u","name":"user"},{"label":"p","name":"password"}]}},{"connector":{"id":1,"name":"C","type":"OTHER","credentials":[{"label":"u","name":"user"},{"label":"p","name":"password"}]}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[1].connector.id", "defined twice"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"CPF","name":"cpf"},{"label":"Senha","name":"senha","type":"password"}]}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].connector.credentials", "named user and password"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","hasMfa":true,"credentials":[]}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].connector.hasMfa", "did you mean 'hasMFA'?"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"p","name":"password","type":"pasword"}]}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].connector.credentials[0].type", "not a credential type"),
        (#"{"connectors":[{"connector":{"id":1,"name":"B","type":"OTHER","credentials":[{"label":"u","name":"user"},{"label":"p","name":"password"}]},"sandbox":{"mfa":{"expiresInSeconds":9000000000000000000,"steps":[{"label":"a","name":"a"}]}}}],"scenarios":[\#(minimalScenario)]}"#, "$.connectors[0].sandbox.mfa.expiresInSeconds", "1 to 86400"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"lastUpdatedAt\"", with: "\"lastUpdateAt\""))]}"#, "$.scenarios[0].item.lastUpdateAt", "did you mean 'lastUpdatedAt'?"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"stored\"", with: "\"store\""))]}"#, "$.scenarios[0].store", "did you mean 'stored'?"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"-2d\"", with: "\"-nand\""))]}"#, "$.scenarios[0].item.lastUpdatedAt", "relative to now"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"-2d\"", with: "\"+1e15d\""))]}"#, "$.scenarios[0].item.lastUpdatedAt", "relative to now"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"INVALID_CREDENTIALS\"", with: "\"SUCESS\""))]}"#, "$.scenarios[0].item.executionStatus", "not an execution status"),
        (#"{"scenarios": [\#(minimalScenario.replacingOccurrences(of: "\"LOGIN_ERROR\"", with: "\"UPDATING\""))]}"#, "$.scenarios[0].item.status", "starts from a settled item"),
    ])
    func malformed(text: String, path: String, problem expected: String) throws {
        let error = try #require(problem(text))
        #expect(error.source == "my.json")
        #expect(error.path == path)
        #expect(error.problem.contains(expected), "\(error.problem)")
        #expect(error.description.hasPrefix("my.json: \(path): "))
        #expect(!error.description.contains("\n"))
    }

    @Test("an unreadable path is refused naming the file")
    func unreadable() throws {
        for path in ["/definitely/not/here.json", NSTemporaryDirectory()] {
            #expect {
                _ = try Catalogue.load(path: path, now: now)
            } throws: { error in
                let text = String(describing: error)
                return text.hasPrefix(path + ": ") && !text.contains("\n")
            }
        }
    }

    @Test("the built-in catalogue passes every check a user's file gets (start-up skips them)")
    func builtInIsChecked() throws {
        let now = VirtualClock.defaultStart
        let checked = try Catalogue.decode(Array(BuiltInCatalogue.json.utf8), source: "built-in", now: now, base: nil)
        #expect(checked.scenarios == Catalogue.builtIn(now: now).scenarios)
    }

    @Test("the built-in catalogue file, loaded as a scenario file, is the built-in catalogue")
    func builtInAsFile() throws {
        let catalogue = try Catalogue.load(path: sourceRoot.appendingPathComponent("Sources/PluggySandbox/catalogue.json").path, now: now)
        #expect(catalogue.scenarios == Catalogue.builtIn(now: now).scenarios)
    }
}
