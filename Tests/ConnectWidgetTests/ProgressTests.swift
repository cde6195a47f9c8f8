import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// Following an execution: polling, snapshots, login events, and how update calls can fail.
@Suite struct ProgressTests {
    /// An OUTDATED item: the update starts at once (request 2).
    static func updating() -> Widget {
        let (widget, effects) = Widget.loaded(Fixture.outdated)
        #expect(effects == [.updateItem(request: 2, itemId: itemID, parameters: nil)])
        return widget
    }

    /// The form, filled with alice / pw and submitted (request 2).
    static func submitted(connector: Connector = Fixture.bank()) -> Widget {
        var (widget, _) = Widget.loaded(Fixture.failed(.invalidCredentials, "Invalid credentials.", connector: connector, attempts: 1))
        widget.type("alice")
        widget.key(.tab)
        widget.type("pw")
        let effects = widget.key(.enter)
        #expect(requests(effects) == [.updateItem(request: 2, itemId: itemID, parameters: ["user": "alice", "password": "pw"])])
        widget.log = []
        return widget
    }

    // MARK: Polling

    @Test func noPollWhileTheUpdateCallIsInFlight() {
        var widget = Self.updating()
        #expect(widget.tick(0.25).isEmpty)
        #expect(widget.tick(5).isEmpty)
        #expect(widget.state.step == .progress)
    }

    @Test func ticksPollOnScheduleWithOnePollInFlight() {
        var widget = Self.updating()
        let started = Fixture.running(.loginInProgress)
        #expect(widget.reply(2, .update, started) == [event("ITEM_RESPONSE", item: started)])
        #expect(widget.state.run?.steps == [.loginInProgress])
        #expect(widget.tick(0.1).isEmpty)
        #expect(widget.tick(0.24).isEmpty)
        #expect(widget.tick(0.25) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        // Never two polls in flight, however late the reply.
        #expect(widget.tick(0.5).isEmpty)
        #expect(widget.tick(3).isEmpty)
        #expect(widget.reply(3, .poll, started).isEmpty)
        #expect(widget.tick(3) == [.fetchItem(request: 4, kind: .poll, itemId: itemID)])
        #expect(widget.reply(4, .poll, started).isEmpty)
        #expect(widget.tick(3.2).isEmpty)  // next at 3.25
        #expect(widget.tick(3.25) == [.fetchItem(request: 5, kind: .poll, itemId: itemID)])
        #expect(widget.state.run?.steps == [.loginInProgress])  // the same step is listed once
    }

    @Test func pollIntervalComesFromTheConfig() {
        var (widget, _) = Widget.loaded(Fixture.running(), config: WidgetConfig(itemId: itemID, pollInterval: 2))
        #expect(widget.tick(1.9).isEmpty)
        #expect(widget.tick(2) == [.fetchItem(request: 2, kind: .poll, itemId: itemID)])
        widget.reply(2, .poll, Fixture.running())
        #expect(widget.tick(3.9).isEmpty)
        #expect(widget.tick(4) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
    }

