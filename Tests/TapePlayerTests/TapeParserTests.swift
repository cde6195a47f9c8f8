import Testing
import TapePlayer

// MARK: - Helpers

private func parse(_ text: String) -> Result<Tape, TapeError> {
    Result { () throws(TapeError) -> Tape in try TapeParser.parse(text, source: "demo.tape") }
}

/// The actions of a tape that must parse.
private func actions(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [TapeAction] {
    switch parse(text) {
    case .success(let tape): return tape.steps.map(\.action)
    case .failure(let error):
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return []
    }
}

/// The only action of a one-command tape.
private func action(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> TapeAction? {
    let all = actions(text, sourceLocation: sourceLocation)
    #expect(all.count == 1, "expected one action, got \(all)", sourceLocation: sourceLocation)
    return all.first
}

/// The tape, which must parse.
private func tape(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Tape? {
    switch parse(text) {
    case .success(let tape): return tape
    case .failure(let error):
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The error of a tape that must fail.
private func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> TapeError? {
    switch parse(text) {
    case .success(let tape):
        Issue.record("expected an error, got \(tape)", sourceLocation: sourceLocation)
        return nil
    case .failure(let error): return error
    }
}

/// Expects `text` to fail on `line` with a message containing every one of `fragments`.
private func expectFailure(
    _ text: String, line: Int, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let error = failure(text, sourceLocation: sourceLocation) else { return }
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.source == "demo.tape", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
    }
    #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
}

// MARK: - Type

@Suite struct TypeCommandTests {
    @Test func quotesOfEachKind() {
        #expect(action(#"Type "hello world""#) == .type("hello world"))
        #expect(action("Type 'it is \"quoted\"'") == .type("it is \"quoted\""))
        #expect(action("Type `it's`") == .type("it's"))
    }

    @Test func textIsLiteralWithoutEscapes() {
        #expect(action(#"Type "a\nb\""#) == .type(#"a\nb\"#))  // a backslash never escapes the quote
        #expect(action(#"Type "C:\temp\new""#) == .type(#"C:\temp\new"#))
        #expect(action(##"Type "# not a comment""##) == .type("# not a comment"))
        #expect(action(#"Type "  spaced  ""#) == .type("  spaced  "))
        #expect(action(#"Type """#) == .type(""))
    }

    @Test func speedIsAcceptedAndIgnored() {
        #expect(action(#"Type@50ms "abc""#) == .type("abc"))
        #expect(action(#"Type@1s 'abc'"#) == .type("abc"))
    }

    @Test func severalStringsAreJoinedWithASpace() {
        #expect(action(#"Type "a" 'b' `c`"#) == .type("a b c"))
    }

    @Test func surroundingWhitespaceAndTrailingCommentAreIgnored() {
        #expect(action("   \tType \"x\"   # types x  ") == .type("x"))
    }

    @Test func errors() {
        expectFailure("Sleep 1s\nType \"abc", line: 2, "unterminated string", "missing closing \"")
        expectFailure("Type 'abc", line: 1, "unterminated string", "missing closing '")
        expectFailure("Type `abc", line: 1, "unterminated string")
        expectFailure("Type hello", line: 1, "Type expects quoted text", "Type \"hello\"", "got 'hello'")
        expectFailure("Type", line: 1, "Type expects quoted text")
        expectFailure(#"Type@fast "x""#, line: 1, "invalid duration 'fast'")
        expectFailure(#"Type "a"b"#, line: 1, "got 'b'")
    }
}

// MARK: - Keys

@Suite struct KeyCommandTests {
    @Test(arguments: TapeKey.allCases)
    func everyKeyWithOptionsAndCounts(key: TapeKey) {
        let name = key.commandName
        #expect(action(name) == .key(key, count: 1))
        #expect(action("\(name) 3") == .key(key, count: 3))
        #expect(action("\(name)@400ms 4") == .key(key, count: 4))
        #expect(action("\(name)@1s") == .key(key, count: 1))
        #expect(action("\(name) 1000") == .key(key, count: 1000))
    }

    @Test func namesMatchVHS() {
        #expect(TapeKey.allCases.map(\.commandName) == [
            "Enter", "Tab", "Shift+Tab", "Backspace", "Delete", "Up", "Down", "Left", "Right", "Escape", "Space",
            "Home", "End", "PageUp", "PageDown",
        ])
        #expect(action("Down@400ms 4") == .key(.down, count: 4))
        #expect(action("Backspace 3") == .key(.backspace, count: 3))
    }

    @Test func repeatCountErrors() {
        expectFailure("Enter\nDown 0", line: 2, "repeat count must be from 1 to 1000", "Down 3")
        expectFailure("Down 1001", line: 1, "repeat count must be from 1 to 1000")
        expectFailure("Down 99999999999999999999999", line: 1, "repeat count")
        expectFailure("Down -1", line: 1, "whole number")
        expectFailure("Down three", line: 1, "whole number", "got 'three'")
        expectFailure("Down 1.5", line: 1, "whole number")
        expectFailure(#"Down "3""#, line: 1, "whole number")
        expectFailure("Down 2 3", line: 1, "at most one repeat count")
        expectFailure("Down@x 2", line: 1, "invalid duration 'x'")
        expectFailure("Down@ 2", line: 1, "invalid duration")
    }

    @Test func shift() {
        #expect(action("Shift+Tab 2") == .key(.shiftTab, count: 2))
        #expect(action("Shift+Tab@100ms") == .key(.shiftTab, count: 1))
        expectFailure("Shift+Enter", line: 1, "only Shift+Tab is supported")
        expectFailure("Shift", line: 1, "only Shift+Tab")
    }

    @Test func keyNamesAreCaseSensitive() {
        expectFailure("enter", line: 1, "unknown command 'enter'", "did you mean Enter?")
        expectFailure("PAGEUP", line: 1, "unknown command 'PAGEUP'", "did you mean PageUp?")
    }
}

// MARK: - Ctrl and Alt

@Suite struct ControlCommandTests {
    @Test func lettersAreStoredUppercase() {
        #expect(action("Ctrl+C") == .control("C", count: 1))
        #expect(action("Ctrl+a") == .control("A", count: 1))
        #expect(action("Ctrl+R") == .control("R", count: 1))
        #expect(action("Ctrl+z 3") == .control("Z", count: 3))
        #expect(action("Ctrl+C@100ms 2") == .control("C", count: 2))
    }

    @Test(arguments: ["@", "[", "\\", "]", "^", "_"])
    func symbols(symbol: String) {
        #expect(action("Ctrl+\(symbol)") == .control(Character(symbol), count: 1))
        #expect(action("Ctrl+\(symbol)@50ms 2") == .control(Character(symbol), count: 2))
    }

    @Test func errors() {
        expectFailure("Ctrl+", line: 1, "Ctrl+ needs a key", "Ctrl+C")
        expectFailure("Ctrl", line: 1, "Ctrl needs a key")
        expectFailure("Ctrl+Enter", line: 1, "one letter or one of", "got 'Ctrl+Enter'")
        expectFailure("Ctrl+1", line: 1, "one letter")
        expectFailure("Ctrl+é", line: 1, "one letter")
        expectFailure("Ctrl+C 0", line: 1, "repeat count")
        expectFailure("Ctrl+C@soon", line: 1, "invalid duration")
        expectFailure("Ctrl+Shift+A", line: 1, "Ctrl+Shift+ keys are not supported")
        expectFailure("ctrl+c", line: 1, "unknown command 'ctrl+c'", "did you mean Ctrl?")
    }

    @Test func altIsRejected() {
        for text in ["Alt+x", "Alt+Enter", "Alt", "Ctrl+Alt+x", "Alt@1s+x"] {
            guard let error = failure("Enter\n\(text)") else { continue }
            #expect(error.line == 2)
            #expect(error.message == "Alt+ keys are not supported")
        }
    }
}

// MARK: - Sleep

@Suite struct SleepCommandTests {
    @Test(arguments: [
        ("500ms", 0.5), ("2s", 2), ("1.5s", 1.5), ("2", 2), ("1m", 60), ("0.5m", 30), ("1h", 3600), ("3600s", 3600),
        ("1ms", 0.001), (".5s", 0.5), ("60m", 3600),
    ])
    func durations(text: String, seconds: Double) {
        guard case .sleep(let parsed)? = action("Sleep \(text)") else {
            Issue.record("Sleep \(text) is not a sleep")
            return
        }
        #expect(abs(parsed - seconds) < 1e-9)
    }

    @Test func errors() {
        expectFailure("Enter\n\nSleep 0", line: 3, "Sleep must be more than 0 and at most 1 hour")
        expectFailure("Sleep 0ms", line: 1, "more than 0")
        expectFailure("Sleep 61m", line: 1, "at most 1 hour")
        expectFailure("Sleep 2h", line: 1, "at most 1 hour")
        expectFailure("Sleep 3600.5", line: 1, "at most 1 hour")
        expectFailure("Sleep abc", line: 1, "invalid duration 'abc'", "500ms")
        expectFailure("Sleep -1s", line: 1, "invalid duration")
        expectFailure("Sleep 1e3", line: 1, "invalid duration")
        expectFailure("Sleep inf", line: 1, "invalid duration")
        expectFailure("Sleep nan", line: 1, "invalid duration")
        expectFailure("Sleep .", line: 1, "invalid duration")
        expectFailure("Sleep 1.2.3s", line: 1, "invalid duration")
        expectFailure("Sleep 5 s", line: 1, "Sleep expects one duration")
        expectFailure("Sleep", line: 1, "Sleep expects one duration", "Sleep 500ms")
        expectFailure(#"Sleep "1s""#, line: 1, "Sleep expects one duration")
        expectFailure("Sleep@1s 2s", line: 1, "Sleep does not take an @<time>")
    }
}

// MARK: - Wait

@Suite struct WaitCommandTests {
    @Test func scopesAndTimeouts() {
        #expect(action("Wait /Done/") == .wait(pattern: "Done", scope: .screen, timeout: 15))
        #expect(action("Wait+Screen /Done/") == .wait(pattern: "Done", scope: .screen, timeout: 15))
        #expect(action("Wait+Line /\\$ $/") == .wait(pattern: "\\$ $", scope: .line, timeout: 15))
        #expect(action("Wait+Screen@10s /Done/") == .wait(pattern: "Done", scope: .screen, timeout: 10))
        #expect(action("Wait+Line@500ms /x/") == .wait(pattern: "x", scope: .line, timeout: 0.5))
        #expect(action("Wait@5s /x/") == .wait(pattern: "x", scope: .screen, timeout: 5))
        #expect(TapeParser.defaultWaitTimeout == 15)
    }

    @Test func escapedSlashesAndOtherEscapes() {
        #expect(action(#"Wait /a\/b/"#) == .wait(pattern: "a/b", scope: .screen, timeout: 15))
        #expect(action(#"Wait /\d+\/\d+ items/"#) == .wait(pattern: #"\d+/\d+ items"#, scope: .screen, timeout: 15))
        #expect(action(#"Wait /a\\/"#) == .wait(pattern: #"a\\"#, scope: .screen, timeout: 15))
        #expect(action(#"Wait /Conta #1 (ok)/ # comment"#) == .wait(pattern: "Conta #1 (ok)", scope: .screen, timeout: 15))
        #expect(action(#"Wait /say "hi"/"#) == .wait(pattern: #"say "hi""#, scope: .screen, timeout: 15))
    }

    @Test func nestingUpToTheLimitIsAccepted() {
        let classes = String(repeating: "[", count: 32) + "a" + String(repeating: "]", count: 32)
        #expect(action("Wait /\(classes)/") == .wait(pattern: classes, scope: .screen, timeout: 15))
        let mixed = #"(a|[\[(]|[^)\]]|\(\()+"#
        #expect(action("Wait /\(mixed)/") == .wait(pattern: mixed, scope: .screen, timeout: 15))
    }

    @Test func errors() {
        expectFailure("Enter\nWait", line: 2, "Wait expects a /regex/", "Wait /Done/")
        expectFailure("Wait Done", line: 1, "Wait expects a /regex/")
        expectFailure("Wait \"Done\"", line: 1, "Wait expects a /regex/")
        expectFailure("Wait /Done", line: 1, "unterminated regex", "missing closing /")
        expectFailure(#"Wait /Done\/"#, line: 1, "unterminated regex")
        expectFailure(#"Wait /Done\"#, line: 1, "unterminated regex")
        expectFailure("Wait //", line: 1, "Wait regex is empty")
        expectFailure("Wait /(abc/", line: 1, "invalid regex /(abc/")
        expectFailure("Wait /[z-a]/", line: 1, "invalid regex")
        expectFailure("Wait /x/ /y/", line: 1, "Wait takes one /regex/")
        for open in ["[", "[a&&", "[a--", "(", "(?:", "[]", "(["] {
            let deep = String(repeating: open, count: 2000)
            expectFailure("Enter\nWait /\(deep)/", line: 2, "nest more than 32 levels deep")
        }
        expectFailure("Wait /x/ extra", line: 1, "unexpected 'extra'")
        expectFailure("Wait+Foo /x/", line: 1, "Wait scope must be Screen or Line", "got 'Wait+Foo'")
        expectFailure("Wait+Screen+Line /x/", line: 1, "Wait scope")
        expectFailure("Wait@0s /x/", line: 1, "Wait timeout must be more than 0")
        expectFailure("Wait@2h /x/", line: 1, "at most 1 hour")
        expectFailure("Wait@soon /x/", line: 1, "invalid duration 'soon'")
    }
}

// MARK: - Screenshot and Output

@Suite struct FileCommandTests {
    @Test func screenshots() {
        #expect(action("Screenshot out/update.svg") == .screenshot(path: "out/update.svg", format: .svg))
        #expect(action("Screenshot shot.txt") == .screenshot(path: "shot.txt", format: .txt))
        #expect(action("Screenshot \"my shots/a.svg\"") == .screenshot(path: "my shots/a.svg", format: .svg))
        #expect(action("Screenshot 'B.SVG'") == .screenshot(path: "B.SVG", format: .svg))
        #expect(action("Screenshot /tmp/a#1.txt") == .screenshot(path: "/tmp/a#1.txt", format: .txt))
    }

    @Test func screenshotErrors() {
        expectFailure("Enter\nScreenshot demo.png", line: 2, "connect-tui screenshots are .svg or .txt")
        expectFailure("Screenshot demo.jpg", line: 1, "must end in .svg or .txt", "got 'demo.jpg'")
        expectFailure("Screenshot", line: 1, "Screenshot expects one path")
        expectFailure("Screenshot a.svg b.svg", line: 1, "Screenshot expects one path")
        expectFailure("Screenshot \"\"", line: 1, "Screenshot expects one path")
    }

    @Test func outputs() {
        guard let tape = tape("Output demo.cast\nOutput golden.txt\nOutput \"frames/all.ascii\"\nEnter") else { return }
        #expect(tape.outputs == [
            TapeOutput(line: 1, path: "demo.cast", kind: .cast),
            TapeOutput(line: 2, path: "golden.txt", kind: .text),
            TapeOutput(line: 3, path: "frames/all.ascii", kind: .text),
        ])
        #expect(tape.steps == [TapeStep(line: 4, action: .key(.enter, count: 1))])
    }

    @Test func outputErrors() {
        expectFailure("Output demo.gif", line: 1, "connect-tui records .cast", "got 'demo.gif'")
        expectFailure("Set Width 80\nOutput demo.mp4", line: 2, ".txt/.ascii")
        expectFailure("Output frames/", line: 1, "connect-tui records")
        expectFailure("Output", line: 1, "Output expects one path", "Output demo.cast")
        expectFailure("Output@1s a.cast", line: 1, "Output does not take an @<time>")
    }
}

// MARK: - Settings

@Suite struct SettingTests {
    @Test func supportedSettings() {
        let text = """
            Set Width 80
            Set Height 24
            Set Language pt
            Set Speed instant
            Set Scenario xp-mfa
            Set ItemId "item 42"
            Set ConnectToken 'eyJ.abc#def'
            """
        guard let tape = tape(text) else { return }
        #expect(tape.settings == TapeSettings(
            width: 80, height: 24, language: "pt", speed: "instant", scenario: "xp-mfa", itemId: "item 42",
            connectToken: "eyJ.abc#def"))
        #expect(tape.steps.isEmpty)
        #expect(tape.source == "demo.tape")
    }

    @Test func valuesAreNormalisedAndLaterSetsWin() {
        guard let tape = tape("Set Language EN\nSet Speed Realistic\nSet Width 1\nSet Width 1000\nSet Height 500\nSet ConnectToken abc#def") else { return }
        #expect(tape.settings.language == "en")
        #expect(tape.settings.speed == "realistic")
        #expect(tape.settings.width == 1000)
        #expect(tape.settings.height == 500)
        #expect(tape.settings.connectToken == "abc#def")
    }

    @Test func visualSettingsAreKeptRaw() {
        let text = """
            Set Shell zsh
            Set FontSize 46
            Set FontFamily "Fira Code"
            Set LetterSpacing 1
            Set LineHeight 1.2
            Set TypingSpeed 75ms
            Set Theme { "name": "Whimsy", "black": "#535178" }
            Set Padding 10
            Set Margin 20
            Set MarginFill "#6B50FF"
            Set WindowBar Colorful
            Set WindowBarSize 40
            Set BorderRadius 8
            Set Framerate 60
            Set PlaybackSpeed 0.5
            Set LoopOffset 50%
            Set CursorBlink false   # trailing comment
            """
        guard let tape = tape(text) else { return }
        let expected: [String: String] = [
            "Shell": "zsh", "FontSize": "46", "FontFamily": "\"Fira Code\"", "LetterSpacing": "1", "LineHeight": "1.2",
            "TypingSpeed": "75ms", "Theme": ##"{ "name": "Whimsy", "black": "#535178" }"##, "Padding": "10",
            "Margin": "20", "MarginFill": "\"#6B50FF\"", "WindowBar": "Colorful", "WindowBarSize": "40",
            "BorderRadius": "8", "Framerate": "60", "PlaybackSpeed": "0.5", "LoopOffset": "50%", "CursorBlink": "false",
        ]
        #expect(tape.settings.ignored == expected)
        #expect(tape.settings.width == nil)
    }

    @Test func settingErrors() {
        expectFailure("Set Foo 1", line: 1, "unknown setting 'Foo'", "Supported: Width, Height, Language, Speed, Scenario, ItemId, ConnectToken", "Theme")
        expectFailure("Set Widht 80", line: 1, "did you mean Width?")
        expectFailure("Set width 80", line: 1, "did you mean Width?")
        expectFailure("Set Width 0", line: 1, "Set Width is in terminal columns (cells, not pixels) from 1 to 1000", "got '0'")
        expectFailure("Set Width 1200", line: 1, "cells, not pixels")
        expectFailure("Set Width 80px", line: 1, "Set Width 80")
        expectFailure("Set Width 99999999999999999999", line: 1, "Set Width")
        expectFailure("Set Height 501", line: 1, "Set Height is in terminal rows", "1 to 500")
        expectFailure("Set Height -1", line: 1, "Set Height")
        expectFailure("Set Language fr", line: 1, "Set Language takes en or pt", "got 'fr'")
        expectFailure("Set Speed fast", line: 1, "Set Speed takes instant or realistic")
        expectFailure("Set Width", line: 1, "Set Width needs a value", "Set Width 80")
        expectFailure("Set Scenario \"\"", line: 1, "Set Scenario needs a value")
        expectFailure("Set Shell", line: 1, "Set Shell needs a value")
        expectFailure("Set ItemId a b", line: 1, "takes one value")
        expectFailure("Set", line: 1, "Set expects a setting and a value")
        expectFailure("Set \"Width\" 80", line: 1, "Set expects a setting")
        expectFailure("Set Scenario \"xp", line: 1, "unterminated string")
    }

    @Test func settingsMustComeBeforeTheFirstAction() {
        guard let error = failure("Set Width 80\n\n# comment\nType \"x\"\nEnter\nSet Width 100") else { return }
        #expect(error.line == 6)
        #expect(error.message == "Set Width must come before the first action (line 4)")
        #expect(error.description == "demo.tape:6: Set Width must come before the first action (line 4)")

        expectFailure("Hide\nSet Height 10", line: 2, "Set Height must come before the first action (line 1)")
        expectFailure("Sleep 1s\nSet Shell bash", line: 2, "Set Shell must come before the first action (line 1)")
        expectFailure("Copy \"x\"\nSet Scenario a", line: 2, "(line 1)")
        expectFailure("Screenshot a.svg\nSet Language pt", line: 2, "(line 1)")
        expectFailure("Wait /x/\nSet Speed instant", line: 2, "(line 1)")
    }

    @Test func outputAndRequireAreNotActionsAndTypingSpeedMayComeLater() {
        guard let tape = tape("Output a.cast\nRequire git\nSet Width 80\nType \"x\"\nSet TypingSpeed 10ms\nOutput b.txt\nRequire curl") else { return }
        #expect(tape.settings.width == 80)
        #expect(tape.settings.ignored["TypingSpeed"] == "10ms")
        #expect(tape.outputs.map(\.path) == ["a.cast", "b.txt"])
        #expect(tape.requirements == ["git", "curl"])
    }
}

// MARK: - Require, Hide, Show, Copy, Paste

@Suite struct OtherCommandTests {
    @Test func requireHideShow() {
        guard let tape = tape("Require connect-tui\nRequire \"my tool\"\nHide\nType \"secret\"\nShow") else { return }
        #expect(tape.requirements == ["connect-tui", "my tool"])
        #expect(tape.steps == [
            TapeStep(line: 3, action: .hide),
            TapeStep(line: 4, action: .type("secret")),
            TapeStep(line: 5, action: .show),
        ])
        expectFailure("Require", line: 1, "Require expects one program name")
        expectFailure("Require a b", line: 1, "Require expects one program name")
        expectFailure("Hide now", line: 1, "Hide takes no arguments")
        expectFailure("Show 2", line: 1, "Show takes no arguments")
        expectFailure("Hide@1s", line: 1, "Hide does not take an @<time>")
    }

    @Test func pasteAndCopy() {
        #expect(action(#"Paste "12345678""#) == .paste("12345678"))
        #expect(action("Paste 'multi\tpart'") == .paste("multi\tpart"))
        let steps = tape("Copy \"first\"\nPaste\nCopy `second`\nPaste\nPaste\nPaste \"own\"")?.steps
        #expect(steps == [
            TapeStep(line: 2, action: .paste("first")),
            TapeStep(line: 4, action: .paste("second")),
            TapeStep(line: 5, action: .paste("second")),
            TapeStep(line: 6, action: .paste("own")),
        ])
    }

    @Test func pasteAndCopyErrors() {
        expectFailure("Enter\nPaste", line: 2, "Paste with no text needs an earlier Copy")
        expectFailure("Paste text", line: 1, "Paste expects quoted text")
        expectFailure("Copy", line: 1, "Copy expects quoted text", "Copy \"hello\"")
        expectFailure("Copy 'abc", line: 1, "unterminated string")
    }
}

