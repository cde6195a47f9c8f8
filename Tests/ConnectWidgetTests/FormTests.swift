import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// The credentials form: editing, focus, validation, submitting, pasting and closing.
@Suite struct FormTests {
    /// A form over `credentials` (the item had INVALID_CREDENTIALS).
    static func form(_ credentials: [ConnectorCredential] = [Fixture.user, Fixture.password]) -> Widget {
        let connector = Fixture.bank(credentials: credentials)
        let (widget, effects) = Widget.loaded(Fixture.failed(.invalidCredentials, "Invalid credentials.", connector: connector))
        #expect(effects.isEmpty)
        #expect(widget.state.step == .credentials)
        return widget
    }

    // MARK: Editing

    @Test func typingInsertsAtTheCursor() {
        var widget = Self.form()
        #expect(widget.type("alice").isEmpty)
        #expect(widget.field("user")?.text == "alice")
        #expect(widget.field("user")?.cursor == 5)
        widget.key(.left, times: 2)
        #expect(widget.field("user")?.cursor == 3)
        widget.type("X")
        #expect(widget.field("user")?.text == "aliXce")
        #expect(widget.field("user")?.cursor == 4)
        // Typing goes to the focused field only.
        #expect(widget.field("password")?.text == "")
    }

    @Test func backspaceAndDelete() {
        var widget = Self.form()
        widget.type("alice")
        widget.key(.backspace)
        #expect(widget.field("user")?.text == "alic")
        #expect(widget.field("user")?.cursor == 4)
        widget.key(.left, times: 2)  // al|ic
        widget.key(.backspace)
        #expect(widget.field("user")?.text == "aic")
        #expect(widget.field("user")?.cursor == 1)
        widget.key(.delete)
        #expect(widget.field("user")?.text == "ac")
        #expect(widget.field("user")?.cursor == 1)
        widget.key(.home)
        widget.key(.backspace)  // nothing before the cursor
        #expect(widget.field("user")?.text == "ac")
        widget.key(.end)
        widget.key(.delete)  // nothing after the cursor
        #expect(widget.field("user")?.text == "ac")
        #expect(widget.field("user")?.cursor == 2)
    }

    @Test func cursorMovesStayInsideTheText() {
        var widget = Self.form()
        widget.type("abc")
        widget.key(.right, times: 3)
        #expect(widget.field("user")?.cursor == 3)
        widget.key(.home)
        #expect(widget.field("user")?.cursor == 0)
        widget.key(.left)
        #expect(widget.field("user")?.cursor == 0)
        widget.key(.right)
        #expect(widget.field("user")?.cursor == 1)
        widget.key(.end)
        #expect(widget.field("user")?.cursor == 3)
        widget.key(.control("A"))
        #expect(widget.field("user")?.cursor == 0)
        widget.key(.control("E"))
        #expect(widget.field("user")?.cursor == 3)
        #expect(widget.field("user")?.text == "abc")
    }

    @Test func controlUAndControlKCutAroundTheCursor() {
        var widget = Self.form()
        widget.type("hello world")
        widget.key(.left, times: 5)  // hello |world
        widget.key(.control("K"))
        #expect(widget.field("user")?.text == "hello ")
        #expect(widget.field("user")?.cursor == 6)
        widget.key(.left)  // hello| 
        widget.key(.control("U"))
        #expect(widget.field("user")?.text == " ")
        #expect(widget.field("user")?.cursor == 0)
    }

    @Test func tabAndShiftTabWrapThroughTheSubmitButton() {
        var widget = Self.form()
        #expect(widget.focus == 0)
        widget.key(.tab)
        #expect(widget.focus == 1)
        widget.key(.tab)
        #expect(widget.focus == 2)  // the button
        #expect(widget.state.form?.submitIndex == 2)
        widget.key(.tab)
        #expect(widget.focus == 0)  // wraps
        widget.key(.backTab)
        #expect(widget.focus == 2)  // wraps back to the button
        widget.key(.backTab)
        #expect(widget.focus == 1)
        widget.key(.up)
        #expect(widget.focus == 0)
        widget.key(.down)
        #expect(widget.focus == 1)
        #expect(widget.log.isEmpty)
    }

