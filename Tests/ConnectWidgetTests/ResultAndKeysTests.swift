import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// One widget on each step of the flow, built through the engine.
enum StepFixture: String, CaseIterable, Sendable {
    case opening, openingFailed, credentials, credentialsUnfocused, progress, mfa, authorization, result, errorResult, autoSync

    func build(config: WidgetConfig = WidgetConfig(itemId: itemID), connector: Connector = Fixture.bank(),
               size: Size = Size(width: 80, height: 24)) -> Widget {
        var widget = Widget(config: config, size: size)
        func load(_ item: Item) { widget.reply(1, .load, item) }
        switch self {
        case .opening:
            break
        case .openingFailed:
            widget.fail(1, .load, PluggyAPIError(code: 401, codeDescription: "TOKEN_EXPIRED", message: "The connect token expired."))
        case .credentials, .credentialsUnfocused:
            load(Fixture.failed(.invalidCredentials, "Invalid credentials.", connector: connector, attempts: 2))
            widget.type("alice")
            if self == .credentialsUnfocused { widget.key(.escape) }
        case .progress:
            load(Fixture.item(.outdated, .siteNotAvailable, connector: connector))
            widget.reply(2, .update, Fixture.running(connector: connector))
            widget.tick(0.25)
            widget.reply(3, .poll, Fixture.running(.accountsInProgress, connector: connector))
        case .mfa:
            var parameter = Fixture.smsCode
            parameter.label = "Code sent to your phone"
            load(Fixture.waitingInput(parameter, connector: connector))
            widget.type("12")
        case .authorization:
            var item = Fixture.waitingAction()
            item.connector = connector
            item.userAction?.attributes = ["consentUrl": "https://consent.sandbox.invalid/authorize?item=\(itemID)"]
            load(item)
        case .result:
            load(Fixture.item(.outdated, .siteNotAvailable, connector: connector))
            widget.reply(2, .update, Fixture.running(connector: connector))
            widget.tick(0.25)
            widget.reply(3, .poll, Fixture.updated(connector: connector))
        case .errorResult:
            load(Fixture.item(.outdated, .siteNotAvailable, connector: connector))
            var failed = Fixture.failed(.siteNotAvailable, "The bank's site did not answer.", connector: connector, status: .outdated)
            failed.error?.providerMessage = "Sistema indisponível"
            widget.reply(2, .update, failed)
        case .autoSync:
            load(Fixture.item(.outdated, .siteNotAvailable, connector: connector))
            widget.reply(2, .update, Fixture.running(connector: connector))
            widget.tick(0.25)
            widget.reply(3, .poll, Fixture.updated(connector: connector))
            widget.type("s")
            widget.send(.simulatorReply(SimulatorReply(request: 4, action: .autoSync, result: .success(SimulatorResult(
                item: Fixture.updated(connector: connector), autoSync: .synced,
                path: [.loginInProgress, .accountsInProgress, .success])))))
        }
        widget.log = []
        return widget
    }

    var step: Step {
        switch self {
        case .opening: return .opening
        case .openingFailed: return .openingFailed
        case .credentials, .credentialsUnfocused: return .credentials
        case .progress: return .progress
        case .mfa: return .mfa
        case .authorization: return .authorization
        case .result, .errorResult: return .result
        case .autoSync: return .autoSync
        }
    }

    /// How closing from this step ends.
    var outcome: Outcome.Kind {
        switch self {
        case .openingFailed, .errorResult: return .error
        case .result, .autoSync: return .success
        default: return .closed
        }
    }
}

@Suite struct ResultAndKeysTests {
    @Test(arguments: StepFixture.allCases)
    func fixtureReachesItsStep(_ fixture: StepFixture) {
        #expect(fixture.build().state.step == fixture.step)
    }

    @Test(arguments: StepFixture.allCases)
    func controlCClosesFromEveryStep(_ fixture: StepFixture) throws {
        var widget = fixture.build()
        let effects = widget.key(.control("C"))
        #expect(effects.count == 2)
        #expect(effects.first?.event?.event == "CLOSE")
        let outcome = try #require(effects.last?.outcome)
        #expect(outcome.outcome == fixture.outcome)
        #expect(outcome.exitStatus == [Outcome.Kind.success: 0, .error: 1, .closed: 2][fixture.outcome])
        #expect(widget.state.closed)
        #expect(!widget.state.wantsTicks)
        // Closed is final.
        #expect(widget.key(.control("C")).isEmpty)
        #expect(widget.type("a").isEmpty)
        #expect(widget.tick(100).isEmpty)
        #expect(widget.reply(99, .poll, Fixture.updated()).isEmpty)
    }

