import Foundation
import Testing
import Pluggy
import PluggySandbox
import TerminalCanvas
@testable import ConnectWidget

/// The engine, the runtime and the offline sandbox together, in virtual time.
struct Driver {
    let runtime: WidgetRuntime
    let clock: VirtualClock
    var state: WidgetState
    var events: [WidgetEvent] = []
    var outcome: Outcome?
    /// Every backend effect performed, in order.
    var performed: [Effect] = []

    init(runtime: WidgetRuntime, clock: VirtualClock, itemId: String) async {
        self.runtime = runtime
        self.clock = clock
        let (state, effects) = ConnectEngine.start(
            config: WidgetConfig(itemId: itemId, simulator: false), size: Size(width: 80, height: 24), now: clock.now())
        self.state = state
        await perform(effects)
    }

    mutating func send(_ message: Message) async {
        guard outcome == nil else { return }
        await perform(ConnectEngine.update(&state, message))
    }

    mutating func type(_ text: String) async {
        for character in text { await send(.key(.character(character))) }
    }

    /// Performs effects in order, feeding each reply back, until the widget is quiet.
    mutating func perform(_ effects: [Effect]) async {
        var queue = effects
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            switch effect {
            case .emit(let event): events.append(event)
            case .finish(let result): outcome = result
            default:
                performed.append(effect)
                if let reply = await runtime.perform(effect) { queue += ConnectEngine.update(&state, reply) }
            }
        }
    }

    /// Ticks in 0.1 s steps of virtual time until `step` is on screen; false after `limit` ticks.
    mutating func wait(for step: Step, limit: Int = 3_000) async -> Bool {
        var ticks = 0
        while state.step != step, outcome == nil, ticks < limit {
            clock.advance(by: 0.1)
            await send(.tick(clock.now()))
            ticks += 1
        }
        return state.step == step
    }

    var screen: String { Screens.render(state, theme: .color).text }
}

@Suite struct EndToEndTests {
    static func sandbox() -> (PluggySandbox, VirtualClock) {
        let clock = VirtualClock()
        let sandbox = PluggySandbox(
            catalogue: Catalogue.builtIn(now: clock.now()), clock: clock, speed: .instant,
            tokens: ConnectTokenIssuer(secret: "connect-widget-tests"))
        return (sandbox, clock)
    }

    static func open(_ scenario: String) async throws -> (Driver, PluggySandbox, String) {
        let (sandbox, clock) = sandbox()
        let itemId = try #require(sandbox.catalogue.scenario(named: scenario)).item.id
        let token = try await sandbox.mintConnectToken(itemId: itemId)
        let runtime = WidgetRuntime(backend: SandboxBackend(sandbox: sandbox, connectToken: token), simulator: nil)
        return (await Driver(runtime: runtime, clock: clock, itemId: itemId), sandbox, itemId)
    }

    @Test func invalidCredentialsScenario() async throws {
        var driver = try await Self.open("invalid-credentials").0
        let itemId = driver.state.config.itemId
        #expect(driver.state.step == .credentials)
        #expect(driver.state.banner == "Invalid credentials.")
        #expect(driver.performed == [.fetchItem(request: 1, kind: .load, itemId: itemId)])

        // A wrong password: refused, back to the form with the user name kept.
        await driver.type("user-ok")
        await driver.send(.key(.tab))
        await driver.type("wrong-password")
        await driver.send(.key(.enter))
        #expect(driver.performed.last == .updateItem(request: 2, itemId: itemId, parameters: ["user": "user-ok", "password": "wrong-password"]))
        #expect(await driver.wait(for: .credentials))
        #expect(driver.state.item?.executionStatus == .invalidCredentials)
        #expect(driver.state.form?.fields.map(\.text) == ["user-ok", ""])
        #expect(driver.state.form?.focus == 1)
        #expect((driver.state.item?.consecutiveFailedLoginAttempts ?? 0) >= 2)
        #expect(driver.screen.contains("failed logins in a row"))

        // The right one: the update runs to the end.
        await driver.type("password-ok")
        await driver.send(.key(.enter))
        #expect(await driver.wait(for: .result))
        #expect(driver.state.item?.status == .updated)
        #expect(driver.screen.contains("Connection updated"))
        await driver.send(.key(.enter))

        let outcome = try #require(driver.outcome)
        #expect(outcome.outcome == .success)
        #expect(outcome.exitStatus == 0)
        #expect(outcome.item?.status == .updated)
        #expect(driver.events.map(\.event) == [
            "OPEN", "SUBMITTED_LOGIN", "ITEM_RESPONSE", "ERROR",
            "SUBMITTED_LOGIN", "ITEM_RESPONSE", "LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED", "SUCCESS", "CLOSE",
        ])
        // Timestamps never go back, and no credential is in any event.
        let stamps = driver.events.map(\.timestamp)
        #expect(stamps == stamps.sorted())
        for event in driver.events {
            let json = try PluggyJSON.string(event)
            #expect(!json.contains("wrong-password"))
            #expect(!json.contains("password-ok"))
        }
        // At most one poll was ever in flight: polls and updates alternate with replies (ids only grow).
        let ids = driver.performed.compactMap(\.request?.id)
        #expect(ids == Array(1...ids.count))
    }

    @Test func mfaScenario() async throws {
        var driver = try await Self.open("xp-mfa").0
        // The update starts on its own, then asks for the token.
        #expect(await driver.wait(for: .mfa))
        #expect(driver.events.map(\.event) == ["OPEN", "ITEM_RESPONSE"])
        let name = try #require(driver.state.prompt?.field.credential.name)
        await driver.type("123456")
        let canvas = Screens.render(driver.state, theme: .color)
        #expect(canvas.rawText.contains("••••••"))
        #expect(canvas.allCells.filter(\.cell.secret).count == 6)
        await driver.send(.key(.enter))
        guard case .sendMFA(_, let itemId, let parameters)? = driver.performed.last else {
            Issue.record("no MFA sent: \(driver.performed)")
            return
        }
        #expect(itemId == driver.state.config.itemId)
        #expect(parameters == [name: "123456"])
        #expect(await driver.wait(for: .result))
        await driver.send(.key(.enter))
        #expect(driver.outcome?.outcome == .success)
        #expect(driver.events.map(\.event).contains("LOGIN_MFA_SUCCESS"))
        #expect(!driver.events.map(\.event).contains("LOGIN_SUCCESS"))
    }
}