    @Test func typingOnTheButtonDoesNothing() {
        var widget = Self.form()
        widget.key(.backTab)
        #expect(widget.focus == 2)
        #expect(widget.type("abc").isEmpty)
        #expect(widget.key(.backspace).isEmpty)
        #expect(widget.key(.control("R")).isEmpty)
        #expect(widget.paste("pasted").isEmpty)
        #expect(widget.texts == ["user": "", "password": ""])
        #expect(widget.state.step == .credentials)
    }

    @Test func numberFieldsTakeDigitsOnly() {
        var widget = Self.form([Fixture.cpf, Fixture.password])
        widget.type("12a3.4 5-")
        #expect(widget.field("cpf")?.text == "12345")
        widget.paste("67-8x9")
        #expect(widget.field("cpf")?.text == "123456789")
        widget.type("٣")  // Arabic-Indic three: a digit, but not an ASCII one
        #expect(widget.field("cpf")?.text == "123456789")
        // A text field takes anything printable.
        widget.key(.tab)
        widget.type("a1 -")
        #expect(widget.field("password")?.text == "a1 -")
    }

    @Test func selectCyclesItsOptions() {
        var widget = Self.form([Fixture.accountType, Fixture.user])
        #expect(widget.field("accountType")?.option == 0)
        widget.key(.right)
        #expect(widget.field("accountType")?.option == 1)
        widget.type(" ")
        #expect(widget.field("accountType")?.option == 2)
        widget.key(.right)
        #expect(widget.field("accountType")?.option == 0)  // wraps forward
        widget.key(.left)
        #expect(widget.field("accountType")?.option == 2)  // wraps back
        widget.key(.left)
        #expect(widget.field("accountType")?.option == 1)
        widget.key(.home)
        #expect(widget.field("accountType")?.option == 0)
        widget.key(.end)
        #expect(widget.field("accountType")?.option == 2)
        // Letters and pastes do not enter a select.
        widget.type("x")
        widget.paste("abc")
        #expect(widget.field("accountType")?.text == "")
        #expect(widget.field("accountType")?.value == "GOV")
        #expect(widget.log.isEmpty)
    }

    @Test func controlRRevealsSecretFieldsOnly() {
        var widget = Self.form()
        widget.type("alice")
        widget.key(.control("R"))
        #expect(widget.field("user")?.revealed == false)
        widget.key(.tab)
        widget.type("pw")
        widget.key(.control("R"))
        #expect(widget.field("password")?.revealed == true)
        #expect(widget.field("password")?.text == "pw")  // Ctrl-R is not typed
        widget.key(.control("R"))
        #expect(widget.field("password")?.revealed == false)
    }

    // MARK: Validation

    @Test func leavingAFieldValidatesItsRule() {
        var widget = Self.form([Fixture.cpf, Fixture.password])
        widget.type("123")
        #expect(widget.field("cpf")?.error == nil)  // not while typing
        widget.key(.tab)
        #expect(widget.field("cpf")?.error == .invalid("CPF must have 11 digits"))
        #expect(widget.focus == 1)
        widget.key(.backTab)
        widget.type("45678901")
        #expect(widget.field("cpf")?.error == nil)  // typing clears the message
        widget.key(.tab)
        #expect(widget.field("cpf")?.text == "12345678901")
        #expect(widget.field("cpf")?.error == nil)
        #expect(widget.log.isEmpty)
    }

    @Test func ruleWithoutMessageIsInvalidWithoutText() {
        let agency = ConnectorCredential(label: "Agency", name: "agency", type: .text, validation: "^[0-9]{4}$")
        var widget = Self.form([agency, Fixture.password])
        widget.type("12")
        widget.key(.tab)
        #expect(widget.field("agency")?.error == .invalid(nil))
    }

    @Test func leavingAnUntouchedEmptyFieldSaysNothingButARefusedOneIsChecked() {
        var widget = Self.form()
        widget.key(.tab)
        #expect(widget.field("user")?.error == nil)
        // After a failed submit, leaving the still-empty field keeps it required.
        widget.key(.enter)
        #expect(widget.field("user")?.error == .required)
        #expect(widget.focus == 0)
        widget.type("a")
        #expect(widget.field("user")?.error == nil)
        widget.key(.backspace)
        widget.key(.tab)
        #expect(widget.field("user")?.error == nil)  // no error left to re-check
    }