    @Test(arguments: StepFixture.allCases)
    func controlCClosesEvenOverTheHelp(_ fixture: StepFixture) {
        var widget = fixture.build()
        widget.state.showHelp = true
        #expect(events(widget.key(.control("C"))) == ["CLOSE"])
        #expect(widget.state.closed)
    }

    @Test(arguments: StepFixture.allCases)
    func ticksAreWantedWhileSomethingMoves(_ fixture: StepFixture) {
        let moving: Set<Step> = [.opening, .progress, .mfa, .authorization]
        #expect(fixture.build().state.wantsTicks == moving.contains(fixture.step))
    }

    @Test func outcomeJSONFollowsTheContract() throws {
        var closed = StepFixture.opening.build()
        let closing = try #require(closed.key(.escape).last?.outcome)
        #expect(try PluggyJSON.string(closing) == #"{"item":null,"outcome":"closed"}"#)
        var failed = StepFixture.openingFailed.build()
        let error = try #require(failed.key(.enter).last?.outcome)
        #expect(try PluggyJSON.string(error)
            == #"{"error":{"code":"TOKEN_EXPIRED","message":"The connect token expired."},"item":null,"outcome":"error"}"#)
        var done = StepFixture.result.build()
        let success = try #require(done.key(.enter).last?.outcome)
        let json = try PluggyJSON.string(success)
        #expect(json.hasPrefix(#"{"item":{"#))
        #expect(json.hasSuffix(#""outcome":"success"}"#))
        #expect(!json.contains(#""error":{"#))
    }

    // MARK: Result and auto-sync

    @Test func sOnTheResultRunsTheAutoSync() {
        var widget = StepFixture.result.build()
        #expect(widget.type("s") == [.simulate(request: 4, action: .autoSync, itemId: itemID)])
        #expect(widget.type("s").isEmpty)  // one at a time
        #expect(widget.state.step == .result)
        let synced = Fixture.updated()
        let result = SimulatorResult(item: synced, autoSync: .synced, path: [.loginInProgress, .accountsInProgress, .success])
        #expect(widget.send(.simulatorReply(SimulatorReply(request: 4, action: .autoSync, result: .success(result)))).isEmpty)
        #expect(widget.state.step == .autoSync)
        #expect(widget.state.autoSync == result)
        let screen = widget.render().text
        #expect(screen.contains("Synced on its own"))
        #expect(screen.contains("Logging in → Accounts → Done"))
        // s again runs the next day.
        #expect(widget.type("s") == [.simulate(request: 5, action: .autoSync, itemId: itemID)])
    }

    @Test func sWithoutSimulatorDoesNothing() {
        var widget = StepFixture.result.build(config: WidgetConfig(itemId: itemID, simulator: false))
        #expect(widget.type("s").isEmpty)
        #expect(widget.state.step == .result)
        #expect(!widget.render().text.contains("run auto-sync"))
        #expect(StepFixture.result.build().render().text.contains("run auto-sync"))
    }

    @Test func uAfterAnAutoSyncOpensTheFlowAgain() {
        var widget = StepFixture.autoSync.build()
        let effects = widget.type("u")
        #expect(effects == [.updateItem(request: 5, itemId: itemID, parameters: nil)])
        #expect(widget.state.step == .progress)
        #expect(widget.state.autoSync == nil)
        #expect(widget.state.finished == nil)
    }

    @Test func uAfterAFailedAutoSyncShowsTheForm() {
        var widget = StepFixture.result.build()
        widget.type("s")
        let refused = Fixture.failed(.invalidCredentials, "The bank refused the stored password.")
        widget.send(.simulatorReply(SimulatorReply(request: 4, action: .autoSync, result: .success(SimulatorResult(
            item: refused, autoSync: .failed, path: [.loginInProgress, .invalidCredentials])))))
        #expect(widget.state.step == .autoSync)
        #expect(widget.render().text.contains("The bank refused the stored password."))
        #expect(widget.type("u").isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == "The bank refused the stored password.")
        #expect(widget.texts == ["user": "", "password": ""])
    }

    @Test func enterClosesTheAutoSyncResult() {
        var widget = StepFixture.autoSync.build()
        let effects = widget.key(.enter)
        #expect(events(effects) == ["CLOSE"])
        #expect(effects.last?.outcome == Outcome(.success, item: Fixture.updated()))
    }

    @Test func qClosesTheResult() {
        var widget = StepFixture.errorResult.build()
        let effects = widget.type("q")
        #expect(events(effects) == ["CLOSE"])
        #expect(effects.last?.outcome?.outcome == .error)
        #expect(effects.last?.outcome?.error?.code == "SITE_NOT_AVAILABLE")
    }

    // MARK: Help