// MARK: - Unknown commands, comments, lines

@Suite struct StructureTests {
    @Test func unknownCommands() {
        guard let error = failure("Enter\nFoo") else { return }
        #expect(error.line == 2)
        #expect(error.message == "unknown command 'Foo'")
        expectFailure("Typ \"x\"", line: 1, "unknown command 'Typ'; did you mean Type?")
        expectFailure("type \"x\"", line: 1, "did you mean Type?")
        expectFailure("Slep 1s", line: 1, "did you mean Sleep?")
        expectFailure("Screenshoot a.svg", line: 1, "did you mean Screenshot?")
        expectFailure("Entr", line: 1, "did you mean Enter?")
        expectFailure("Pgup", line: 1, "unknown command 'Pgup'")
        expectFailure("X", line: 1, "unknown command 'X'")
        expectFailure("\"Type\"", line: 1, "unknown command")
        expectFailure("@1s", line: 1, "unknown command '@1s'")
        expectFailure("Type+Screen \"x\"", line: 1, "unknown command 'Type+Screen'", "did you mean Type?")
        expectFailure("Source other.tape", line: 1, "'Source' is a VHS command that connect-tui does not support")
        expectFailure("Insert", line: 1, "does not support")
        #expect(failure("Xyzzy")?.message.contains("did you mean") == false)
    }

