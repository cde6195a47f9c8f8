import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// Opening the widget: OPEN, loading the item, and what the loaded item leads to.
@Suite struct StartTests {
    @Test func startEmitsOpenThenLoadsTheItem() {
        let (state, effects) = ConnectEngine.start(
            config: WidgetConfig(itemId: itemID), size: Size(width: 80, height: 24), now: t0)
        #expect(effects == [
            .emit(WidgetEvent(event: "OPEN", at: t0)),
            .fetchItem(request: 1, kind: .load, itemId: itemID),
        ])
        #expect(state.step == .opening)
        #expect(state.item == nil)
        #expect(!state.closed)
        #expect(state.wantsTicks)
        #expect(effects.first?.event?.timestamp == 1_768_478_400_000)
    }

    static let refusals: [PluggyAPIError] = [
        PluggyAPIError(code: 401, codeDescription: "TOKEN_EXPIRED", message: "The connect token expired."),
        PluggyAPIError(code: 403, codeDescription: "FORBIDDEN", message: "The token was issued for another item."),
        .itemNotFound(itemID),
    ]

    @Test(arguments: refusals)
    func loadRefusedShowsOpeningFailedAndEnterClosesWithError(_ error: PluggyAPIError) throws {
        var widget = Widget()
        let effects = widget.fail(1, .load, error)
        #expect(widget.state.step == .openingFailed)
        #expect(widget.state.openingError == error)
        #expect(effects == [event("ERROR", error: (error.codeDescription!, error.message))])
        // Keys other than Enter / Esc / q do nothing there.
        #expect(widget.key(.character("x")).isEmpty)
        #expect(widget.key(.tab).isEmpty)
        #expect(widget.state.step == .openingFailed)

        let closing = widget.key(.enter)
        #expect(closing == [
            event("CLOSE"),
            .finish(Outcome(.error, item: nil, error: Outcome.OutcomeError(code: error.codeDescription!, message: error.message))),
        ])
        let outcome = try #require(closing.last?.outcome)
        #expect(outcome.exitStatus == 1)
        #expect(widget.state.closed)
        #expect(!widget.state.wantsTicks)
        // Nothing happens once closed.
        #expect(widget.key(.enter).isEmpty)
        #expect(widget.tick(10).isEmpty)
    }

    @Test func loadFailureWithoutCodeDescriptionUsesTheHTTPStatus() {
        var widget = Widget()
        let effects = widget.fail(1, .load, PluggyAPIError(code: 0, message: "Could not reach the server."))
        #expect(widget.state.step == .openingFailed)
        #expect(effects == [event("ERROR", error: ("HTTP_0", "Could not reach the server."))])
        let closing = widget.key(.escape)
        #expect(closing.last?.outcome?.outcome == .error)
        #expect(closing.last?.outcome?.error?.code == "HTTP_0")
    }

    @Test func loginErrorItemOpensTheFormWithPluggysMessage() throws {
        let item = try decodeItem(Fixture.loginErrorJSON)
        #expect(item.executionStatus == .invalidCredentials)
        let (widget, effects) = Widget.loaded(item)
        #expect(effects.isEmpty)  // nothing is sent before the user types
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == "Invalid credentials.")
        #expect(widget.state.item == item)
        #expect(widget.state.form?.fields.map(\.credential.name) == ["user", "password"])
        #expect(widget.focus == 0)
        #expect(widget.texts == ["user": "", "password": ""])
        #expect(widget.state.run == nil)
    }

    @Test func invalidCredentialsWithoutLoginErrorStatusAlsoAsks() {
        // The error code alone decides (an OUTDATED item whose last execution was INVALID_CREDENTIALS).
        let item = Fixture.item(.outdated, .error, error: ExecutionErrorResult(code: .invalidCredentials, message: "Wrong password."))
        let (widget, effects) = Widget.loaded(item)
        #expect(effects.isEmpty)
        #expect(widget.state.step == .credentials)
    }

    @Test func oneStepMFAConnectorOpensTheFormWithoutBanner() {
        let item = Fixture.item(.outdated, .success, connector: Fixture.oneStep)
        let (widget, effects) = Widget.loaded(item)
        #expect(effects.isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == nil)
        #expect(widget.state.form?.fields.count == 3)
        #expect(widget.state.form?.submitIndex == 3)
    }

    @Test(arguments: [Fixture.outdated, Fixture.updated(), Fixture.failed(.userInputTimeout, "Nobody answered.", status: .outdated)])
    func itemThatNeedsNoInputStartsTheUpdateAtOnce(_ item: Item) {
        let (widget, effects) = Widget.loaded(item)
        #expect(effects == [.updateItem(request: 2, itemId: itemID, parameters: nil)])
        #expect(!events(effects).contains("SUBMITTED_LOGIN"))
        #expect(widget.state.step == .progress)
        #expect(widget.state.form == nil)
        #expect(widget.state.run?.withCredentials == false)
        #expect(widget.state.run?.startedAt == t0)
    }

    @Test func runningItemIsFollowedByPolling() {
        var (widget, effects) = Widget.loaded(Fixture.running(.accountsInProgress))
        #expect(effects.isEmpty)
        #expect(widget.state.step == .progress)
        #expect(widget.state.run != nil)
        #expect(widget.tick(0.1).isEmpty)
        #expect(widget.tick(0.25) == [.fetchItem(request: 2, kind: .poll, itemId: itemID)])
        // A running item that was not started here still walks its steps.
        let next = widget.reply(2, .poll, Fixture.running(.transactionsInProgress))
        #expect(events(next) == ["LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED"])
        #expect(widget.state.run?.steps == [.transactionsInProgress])
    }

    @Test func itemWaitingForInputOpensTheMFAPrompt() {
        let (widget, effects) = Widget.loaded(Fixture.waitingInput())
        #expect(effects.isEmpty)
        #expect(widget.state.step == .mfa)
        #expect(widget.state.prompt?.field.credential.name == "code")
        #expect(widget.state.prompt?.editing == true)
    }

    @Test func itemWaitingForActionOpensTheAuthorization() {
        let (widget, effects) = Widget.loaded(Fixture.waitingAction())
        #expect(effects.isEmpty)
        #expect(widget.state.step == .authorization)
    }

    @Test func resizeAndTimeOnlyMoveForward() {
        var widget = Widget()
        #expect(widget.send(.resize(Size(width: 100, height: 30))).isEmpty)
        #expect(widget.state.size == Size(width: 100, height: 30))
        widget.tick(5)
        #expect(widget.state.now == at(5))
        widget.tick(2)  // a late tick never moves time back
        #expect(widget.state.now == at(5))
    }
}