    @Test(arguments: [StepFixture.opening, .progress, .credentialsUnfocused, .authorization, .result, .errorResult, .autoSync, .openingFailed])
    func questionMarkTogglesTheHelpAndEscOnlyClosesIt(_ fixture: StepFixture) {
        var widget = fixture.build()
        let before = widget.state
        #expect(widget.type("?").isEmpty)
        #expect(widget.state.showHelp)
        #expect(widget.render().text.contains("Keys"))
        #expect(widget.render().text.contains("Ctrl-C"))
        #expect(widget.key(.escape).isEmpty)
        #expect(!widget.state.showHelp)
        #expect(!widget.state.closed)
        #expect(widget.state.step == fixture.step)
        #expect(widget.state == before)
        // ? toggles it too, and keys under the overlay do nothing.
        widget.type("?")
        #expect(widget.type("a").isEmpty)
        #expect(widget.type("s").isEmpty)
        #expect(widget.key(.enter).isEmpty)  // Enter closes the help, not the widget
        #expect(!widget.state.showHelp)
        widget.type("?")
        #expect(widget.type("q").isEmpty)  // q closes the help only
        #expect(!widget.state.closed)
        widget.type("?")
        widget.type("?")
        #expect(!widget.state.showHelp)
        #expect(widget.state == before)
    }

    @Test func questionMarkInATextFieldIsTyped() {
        var widget = StepFixture.credentials.build()
        widget.type("?")
        #expect(!widget.state.showHelp)
        #expect(widget.field("user")?.text == "alice?")
    }
}

@Suite("the help overlay")
struct HelpOverlayTests {
    /// Every word of every help entry, as the help shows them.
    func words(_ widget: Widget) -> Set<String> {
        let entries = Screens.helpEntries(widget.state, Strings(widget.state.config.language))
        return Set(entries.flatMap { ($0.0 + " " + $0.1).split(separator: " ").map(String.init) })
    }

    @Test("on the smallest screen nothing is cut off: descriptions wrap and ↑/↓ scroll through every key")
    func smallestScreenScrolls() {
        var widget = StepFixture.credentials.build(config: WidgetConfig(itemId: itemID, simulator: true), size: Screens.minimumSize)
        widget.key(.escape)  // stop editing: ? opens the help
        widget.type("?")
        #expect(widget.state.showHelp)
        let limit = Screens.helpScrollLimit(widget.state)
        #expect(limit > 0)
        #expect(widget.render().text.contains("↑↓ scroll"))
        var seen = ""
        for _ in 0...limit + 2 {
            let canvas = widget.render()
            #expect(integrityProblems(canvas, width: 40, height: 12).isEmpty)
            seen += canvas.text + "\n"
            widget.key(.down)
        }
        #expect(widget.state.helpScroll == limit)  // stops at the end
        let shown = Set(seen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        #expect(words(widget).subtracting(shown).isEmpty, "missing: \(words(widget).subtracting(shown))")
        widget.key(.up, times: limit + 3)
        #expect(widget.state.helpScroll == 0)
        widget.key(.escape)
        #expect(!widget.state.showHelp)
    }

    @Test("on a full screen it fits: no scrolling; the simulator's keys only when the simulator is there")
    func fullScreenFits() {
        var plain = StepFixture.credentials.build(config: WidgetConfig(itemId: itemID, simulator: false))
        plain.key(.escape)
        plain.type("?")
        #expect(Screens.helpScrollLimit(plain.state) == 0)
        plain.key(.down)
        #expect(plain.state.helpScroll == 0)
        #expect(!plain.render().text.contains("simulator"))
        var simulated = StepFixture.credentials.build(config: WidgetConfig(itemId: itemID, simulator: true))
        simulated.key(.escape)
        simulated.type("?")
        #expect(simulated.render().text.contains("simulator: approve / deny"))
    }

    @Test("a resize keeps the help's scroll within what the new size allows")
    func resizeClampsScroll() {
        var widget = StepFixture.credentials.build(size: Size(width: 40, height: 12))
        widget.key(.escape)
        widget.type("?")
        widget.key(.down, times: 20)
        #expect(widget.state.helpScroll == Screens.helpScrollLimit(widget.state))
        widget.send(.resize(Size(width: 40, height: 16)))
        let limit = Screens.helpScrollLimit(widget.state)
        #expect(widget.state.helpScroll == limit)
        widget.key(.up)
        #expect(widget.state.helpScroll == max(0, limit - 1))  // ↑ moves at once
        widget.send(.resize(Size(width: 80, height: 24)))
        #expect(widget.state.helpScroll == 0)
    }

    @Test("reopening the help starts at the top")
    func reopensAtTop() {
        var widget = StepFixture.credentials.build(size: Screens.minimumSize)
        widget.key(.escape)
        widget.type("?")
        widget.key(.down, times: 3)
        widget.key(.escape)
        widget.type("?")
        #expect(widget.state.helpScroll == 0)
    }
}
