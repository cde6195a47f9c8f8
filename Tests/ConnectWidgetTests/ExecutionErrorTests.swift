import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// How an execution that ends in an error is shown: the form again, a new prompt, or the result.
@Suite struct ExecutionErrorTests {
    /// The form submitted (request 2), the execution started, and polled once (request 3 in flight).
    static func polling(connector: Connector = Fixture.bank(), token: String? = nil) -> Widget {
        var (widget, _) = Widget.loaded(Fixture.failed(.invalidCredentials, "Invalid credentials.", connector: connector, attempts: 1))
        widget.type("alice")
        widget.key(.tab)
        widget.type("wrong")
        if let token {
            widget.key(.tab)
            widget.type(token)
        }
        var parameters = ["user": "alice", "password": "wrong"]
        if let token { parameters["token"] = token }
        #expect(requests(widget.key(.enter)) == [.updateItem(request: 2, itemId: itemID, parameters: parameters)])
        widget.reply(2, .update, Fixture.running(connector: connector))
        #expect(widget.tick(0.25) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        widget.log = []
        return widget
    }

    /// An automatic update (OUTDATED item), started and polled once (request 3 in flight).
    static func automatic(connector: Connector = Fixture.bank()) -> Widget {
        let outdated = Fixture.item(.outdated, .siteNotAvailable, connector: connector)
        var (widget, effects) = Widget.loaded(outdated)
        #expect(effects == [.updateItem(request: 2, itemId: itemID, parameters: nil)])
        widget.reply(2, .update, Fixture.running(connector: connector))
        #expect(widget.tick(0.25) == [.fetchItem(request: 3, kind: .poll, itemId: itemID)])
        widget.log = []
        return widget
    }