    @Test func snapshotsWalkTheStepsAndReportTheLoginOnce() throws {
        var widget = Self.updating()
        widget.reply(2, .update, Fixture.running(.loginInProgress))
        widget.tick(0.25)
        let accounts = Fixture.running(.accountsInProgress)
        #expect(widget.reply(3, .poll, accounts) == [
            event("LOGIN_SUCCESS", 0.25, item: accounts),
            event("LOGIN_STEP_COMPLETED", 0.25, item: accounts),
        ])
        widget.tick(0.5)
        #expect(widget.reply(4, .poll, Fixture.running(.creditCardsInProgress)).isEmpty)
        widget.tick(0.75)
        #expect(widget.reply(5, .poll, Fixture.item(.merging, .transactionsInProgress)).isEmpty)
        #expect(widget.state.step == .progress)
        #expect(widget.state.run?.steps == [.loginInProgress, .accountsInProgress, .creditCardsInProgress, .transactionsInProgress])
        #expect(widget.render().find("Credit cards") != nil)

        widget.tick(1)
        let done = Fixture.updated()
        #expect(widget.reply(6, .poll, done) == [event("SUCCESS", 1, item: done)])
        #expect(widget.state.step == .result)
        #expect(widget.state.finished == .success(done))
        #expect(widget.state.run == nil)
        #expect(!ConnectEngine.retryAvailable(widget.state))
        #expect(widget.tick(2).isEmpty)  // no more polling

        let closing = widget.key(.enter)
        #expect(closing == [event("CLOSE", 2), .finish(Outcome(.success, item: done))])
        #expect(try #require(closing.last?.outcome).exitStatus == 0)
        // The whole run, in order.
        #expect(events(widget.log) == ["ITEM_RESPONSE", "LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED", "SUCCESS", "CLOSE"])
    }

    @Test func settlingWithoutADataStepStillReportsTheLogin() {
        var widget = Self.updating()
        widget.reply(2, .update, Fixture.running(.loginInProgress))
        widget.tick(0.25)
        let partial = Fixture.item(.updated, .partialSuccess)
        #expect(events(widget.reply(3, .poll, partial)) == ["LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED", "SUCCESS"])
        #expect(widget.state.finished == .success(partial))
    }

    @Test func loginStepsDoNotCountAsTheLogin() {
        var widget = Self.updating()
        #expect(events(widget.reply(2, .update, Fixture.running(.loginInProgress))) == ["ITEM_RESPONSE"])
        widget.tick(0.25)
        #expect(widget.reply(3, .poll, Fixture.running(.loginMFAInProgress)).isEmpty)
        widget.tick(0.5)
        // The update reply can already be past the login.
        #expect(events(widget.reply(4, .poll, Fixture.running(.identityInProgress))) == ["LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED"])
    }

    @Test func aFailedPollKeepsFollowing() {
        var widget = Self.updating()
        widget.reply(2, .update, Fixture.running())
        widget.tick(0.25)
        let error = PluggyAPIError(code: 503, codeDescription: "SERVICE_UNAVAILABLE", message: "Try later.")
        #expect(widget.fail(3, .poll, error).isEmpty)
        #expect(widget.state.step == .progress)
        #expect(widget.state.callError == error)
        #expect(widget.tick(0.5) == [.fetchItem(request: 4, kind: .poll, itemId: itemID)])
        widget.reply(4, .poll, Fixture.running(.accountsInProgress))
        #expect(widget.state.callError == nil)
    }

    @Test func closingWhileUpdatingIsClosedFirst() throws {
        var widget = Self.updating()
        widget.reply(2, .update, Fixture.running())
        let effects = widget.key(.character("q"))
        #expect(effects == [event("CLOSE"), .finish(Outcome(.closed, item: Fixture.running()))])
        #expect(try #require(effects.last?.outcome).exitStatus == 2)
        // A reply that arrives after the close changes nothing.
        #expect(widget.reply(3, .poll, Fixture.updated()).isEmpty)
        #expect(widget.state.step == .progress)
    }

    // MARK: Replies to the update

    @Test func updateReplyEmitsItemResponseWithTheItem() {
        var widget = Self.submitted()
        let started = Fixture.running()
        let effects = widget.reply(2, .update, started)
        #expect(effects == [event("ITEM_RESPONSE", item: started)])
        #expect(widget.state.item == started)
        #expect(widget.state.step == .progress)
    }

    @Test func badRequestGoesBackToTheFormWithTheFieldsError() {
        var widget = Self.submitted()
        let error = PluggyAPIError.parameterValidation([
            ParameterValidationError(code: "002", message: "The password has at least 8 characters.", parameter: "password"),
        ])
        #expect(widget.fail(2, .update, error).isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == error.message)
        #expect(widget.field("password")?.error == .refused("The password has at least 8 characters."))
        #expect(widget.field("user")?.error == nil)
        #expect(widget.focus == 1)
        #expect(widget.texts == ["user": "alice", "password": "pw"])
        #expect(widget.state.run == nil)
        // Typing clears the refusal; the next submit is a new request.
        widget.key(.end)
        widget.type("12345678")
        #expect(widget.field("password")?.error == nil)
        #expect(requests(widget.key(.enter)) == [
            .updateItem(request: 3, itemId: itemID, parameters: ["user": "alice", "password": "pw12345678"]),
        ])
    }

    @Test func badRequestFocusesTheFirstRefusedField() {
        var widget = Self.submitted()
        widget.fail(2, .update, .parameterValidation([
            ParameterValidationError(code: "002", message: "Bad password.", parameter: "password"),
            ParameterValidationError(code: "001", message: "User is required.", parameter: "user"),
            ParameterValidationError(code: "001", message: "Unknown.", parameter: "nope"),
        ]))
        #expect(widget.focus == 0)
        #expect(widget.field("user")?.error == .refused("User is required."))
        #expect(widget.field("password")?.error == .refused("Bad password."))
    }

    @Test func badRequestToAnAutomaticUpdateShowsTheForm() {
        var widget = Self.updating()
        widget.fail(2, .update, .parameterValidation([
            ParameterValidationError(code: "001", message: "Password is required.", parameter: "password"),
        ]))
        #expect(widget.state.step == .credentials)
        #expect(widget.field("password")?.error == .refused("Password is required."))
        #expect(widget.focus == 1)
    }

    @Test func conflictFollowsTheRunningUpdate() {
        var widget = Self.submitted()
        let effects = widget.fail(2, .update, .itemAlreadyUpdating)
        #expect(effects == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        #expect(widget.state.step == .progress)
        #expect(widget.state.run?.withCredentials == false)
        #expect(widget.tick(1).isEmpty)  // that poll is still in flight
        #expect(events(widget.reply(3, .poll, Fixture.running(.accountsInProgress))) == ["LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED"])
        #expect(widget.tick(1) == [.fetchItem(request: 4, kind: .poll, itemId: itemID)])
    }

    static let refusals: [PluggyAPIError] = [
        PluggyAPIError(code: 401, codeDescription: "TOKEN_EXPIRED", message: "The connect token expired."),
        PluggyAPIError(code: 403, codeDescription: "FORBIDDEN", message: "Not your item."),
        .itemNotFound(itemID),
    ]

    @Test(arguments: refusals)
    func refusedUpdateShowsOpeningFailed(_ error: PluggyAPIError) throws {
        var widget = Self.submitted()
        let effects = widget.fail(2, .update, error)
        #expect(effects == [event("ERROR", error: (error.codeDescription!, error.message))])
        #expect(widget.state.step == .openingFailed)
        #expect(widget.state.run == nil)
        let closing = widget.key(.enter)
        #expect(events(closing) == ["CLOSE"])
        let outcome = try #require(closing.last?.outcome)
        #expect(outcome.outcome == .error)
        #expect(outcome.error == Outcome.OutcomeError(code: error.codeDescription!, message: error.message))
        #expect(outcome.exitStatus == 1)
    }

    static let callFailures: [(PluggyAPIError, String)] = [
        (PluggyAPIError(code: 500, codeDescription: "INTERNAL_SERVER_ERROR", message: "Something broke."), "INTERNAL_SERVER_ERROR"),
        (PluggyAPIError(code: 0, message: "Could not reach api.pluggy.ai."), "HTTP_0"),
        (PluggyAPIError(code: 429, codeDescription: "TOO_MANY_REQUESTS", message: "Slow down.", retryAfterSeconds: 3), "TOO_MANY_REQUESTS"),
    ]

    @Test(arguments: callFailures)
    func failedCallOffersToRetry(_ error: PluggyAPIError, _ code: String) {
        var widget = Self.updating()
        let effects = widget.fail(2, .update, error)
        #expect(effects == [event("ERROR", item: Fixture.outdated, error: (code, error.message))])
        #expect(widget.state.step == .result)
        #expect(widget.state.callError == error)
        #expect(widget.state.finished == .error(code: code, message: error.message, item: Fixture.outdated))
        #expect(ConnectEngine.retryAvailable(widget.state))
        #expect(widget.render().find("try again") != nil)
        // Enter starts again with a new PATCH.
        #expect(widget.key(.enter) == [.updateItem(request: 3, itemId: itemID, parameters: nil)])
        #expect(widget.state.step == .progress)
        #expect(widget.state.callError == nil)
    }

    @Test func rRetriesToo() {
        var widget = Self.updating()
        widget.fail(2, .update, PluggyAPIError(code: 502, message: "Bad gateway."))
        #expect(widget.key(.character("r")) == [.updateItem(request: 3, itemId: itemID, parameters: nil)])
    }

    @Test func retryAfterACallFailureKeepsTheTypedCredentials() {
        var widget = Self.submitted()
        widget.fail(2, .update, PluggyAPIError(code: 0, message: "Could not reach api.pluggy.ai."))
        #expect(widget.state.step == .result)
        let effects = widget.key(.enter)
        let resent = effects.contains(.updateItem(request: 3, itemId: itemID, parameters: ["user": "alice", "password": "pw"]))
        #expect(resent || widget.state.step == .credentials)
    }
}