    @Test func commentsBlankLinesAndWhitespace() {
        let text = """
            # A demo tape
              # indented comment

            \tOutput demo.cast\t
            Set Width 80 # columns

            Type "abc"  # type it
            #Enter
                Enter   2
            """
        guard let tape = tape(text) else { return }
        #expect(tape.settings.width == 80)
        #expect(tape.steps == [
            TapeStep(line: 7, action: .type("abc")),
            TapeStep(line: 9, action: .key(.enter, count: 2)),
        ])
        #expect(tape.outputs == [TapeOutput(line: 4, path: "demo.cast", kind: .cast)])
    }

    @Test func lineEndingsKeepLineNumbers() {
        #expect(tape("Enter\r\nTab\r\n\r\nUp")?.steps.map(\.line) == [1, 2, 4])
        #expect(tape("Enter\rTab\n\nUp\n")?.steps.map(\.line) == [1, 2, 4])
        expectFailure("Enter\r\n\r\nBogus\r\n", line: 3, "unknown command 'Bogus'")
    }

    @Test func emptyTapes() {
        for text in ["", "\n\n", "# only a comment", "   \t  "] {
            guard let tape = tape(text) else { continue }
            #expect(tape == Tape(source: "demo.tape"))
        }
    }

    @Test func longLines() {
        let limit = TapeParser.maximumLineLength
        let atLimit = "Type \"" + String(repeating: "a", count: limit - 7) + "\""
        #expect(atLimit.count == limit)
        #expect(action(atLimit) == .type(String(repeating: "a", count: limit - 7)))
        expectFailure("Enter\n" + atLimit + "a", line: 2, "line too long", "10000")
        expectFailure("Enter\n#" + String(repeating: " ", count: limit), line: 2, "line too long")
    }

    @Test func errorDescriptionIsOneLine() {
        let error = TapeError(source: "a\nb.tape", line: 3, message: "bad\r\nthing\u{2028}here")
        #expect(error.description == "a\\nb.tape:3: bad\\r\\nthing here")
        #expect(failure("Type \"x")?.description.hasPrefix("demo.tape:1: unterminated string") == true)
    }

    @Test func aWholeTape() {
        let text = """
            # Update an item that asks for MFA
            Output out/mfa.cast
            Output out/mfa.txt
            Require connect-tui
            Set Width 80
            Set Height 24
            Set Scenario xp-mfa
            Set FontSize 22

            Wait+Screen@10s /Atualizar|Update/
            Enter
            Type "user-ok"
            Tab
            Type@20ms 'password-ok'
            Enter
            Wait /código|code/
            Paste "123456"
            Ctrl+U
            Down@400ms 4
            Shift+Tab
            Sleep 1.5s
            Screenshot out/mfa.svg
            Ctrl+C
            """
        guard let tape = tape(text) else { return }
        #expect(tape.requirements == ["connect-tui"])
        #expect(tape.outputs.map(\.kind) == [.cast, .text])
        #expect(tape.settings == TapeSettings(width: 80, height: 24, scenario: "xp-mfa", ignored: ["FontSize": "22"]))
        #expect(tape.steps == [
            TapeStep(line: 10, action: .wait(pattern: "Atualizar|Update", scope: .screen, timeout: 10)),
            TapeStep(line: 11, action: .key(.enter, count: 1)),
            TapeStep(line: 12, action: .type("user-ok")),
            TapeStep(line: 13, action: .key(.tab, count: 1)),
            TapeStep(line: 14, action: .type("password-ok")),
            TapeStep(line: 15, action: .key(.enter, count: 1)),
            TapeStep(line: 16, action: .wait(pattern: "código|code", scope: .screen, timeout: 15)),
            TapeStep(line: 17, action: .paste("123456")),
            TapeStep(line: 18, action: .control("U", count: 1)),
            TapeStep(line: 19, action: .key(.down, count: 4)),
            TapeStep(line: 20, action: .key(.shiftTab, count: 1)),
            TapeStep(line: 21, action: .sleep(seconds: 1.5)),
            TapeStep(line: 22, action: .screenshot(path: "out/mfa.svg", format: .svg)),
            TapeStep(line: 23, action: .control("C", count: 1)),
        ])
    }
}