    @Test func invalidCredentialsGoesBackToTheFormKeepingTheUserOnly() {
        var widget = Self.polling()
        let refused = Fixture.failed(.invalidCredentials, "Invalid credentials.", attempts: 2)
        let effects = widget.reply(3, .poll, refused)
        #expect(effects == [event("ERROR", 0.25, item: refused, error: ("INVALID_CREDENTIALS", "Invalid credentials."))])
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == "Invalid credentials.")
        #expect(widget.texts == ["user": "alice", "password": ""])
        #expect(widget.focus == 1)  // the secret to type again
        #expect(widget.field("password")?.cursor == 0)
        #expect(widget.field("user")?.cursor == 5)
        #expect(widget.state.run == nil)
        #expect(widget.tick(5).isEmpty)  // nothing polls behind the form
    }

    @Test func lockWarningFromTheSecondFailedAttempt() {
        var widget = Self.polling()
        widget.reply(3, .poll, Fixture.failed(.invalidCredentials, "Invalid credentials.", attempts: 2))
        let screen = widget.render().text
        #expect(screen.contains("Invalid credentials."))
        #expect(screen.contains("2 failed logins in a row"))

        var once = Self.polling()
        once.reply(3, .poll, Fixture.failed(.invalidCredentials, "Invalid credentials.", attempts: 1))
        #expect(once.state.step == .credentials)
        #expect(!once.render().text.contains("failed logins in a row"))

        var pt = Self.polling()
        pt.state.config.language = .pt
        pt.reply(3, .poll, Fixture.failed(.invalidCredentials, "Invalid credentials.", attempts: 3))
        #expect(pt.render().text.contains("3 tentativas seguidas falharam"))
    }

    @Test func wrongMFAOnATwoStepConnectorStartsANewUpdate() {
        var widget = Self.automatic(connector: Fixture.twoStep)
        widget.reply(3, .poll, Fixture.waitingInput())
        #expect(widget.state.step == .mfa)
        widget.type("000000")
        #expect(widget.key(.enter) == [
            event("SUBMITTED_MFA", 0.25),
            .sendMFA(request: 4, itemId: itemID, parameters: ["code": "000000"]),
        ])
        widget.reply(4, .mfa, Fixture.running(.loginMFAInProgress, connector: Fixture.twoStep))
        #expect(widget.tick(0.5) == [.fetchItem(request: 5, kind: .poll, itemId: itemID)])
        let refused = Fixture.failed(.invalidCredentialsMFA, "The code was not accepted.", connector: Fixture.twoStep)
        let effects = widget.reply(5, .poll, refused)
        #expect(effects == [
            event("ERROR", 0.5, item: refused, error: ("INVALID_CREDENTIALS_MFA", "The code was not accepted.")),
            .updateItem(request: 6, itemId: itemID, parameters: nil),
        ])
        #expect(!events(effects).contains("SUBMITTED_LOGIN"))
        #expect(widget.state.step == .progress)
        #expect(widget.state.banner == "The code was not accepted.")

        // The new prompt comes with the banner, and an empty field.
        var again = Fixture.smsCode
        again.expiresAt = at(400)
        widget.reply(6, .update, Fixture.waitingInput(again))
        #expect(widget.state.step == .mfa)
        #expect(widget.state.banner == "The code was not accepted.")
        #expect(widget.state.prompt?.field.text == "")
        #expect(widget.render().text.contains("The code was not accepted."))
    }

    @Test func wrongMFAWithoutExpiryGetsAnEmptyPromptToo() {
        // Pluggy's `parameter.expiresAt` is optional: the new prompt then looks like the old one.
        var code = Fixture.smsCode
        code.expiresAt = nil
        var widget = Self.automatic(connector: Fixture.twoStep)
        widget.reply(3, .poll, Fixture.waitingInput(code))
        widget.type("000000")
        widget.key(.enter)
        widget.reply(4, .mfa, Fixture.running(.loginMFAInProgress, connector: Fixture.twoStep))
        widget.tick(0.5)
        let refused = Fixture.failed(.invalidCredentialsMFA, "The code was not accepted.", connector: Fixture.twoStep)
        #expect(requests(widget.reply(5, .poll, refused)) == [.updateItem(request: 6, itemId: itemID, parameters: nil)])
        widget.reply(6, .update, Fixture.waitingInput(code))
        #expect(widget.state.step == .mfa)
        #expect(widget.state.banner == "The code was not accepted.")
        #expect(widget.state.prompt?.field.text == "")
    }

    @Test func wrongTokenOnAOneStepConnectorMarksTheTokenField() {
        var widget = Self.polling(connector: Fixture.oneStep, token: "123456")
        let refused = Fixture.failed(.invalidCredentialsMFA, "The token was not accepted.", connector: Fixture.oneStep)
        let effects = widget.reply(3, .poll, refused)
        #expect(events(effects) == ["ERROR"])
        #expect(requests(effects).isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == "The token was not accepted.")
        #expect(widget.field("token")?.text == "")
        #expect(widget.field("token")?.error == .refused("The token was not accepted."))
        #expect(widget.focus == 2)
        #expect(widget.field("user")?.text == "alice")
    }

    @Test func accountLockedEndsWithoutRetry() throws {
        var widget = Self.automatic()
        let locked = Fixture.failed(.accountLocked, "The account is locked.")
        let effects = widget.reply(3, .poll, locked)
        #expect(effects == [event("ERROR", 0.25, item: locked, error: ("ACCOUNT_LOCKED", "The account is locked."))])
        #expect(widget.state.step == .result)
        #expect(widget.state.banner == nil)
        #expect(!ConnectEngine.retryAvailable(widget.state))
        #expect(widget.key(.character("r")).isEmpty)
        #expect(widget.render().text.contains("Your account is locked at the bank."))
        let closing = widget.key(.enter)
        #expect(closing == [
            event("CLOSE", 0.25),
            .finish(Outcome(.error, item: locked, error: Outcome.OutcomeError(code: "ACCOUNT_LOCKED", message: "The account is locked."))),
        ])
        #expect(try #require(closing.last?.outcome).exitStatus == 1)
    }

    @Test(arguments: [ExecutionStatus.siteNotAvailable, .connectionError, .unexpectedError, .userInputTimeout, .alreadyLoggedIn])
    func transientErrorsOfferToRetry(_ code: ExecutionStatus) {
        var widget = Self.automatic()
        let failed = Fixture.failed(code, "It failed: \(code.rawValue).", status: .outdated)
        #expect(events(widget.reply(3, .poll, failed)) == ["ERROR"])
        #expect(widget.state.step == .result)
        #expect(widget.state.callError == nil)
        #expect(ConnectEngine.retryAvailable(widget.state))
        #expect(widget.key(.enter) == [.updateItem(request: 4, itemId: itemID, parameters: nil)])
        #expect(widget.state.step == .progress)
    }

    @Test func credentialsResetAsksForNewCredentials() {
        var widget = Self.automatic()
        #expect(events(widget.reply(3, .poll, Fixture.failed(.accountCredentialsReset, "Reset them at the bank."))) == ["ERROR"])
        #expect(widget.state.step == .credentials)
        #expect(widget.state.banner == "Reset them at the bank.")
    }

    @Test(arguments: [ExecutionStatus.accountNeedsAction, .userNotSupported])
    func errorsTheUserMustFixElsewhereCloseOnEnter(_ code: ExecutionStatus) {
        var widget = Self.automatic()
        widget.reply(3, .poll, Fixture.failed(code, "Go to the bank."))
        #expect(widget.state.step == .result)
        let closing = widget.key(.enter)
        #expect(events(closing) == ["CLOSE"])
        #expect(closing.last?.outcome?.outcome == .error)
        #expect(closing.last?.outcome?.error?.code == code.rawValue)
    }

    @Test func errorWithoutErrorObjectUsesTheExecutionStatus() {
        var widget = Self.automatic()
        let failed = Fixture.item(.outdated, .siteNotAvailable)
        let effects = widget.reply(3, .poll, failed)
        #expect(effects == [event("ERROR", 0.25, item: failed, error: ("SITE_NOT_AVAILABLE", "SITE_NOT_AVAILABLE"))])
    }

    @Test func retryOnAOneStepConnectorShowsTheFormAgain() {
        var widget = Self.polling(connector: Fixture.oneStep, token: "123456")
        widget.reply(3, .poll, Fixture.failed(.siteNotAvailable, "The bank was down.", connector: Fixture.oneStep, status: .outdated))
        #expect(ConnectEngine.retryAvailable(widget.state))
        #expect(widget.key(.enter).isEmpty)  // a new token is needed: nothing is sent yet
        #expect(widget.state.step == .credentials)
        #expect(widget.field("user")?.text == "alice")
        #expect(widget.field("token")?.text == "")
        #expect(widget.focus == 2)
    }
}