    @Test func requiredErrorClearsWhenTheFieldGetsText() {
        var widget = Self.form()
        widget.key(.enter)
        #expect(widget.field("user")?.error == .required)
        #expect(widget.field("password")?.error == .required)
        widget.type("a")
        #expect(widget.field("user")?.error == nil)
        #expect(widget.field("password")?.error == .required)
    }

    @Test func submitWithErrorsFocusesTheFirstBadFieldAndSendsNothing() {
        var widget = Self.form([Fixture.user, Fixture.cpf, Fixture.password, Fixture.nickname])
        widget.type("alice")
        widget.key(.tab)
        widget.type("123")
        widget.key(.tab)
        widget.type("pw")
        widget.key(.tab)  // nickname, optional, empty
        let effects = widget.key(.enter)
        #expect(effects.isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.focus == 1)
        #expect(widget.field("cpf")?.error == .invalid("CPF must have 11 digits"))
        #expect(widget.field("user")?.error == nil)
        #expect(widget.field("password")?.error == nil)
        #expect(widget.field("nickname")?.error == nil)  // optional may be empty
        #expect(widget.log.isEmpty)
    }

    @Test func submitButtonWithSpaceAlsoValidates() {
        var widget = Self.form()
        widget.key(.backTab)
        #expect(widget.focus == 2)
        #expect(widget.type(" ").isEmpty)
        #expect(widget.focus == 0)
        #expect(widget.field("user")?.error == .required)
    }