// MARK: - Fuzzing

/// SplitMix64: a small seeded generator so fuzz failures reproduce.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FuzzTests {
    /// Parses `text` and checks the invariants that hold for any input.
    private func check(_ text: String) {
        let lineCount = text.reduce(1) { $0 + ($1 == "\n" || $1 == "\r\n" || $1 == "\r" ? 1 : 0) }
        switch parse(text) {
        case .success(let tape):
            let lines = tape.steps.map(\.line)
            #expect(lines == lines.sorted())
            #expect(lines.allSatisfy { (1...lineCount).contains($0) })
            for step in tape.steps {
                switch step.action {
                case .key(_, let count), .control(_, let count): #expect((1...1000).contains(count))
                case .sleep(let seconds): #expect(seconds > 0 && seconds <= 3600)
                case .wait(_, _, let timeout): #expect(timeout > 0 && timeout <= 3600)
                default: break
                }
            }
        case .failure(let error):
            #expect((1...lineCount).contains(error.line), "\(error) for \(text.debugDescription)")
            #expect(!error.message.isEmpty)
            #expect(!error.description.contains { $0.isNewline })
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(state: 0x7A9E_5EED)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...200, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            check(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func randomLinesFromTapeFragmentsNeverCrash() {
        let fragments = [
            "Type", "Type@", "Type@50ms", "Sleep", "Wait", "Wait+Screen", "Wait+Line@", "Wait@5s", "Set", "Width",
            "Height", "Language", "Speed", "Scenario", "Theme", "TypingSpeed", "Output", "Require", "Hide", "Show",
            "Paste", "Copy", "Screenshot", "Enter", "Down@400ms", "Shift+Tab", "Shift+", "Ctrl+", "Ctrl+@", "Ctrl+\\",
            "Alt+", "Ctrl+Alt+", "Source", "#", "\"", "'", "`", "/", "\\/", "\\", "@", "+", "0", "1", "1000", "1001",
            "-1", "1.5", "500ms", "2s", "1m", "1h", "0s", "99999999999999999999", "inf", "nan", "a.svg", "b.png",
            "c.cast", "d.txt", "e.ascii", "(", ")", "[", "]", "*", "?", "{", "}", "(?<", "\\p{", "é", "👩‍👩‍👧", "\u{301}",
            "\u{0}", "\t", " ", "  ", "\u{2028}", "\r", "\n", "\r\n", "en", "pt", "instant",
        ]
        var generator = SeededGenerator(state: 20_240_601)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                for _ in 0..<Int.random(in: 0...8, using: &generator) {
                    if let fragment = fragments.randomElement(using: &generator) {
                        text += fragment
                    }
                    if Bool.random(using: &generator) { text += " " }
                }
                text += "\n"
            }
            check(text)
        }
    }

    @Test func randomRegexesNeverCrash() {
        let alphabet = Array("ab()[]{}*+?|^$.\\/-,:<>=!dDwWsSpP0123456789nNkKx#\"' ")
        var generator = SeededGenerator(state: 42)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...16, using: &generator)
            let body = String((0..<length).compactMap { _ in alphabet.randomElement(using: &generator) })
            check("Wait /\(body)/")
        }
        let openers = ["[", "(", "[a&&", "(?:", "[^", "[]", "\\[", "(?<n>", "[[:alpha:]"]
        for _ in 0..<200 {
            var body = ""
            for _ in 0..<Int.random(in: 1...400, using: &generator) {
                body += openers.randomElement(using: &generator) ?? "["
            }
            check("Wait /\(body)a/")
        }
    }
}
