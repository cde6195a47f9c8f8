import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// Waiting for the user: the MFA prompt (WAITING_USER_INPUT) and the authorization (WAITING_USER_ACTION).
@Suite struct MFAAndAuthorizationTests {
    /// An automatic update that stops at `parameter` (the update was request 2).
    static func prompt(_ parameter: ConnectorCredential = Fixture.smsCode,
                       config: WidgetConfig = WidgetConfig(itemId: itemID)) -> Widget {
        var (widget, effects) = Widget.loaded(Fixture.item(.outdated, .userInputTimeout, connector: Fixture.twoStep), config: config)
        #expect(effects == [.updateItem(request: 2, itemId: itemID, parameters: nil)])
        let waiting = Fixture.waitingInput(parameter)
        #expect(widget.reply(2, .update, waiting) == [event("ITEM_RESPONSE", item: waiting)])
        #expect(widget.state.step == .mfa)
        widget.log = []
        return widget
    }

    // MARK: MFA

    @Test func waitingUserInputShowsThePrompt() {
        let widget = Self.prompt()
        #expect(widget.state.prompt?.field.credential == Fixture.smsCode)
        #expect(widget.state.prompt?.editing == true)
        #expect(widget.state.prompt?.field.isSecret == true)
        #expect(widget.state.run?.steps == [.waitingUserInput])
        #expect(widget.state.waitExpiresAt == at(300))
        let screen = widget.render().text
        #expect(screen.contains("SMS code"))
        #expect(screen.contains("Type the code we sent to your phone."))
        #expect(screen.contains("Expires in 5:00"))
    }

    @Test func typedAnswerIsMaskedOnScreen() throws {
        var widget = Self.prompt()
        widget.type("123")
        #expect(widget.state.prompt?.field.text == "123")
        let canvas = widget.render()
        let secret = canvas.allCells.filter { $0.cell.secret }
        #expect(secret.count == 3)
        #expect(secret.allSatisfy { $0.cell.text == "•" })
        #expect(!canvas.rawText.contains("123"))
        let start = try #require(canvas.find("•••"))
        #expect(canvas[start.x, start.y].secret)

        // Revealed, the screen shows it, but the cells stay secret: exports still mask them.
        widget.key(.control("R"))
        let shown = widget.render()
        #expect(shown.rawText.contains("123"))
        #expect(!shown.text.contains("123"))
        #expect(shown.allCells.filter { $0.cell.secret }.count == 3)
    }

    @Test func invalidAnswerSendsNothing() {
        var widget = Self.prompt()
        widget.type("123")
        #expect(widget.key(.enter).isEmpty)
        #expect(widget.state.step == .mfa)
        #expect(widget.state.prompt?.field.error == .invalid("The code has 6 digits"))
        #expect(widget.render().text.contains("The code has 6 digits"))
        widget.key(.backspace, times: 3)
        #expect(widget.key(.enter).isEmpty)
        #expect(widget.state.prompt?.field.error == .required)
    }