    @Test func validSubmitSendsExactlyTheTypedParameters() {
        var widget = Self.form([Fixture.user, Fixture.password, Fixture.nickname])
        widget.type("alice")
        widget.key(.tab)
        widget.type("s3cr et")
        let effects = widget.key(.enter)
        #expect(effects == [
            event("SUBMITTED_LOGIN"),
            .updateItem(request: 2, itemId: itemID, parameters: ["user": "alice", "password": "s3cr et"]),
        ])
        #expect(widget.state.step == .progress)
        #expect(widget.state.run?.withCredentials == true)
        #expect(widget.state.banner == nil)
        // The event never carries what was typed.
        #expect(effects.first?.event?.item == nil)
    }

    @Test func optionalFieldIsSentWhenFilledAndSelectSendsTheOptionValue() {
        var widget = Self.form([Fixture.accountType, Fixture.user, Fixture.password, Fixture.nickname])
        widget.key(.right)
        widget.key(.tab)
        widget.type("alice")
        widget.key(.tab)
        widget.type("pw")
        widget.key(.tab)
        widget.type("Ali")
        widget.key(.tab)
        #expect(widget.focus == 4)
        let effects = widget.type(" ")  // Space on the button submits
        #expect(effects == [
            event("SUBMITTED_LOGIN"),
            .updateItem(request: 2, itemId: itemID,
                        parameters: ["accountType": "PJ", "user": "alice", "password": "pw", "nickname": "Ali"]),
        ])
    }

    @Test func enterInAnyFieldSubmitsTheWholeForm() {
        var widget = Self.form()
        widget.type("alice")
        widget.key(.tab)
        widget.type("pw")
        widget.key(.backTab)  // back on the user field
        let effects = widget.key(.enter)
        #expect(requests(effects) == [.updateItem(request: 2, itemId: itemID, parameters: ["user": "alice", "password": "pw"])])
    }

    @Test func enterAfterEscValidatesLikeAnyOtherSubmit() {
        var widget = Self.form()
        widget.key(.escape)
        #expect(widget.focus == nil)
        let effects = widget.key(.enter)
        #expect(effects.isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.field("user")?.error == .required)
        #expect(widget.focus == 0)
    }

    @Test func enterAfterEscSubmitsAValidForm() {
        var widget = Self.form()
        widget.type("alice")
        widget.key(.tab)
        widget.type("pw")
        widget.key(.escape)
        let effects = widget.key(.enter)
        #expect(effects == [
            event("SUBMITTED_LOGIN"),
            .updateItem(request: 2, itemId: itemID, parameters: ["user": "alice", "password": "pw"]),
        ])
    }

    // MARK: Paste

    @Test func pasteDropsNewlinesAndControlCharactersAndNeverSubmits() {
        var widget = Self.form()
        let effects = widget.paste("ali\nce\r\n\t\u{1B}x\u{7F}\u{85}\u{0}y\r\u{2028}\u{2029}\u{0B}\u{0C}")
        #expect(effects.isEmpty)
        #expect(widget.field("user")?.text == "alicexy")
        #expect(widget.field("user")?.cursor == 7)
        #expect(widget.state.step == .credentials)
        #expect(widget.focus == 0)
        #expect(widget.paste("\n").isEmpty)
        #expect(widget.paste("\r\n\r\n").isEmpty)
        #expect(widget.state.step == .credentials)
        #expect(widget.field("user")?.text == "alicexy")
    }

    @Test func pasteLandsAtTheCursor() {
        var widget = Self.form()
        widget.type("ae")
        widget.key(.left)
        widget.paste("bcd")
        #expect(widget.field("user")?.text == "abcde")
        #expect(widget.field("user")?.cursor == 4)
    }

    @Test func hugePasteIsCapped() {
        var widget = Self.form()
        widget.type("ab")
        widget.paste(String(repeating: "x", count: 10_000))
        let text = widget.field("user")?.text ?? ""
        #expect(text.count == ConnectEngine.maxFieldLength)
        #expect(text.count < 10_000)
        #expect(text.hasPrefix("abx"))
        // A full field takes nothing more, typed or pasted.
        widget.type("y")
        widget.paste("zz")
        #expect(widget.field("user")?.text == text)
        // The screen still renders.
        #expect(widget.render().find("User") != nil)
    }

    @Test func pasteWithoutAFocusedFieldDoesNothing() {
        var widget = Self.form()
        widget.key(.escape)
        #expect(widget.paste("alice").isEmpty)
        #expect(widget.texts == ["user": "", "password": ""])
    }

    @Test func pasteIntoAPasswordIsKeptAsASecret() {
        var widget = Self.form()
        widget.key(.tab)
        widget.paste("p@ss word")
        #expect(widget.field("password")?.text == "p@ss word")
        let canvas = widget.render()
        #expect(!canvas.rawText.contains("p@ss"))
        #expect(canvas.allCells.filter { $0.cell.secret }.count == 9)
    }

    // MARK: Leaving and closing

    @Test func escLeavesTheFieldThenEscCloses() throws {
        var widget = Self.form()
        #expect(widget.key(.escape).isEmpty)
        #expect(widget.focus == nil)
        #expect(!widget.state.closed)
        let effects = widget.key(.escape)
        #expect(effects == [event("CLOSE"), .finish(Outcome(.closed, item: widget.state.item))])
        #expect(widget.state.item?.executionStatus == .invalidCredentials)
        #expect(try #require(effects.last?.outcome).exitStatus == 2)
        #expect(widget.state.closed)
    }

    @Test func qClosesOnlyWhenNoFieldIsFocused() throws {
        var widget = Self.form()
        #expect(widget.type("q").isEmpty)
        #expect(widget.type("Q").isEmpty)
        #expect(widget.type("?").isEmpty)
        #expect(widget.field("user")?.text == "qQ?")
        #expect(!widget.state.showHelp)
        widget.key(.escape)
        let effects = widget.type("q")
        #expect(events(effects) == ["CLOSE"])
        #expect(try #require(effects.last?.outcome).outcome == .closed)
        #expect(try #require(effects.last?.outcome).exitStatus == 2)
    }

    @Test func qOnTheButtonCloses() {
        var widget = Self.form()
        widget.key(.backTab)
        let effects = widget.type("q")
        #expect(events(effects) == ["CLOSE"])
        #expect(effects.last?.outcome?.outcome == .closed)
    }

    @Test func anyOtherKeyBringsTheFocusBack() {
        var widget = Self.form()
        widget.key(.escape)
        widget.type("a")
        #expect(widget.focus == 0)
        #expect(widget.field("user")?.text == "")  // the key only focuses
        widget.key(.escape)
        widget.key(.backTab)
        #expect(widget.focus == 2)
        widget.key(.escape)
        widget.key(.up)
        #expect(widget.focus == 2)
    }

    @Test func escDoesNotLoseWhatWasTyped() {
        var widget = Self.form()
        widget.type("alice")
        widget.key(.escape)
        widget.key(.tab)
        #expect(widget.field("user")?.text == "alice")
    }
}