    @Test func validAnswerIsSent() {
        var widget = Self.prompt()
        widget.type("12a34-56")  // a number parameter takes digits only
        let effects = widget.key(.enter)
        #expect(effects == [
            event("SUBMITTED_MFA"),
            .sendMFA(request: 3, itemId: itemID, parameters: ["code": "123456"]),
        ])
        #expect(widget.state.step == .progress)
        #expect(widget.state.run?.mfaSubmitted == true)
        #expect(effects.first?.event?.item == nil)
        // The MFA reply, then the first data step: LOGIN_MFA_SUCCESS instead of LOGIN_SUCCESS.
        let checking = Fixture.running(.loginMFAInProgress, connector: Fixture.twoStep)
        #expect(widget.reply(3, .mfa, checking) == [event("ITEM_RESPONSE", item: checking)])
        #expect(widget.tick(0.25) == [.fetchItem(request: 4, kind: .poll, itemId: itemID)])
        let accounts = Fixture.running(.accountsInProgress, connector: Fixture.twoStep)
        #expect(widget.reply(4, .poll, accounts) == [
            event("LOGIN_MFA_SUCCESS", 0.25, item: accounts),
            event("LOGIN_STEP_COMPLETED", 0.25, item: accounts),
        ])
        widget.tick(0.5)
        #expect(events(widget.reply(5, .poll, Fixture.running(.transactionsInProgress, connector: Fixture.twoStep))).isEmpty)
    }

    @Test func textParameterTakesAnythingPrintable() {
        let question = ConnectorCredential(label: "Your pet's name?", name: "answer", type: .text, expiresAt: at(300))
        var widget = Self.prompt(question)
        widget.type("Rex q?")
        #expect(widget.state.prompt?.field.text == "Rex q?")
        #expect(!widget.state.showHelp)
        #expect(!widget.state.closed)
        #expect(widget.state.prompt?.field.isSecret == true)  // any MFA answer is a secret
        #expect(widget.key(.enter) == [
            event("SUBMITTED_MFA"), .sendMFA(request: 3, itemId: itemID, parameters: ["answer": "Rex q?"]),
        ])
    }

    @Test func selectParameterUsesUpAndDownAndSendsTheValue() {
        var widget = Self.prompt(Fixture.deliveryChoice)
        #expect(widget.state.prompt?.field.isSelect == true)
        widget.key(.down)
        #expect(widget.state.prompt?.field.option == 1)
        widget.key(.down)
        widget.key(.down)
        #expect(widget.state.prompt?.field.option == 0)  // wraps
        widget.key(.up)
        #expect(widget.state.prompt?.field.option == 2)
        widget.key(.up)
        #expect(widget.state.prompt?.field.option == 1)
        #expect(widget.render().text.contains("● E-mail"))
        #expect(widget.key(.enter) == [
            event("SUBMITTED_MFA"), .sendMFA(request: 3, itemId: itemID, parameters: ["delivery": "email"]),
        ])
    }

    @Test func pasteIntoThePromptIsFilteredAndNeverSends() {
        var widget = Self.prompt()
        #expect(widget.paste("123 456\n").isEmpty)
        #expect(widget.state.prompt?.field.text == "123456")
        #expect(widget.state.step == .mfa)
        widget.paste(String(repeating: "9", count: 10_000))
        #expect(widget.state.prompt?.field.text.count == ConnectEngine.maxFieldLength)
    }

    @Test func escStopsEditingThenClosesAndQTypesWhileEditing() throws {
        let question = ConnectorCredential(label: "Word", name: "word", type: .text)
        var widget = Self.prompt(question)
        widget.type("q")
        #expect(widget.state.prompt?.field.text == "q")
        #expect(widget.key(.escape).isEmpty)
        #expect(widget.state.prompt?.editing == false)
        #expect(widget.paste("more").isEmpty)  // not editing: the paste is dropped
        #expect(widget.state.prompt?.field.text == "q")
        // Any other key edits again.
        #expect(widget.key(.enter).isEmpty)
        #expect(widget.state.prompt?.editing == true)
        widget.key(.escape)
        let effects = widget.type("q")
        #expect(events(effects) == ["CLOSE"])
        #expect(try #require(effects.last?.outcome).outcome == .closed)
    }

    @Test func questionMarkInANumberPromptOpensHelp() {
        var widget = Self.prompt()
        widget.type("?")
        #expect(widget.state.showHelp)
        #expect(widget.state.prompt?.field.text == "")
        widget.key(.escape)
        #expect(!widget.state.showHelp)
        #expect(widget.state.prompt?.editing == true)  // Esc only closed the help
    }

    @Test func expiryPollsOnce() {
        var widget = Self.prompt()
        widget.type("12")
        #expect(widget.tick(1).isEmpty)  // the prompt does not poll on a schedule
        #expect(widget.tick(299.9).isEmpty)
        #expect(widget.tick(300) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        #expect(widget.tick(301).isEmpty)
        #expect(widget.reply(3, .poll, Fixture.waitingInput()).isEmpty)  // still waiting, same prompt
        #expect(widget.state.step == .mfa)
        #expect(widget.state.prompt?.field.text == "12")  // what was typed survives the poll
        #expect(widget.tick(302).isEmpty)
        #expect(widget.tick(400).isEmpty)
        #expect(widget.render().text.contains("Expired"))
    }

    @Test func expiryPollThatFindsTheTimeoutShowsTheResult() {
        var widget = Self.prompt()
        widget.tick(300)
        let timeout = Fixture.failed(.userInputTimeout, "Nobody answered.", connector: Fixture.twoStep, status: .outdated)
        #expect(events(widget.reply(3, .poll, timeout)) == ["ERROR"])
        #expect(widget.state.step == .result)
        #expect(ConnectEngine.retryAvailable(widget.state))
    }

    @Test func pollReplyOlderThanTheAnswerIsIgnored() {
        var widget = Self.prompt()
        #expect(widget.tick(300) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        widget.type("123456")
        #expect(requests(widget.key(.enter)) == [.sendMFA(request: 4, itemId: itemID, parameters: ["code": "123456"])])
        // The poll sent before the answer says the wait timed out: stale, ignored.
        let stale = Fixture.failed(.userInputTimeout, "Nobody answered.", connector: Fixture.twoStep, status: .outdated)
        #expect(widget.reply(3, .poll, stale).isEmpty)
        #expect(widget.state.step == .progress)
        #expect(widget.state.finished == nil)
        #expect(widget.state.item == Fixture.waitingInput())
        let checking = Fixture.running(.loginMFAInProgress, connector: Fixture.twoStep)
        #expect(events(widget.reply(4, .mfa, checking)) == ["ITEM_RESPONSE"])
        // Polling resumes: a poll sent after the answer is applied.
        #expect(widget.tick(300.1) == [.fetchItem(request: 5, kind: .poll, itemId: itemID)])
        #expect(events(widget.reply(5, .poll, Fixture.running(.accountsInProgress, connector: Fixture.twoStep)))
            == ["LOGIN_MFA_SUCCESS", "LOGIN_STEP_COMPLETED"])
    }

    @Test func waitingForInputWithoutAParameterKeepsFollowing() {
        var (widget, _) = Widget.loaded(Fixture.item(.outdated, .userInputTimeout, connector: Fixture.twoStep))
        var waiting = Fixture.waitingInput()
        waiting.parameter = nil
        widget.reply(2, .update, waiting)
        #expect(widget.state.step == .progress)
        #expect(widget.state.prompt == nil)
        #expect(widget.tick(0.25) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
    }

    @Test func refusedAnswerStaysOnThePrompt() {
        var widget = Self.prompt()
        widget.type("123456")
        widget.key(.enter)
        let error = PluggyAPIError.parameterValidation([
            ParameterValidationError(code: "002", message: "The code is not valid.", parameter: "code"),
        ])
        #expect(widget.fail(3, .mfa, error).isEmpty)
        #expect(widget.state.step == .mfa)
        #expect(widget.state.prompt?.field.error == .refused("The code is not valid."))
    }

    @Test func answerToAnItemNoLongerWaitingLooksAgain() {
        var widget = Self.prompt()
        widget.type("123456")
        widget.key(.enter)
        #expect(widget.fail(3, .mfa, .itemNotWaitingUserInput) == [.fetchItem(request: 4, kind: .poll, itemId: itemID)])
    }

    @Test func secondMFAStepGetsAFreshPrompt() {
        var widget = Self.prompt(Fixture.deliveryChoice)
        widget.key(.down)
        widget.key(.enter)
        widget.reply(3, .mfa, Fixture.running(.loginMFAInProgress, connector: Fixture.twoStep))
        widget.tick(0.25)
        widget.reply(4, .poll, Fixture.waitingInput(Fixture.smsCode))
        #expect(widget.state.step == .mfa)
        #expect(widget.state.prompt?.field.credential.name == "code")
        #expect(widget.state.prompt?.field.option == 0)
        #expect(widget.state.prompt?.field.error == nil)
    }

    // MARK: Authorization

    static func authorization(simulator: Bool = true, pollInterval: Double = 0.25) -> Widget {
        let (widget, effects) = Widget.loaded(
            Fixture.waitingAction(), config: WidgetConfig(itemId: itemID, simulator: simulator, pollInterval: pollInterval))
        #expect(effects.isEmpty)
        #expect(widget.state.step == .authorization)
        return widget
    }

    @Test func waitingUserActionShowsTheInstructions() {
        let widget = Self.authorization()
        let screen = widget.render().text
        #expect(screen.contains("Open the Pluggy Bank app and approve the access."))
        #expect(screen.contains("Expires in 10:00"))
        #expect(screen.contains("[Simulator] a: approve on the phone"))
        #expect(!Self.authorization(simulator: false).render().text.contains("Simulator"))
    }

    @Test func approveAndDenyAreSimulatorControls() {
        var widget = Self.authorization()
        #expect(widget.type("a") == [.simulate(request: 2, action: .approve, itemId: itemID)])
        #expect(widget.type("a").isEmpty)  // one simulator call at a time
        #expect(widget.type("d").isEmpty)
        let approved = Fixture.running(.loginInProgress, connector: Fixture.twoStep)
        let effects = widget.send(.simulatorReply(SimulatorReply(request: 2, action: .approve, result: .success(SimulatorResult(item: approved)))))
        #expect(effects.isEmpty)
        #expect(widget.state.step == .progress)
        #expect(widget.state.item == approved)

        var denying = Self.authorization()
        #expect(denying.type("D") == [.simulate(request: 2, action: .deny, itemId: itemID)])
        let denied = Fixture.failed(.userAuthorizationNotGranted, "Access was denied.", connector: Fixture.twoStep)
        #expect(events(denying.send(.simulatorReply(SimulatorReply(request: 2, action: .deny, result: .success(SimulatorResult(item: denied)))))) == ["ERROR"])
        #expect(denying.state.step == .result)
    }

    @Test func withoutSimulatorAAndDDoNothing() {
        var widget = Self.authorization(simulator: false)
        #expect(widget.type("a").isEmpty)
        #expect(widget.type("d").isEmpty)
        #expect(widget.type("A").isEmpty)
        #expect(widget.state.step == .authorization)
        #expect(!widget.state.closed)
    }

    @Test func simulatorFailureIsKept() {
        var widget = Self.authorization()
        widget.type("a")
        let error = PluggyAPIError.itemNotWaitingUserAction
        #expect(widget.send(.simulatorReply(SimulatorReply(request: 2, action: .approve, result: .failure(error)))).isEmpty)
        #expect(widget.state.callError == error)
        #expect(widget.state.step == .authorization)
        #expect(widget.type("a") == [.simulate(request: 3, action: .approve, itemId: itemID)])  // may try again
    }

    @Test func authorizationPollsAtLeastEverySecond() {
        var widget = Self.authorization()
        #expect(widget.tick(0.2).isEmpty)
        #expect(widget.tick(0.25) == [.fetchItem(request: 2, kind: .poll, itemId: itemID)])
        #expect(widget.reply(2, .poll, Fixture.waitingAction()).isEmpty)
        #expect(widget.tick(0.5).isEmpty)
        #expect(widget.tick(1.2).isEmpty)
        #expect(widget.tick(1.25) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        #expect(widget.tick(2.5).isEmpty)  // in flight
        widget.reply(3, .poll, Fixture.waitingAction())
        #expect(widget.tick(2.5) == [.fetchItem(request: 4, kind: .poll, itemId: itemID)])
        #expect(widget.state.step == .authorization)

        var slow = Self.authorization(pollInterval: 3)
        #expect(slow.tick(2.9).isEmpty)
        #expect(slow.tick(3) == [.fetchItem(request: 2, kind: .poll, itemId: itemID)])
        slow.reply(2, .poll, Fixture.waitingAction())
        #expect(slow.tick(5.9).isEmpty)
        #expect(slow.tick(6) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
    }

    @Test func noPollWhileTheSimulatorActs() {
        var widget = Self.authorization()
        widget.type("a")
        #expect(widget.tick(5).isEmpty)
    }

    @Test func pollReplyOlderThanTheApprovalIsIgnored() {
        var widget = Self.authorization()
        #expect(widget.tick(0.25) == [.fetchItem(request: 2, kind: .poll, itemId: itemID)])
        #expect(widget.type("a") == [.simulate(request: 3, action: .approve, itemId: itemID)])
        let expired = Fixture.failed(.userAuthorizationPending, "Not authorized in time.", connector: Fixture.twoStep)
        #expect(widget.reply(2, .poll, expired).isEmpty)
        #expect(widget.state.step == .authorization)
        #expect(widget.state.finished == nil)
    }

    @Test func authorizationThenSuccessReportsTheLogin() {
        var widget = Self.authorization()
        widget.tick(0.25)
        let collecting = Fixture.running(.accountsInProgress, connector: Fixture.twoStep)
        #expect(events(widget.reply(2, .poll, collecting)) == ["LOGIN_SUCCESS", "LOGIN_STEP_COMPLETED"])
        #expect(widget.state.step == .progress)
        #expect(widget.state.run?.steps == [.waitingUserAction, .accountsInProgress])
    }

    @Test func qClosesTheAuthorization() {
        var widget = Self.authorization()
        let effects = widget.type("q")
        #expect(events(effects) == ["CLOSE"])
        #expect(effects.last?.outcome?.outcome == .closed)
    }
}
