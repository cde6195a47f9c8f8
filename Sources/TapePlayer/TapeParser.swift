// Parses `.tape` scripts: the subset of charmbracelet VHS's tape language that connect-tui plays.

/// Parses `.tape` scripts into a ``Tape``.
///
/// One command per line; lines starting with `#` are comments, and a `#` at the start of a word
/// outside quotes starts a comment that runs to the end of the line; blank lines are ignored.
/// Command names are case-sensitive, as in VHS. The supported commands:
///
/// - `Type "text"` (also `'text'` or `` `text` ``; no escapes; several strings are joined with a
///   space as in VHS; `Type@50ms "text"` is accepted and the speed ignored).
/// - Keys `Enter Tab Backspace Delete Up Down Left Right Escape Space Home End PageUp PageDown
///   Shift+Tab`, each with an optional ignored `@<time>` and a repeat count 1...1000: `Down@400ms 4`.
/// - `Ctrl+<letter>` (stored uppercase) or `Ctrl+` one of `@ [ \ ] ^ _`, with the same options.
///   `Alt+` keys are not supported.
/// - `Sleep <duration>`: `500ms`, `2s`, `1.5s`, `2` (seconds), `1m`, `1h`; more than 0, at most 1 hour.
/// - `Wait /regex/`, `Wait+Screen /regex/`, `Wait+Line /regex/`, optionally with a timeout after the
///   scope (`Wait+Screen@10s /Done/`; default 15s). A bare `Wait` looks at the whole screen (VHS
///   looks at the line). Write `\/` for a slash inside the regex; it must compile as a Swift `Regex`.
/// - `Screenshot <path>.svg|.txt`, `Output <path>.cast|.txt|.ascii` (paths may be quoted).
/// - `Set Width|Height|Language|Speed|Scenario|ItemId|ConnectToken <value>`; Width and Height are in
///   cells. VHS's visual settings (`Shell`, `FontSize`, `Theme`, …) are accepted and ignored. Every
///   `Set` except `Set TypingSpeed` must come before the first action (`Output` and `Require` are
///   not actions).
/// - `Require <program>`, `Hide`, `Show`.
/// - `Paste "text"` pastes the text as one bracketed paste (a connect-tui extension); as in VHS,
///   `Copy "text"` followed by a bare `Paste` pastes the copied text.
public enum TapeParser {
    /// The longest line accepted, in Unicode scalars.
    public static let maximumLineLength = 10_000
    /// The timeout of a `Wait` without `@<time>`, in seconds.
    public static let defaultWaitTimeout: Double = 15
    /// The most times a key can be repeated (`Down 1000`).
    public static let maximumRepeatCount = 1000
    /// The longest `Sleep` or `Wait` timeout, in seconds (one hour).
    public static let maximumDuration: Double = 3600
    /// The allowed range of `Set Width` (columns).
    public static let widthRange = 1...1000
    /// The allowed range of `Set Height` (rows).
    public static let heightRange = 1...500

    /// Parses `text`, a whole tape file, naming it `source` in errors.
    ///
    /// Throws the first problem found, with its 1-based line number. Never traps, whatever the input.
    public static func parse(_ text: String, source: String) throws(TapeError) -> Tape {
        var state = State(tape: Tape(source: source))
        var lineNumber = 0
        for line in splitLines(text) {
            lineNumber += 1
            do {
                try parseLine(line, number: lineNumber, state: &state)
            } catch {
                throw TapeError(source: source, line: lineNumber, message: error.message)
            }
        }
        return state.tape
    }
}

// MARK: - Parsing state and lines

extension TapeParser {
    /// A problem on the current line; the caller adds the file and line number.
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    struct State {
        var tape: Tape
        /// The line of the first action, after which `Set` is no longer allowed.
        var firstActionLine: Int?
        /// The text of the last `Copy`, for a bare `Paste`.
        var clipboard: String?
    }

    /// Splits on `\n`, `\r\n` and a lone `\r`, keeping empty lines so numbering stays right.
    static func splitLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        var index = start
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "\n" || character == "\r\n" || character == "\r" {
                lines.append(text[start..<index])
                start = next
            }
            index = next
        }
        lines.append(text[start..<text.endIndex])
        return lines
    }

    static func parseLine(_ line: Substring, number: Int, state: inout State) throws(Failure) {
        let length = line.unicodeScalars.count
        if length > maximumLineLength {
            throw Failure("line too long (\(length) characters; at most \(maximumLineLength) are allowed)")
        }
        let characters = Array(line.trimmingWhitespace())
        guard let first = characters.first, first != "#" else { return }

        var headEnd = 0
        while headEnd < characters.count, !characters[headEnd].isWhitespace { headEnd += 1 }
        let head = try parseHead(String(characters[0..<headEnd]))
        let tokens = try tokenize(characters, from: headEnd, regexAllowed: head.command.isWait)

        if head.command.isAction, state.firstActionLine == nil {
            state.firstActionLine = number
        }

        switch head.command {
        case .type:
            let text = try quotedText(tokens, command: "Type", example: "Type \"hello\"")
            state.tape.steps.append(TapeStep(line: number, action: .type(text)))

        case .key(let key):
            let count = try repeatCount(tokens, command: key.commandName)
            state.tape.steps.append(TapeStep(line: number, action: .key(key, count: count)))

        case .control(let character):
            let count = try repeatCount(tokens, command: "Ctrl+\(character)")
            state.tape.steps.append(TapeStep(line: number, action: .control(character, count: count)))

        case .sleep:
            guard tokens.count == 1, tokens[0].kind == .bare else {
                throw Failure("Sleep expects one duration, e.g. Sleep 500ms, Sleep 2s or Sleep 1.5s")
            }
            let seconds = try duration(tokens[0].text, context: "Sleep", allowZero: false)
            state.tape.steps.append(TapeStep(line: number, action: .sleep(seconds: seconds)))

        case .wait(let scope):
            let timeout = try head.timing.map { (timing) throws(Failure) in
                try duration(timing, context: "Wait timeout", allowZero: false)
            } ?? defaultWaitTimeout
            let pattern = try waitPattern(tokens)
            state.tape.steps.append(
                TapeStep(line: number, action: .wait(pattern: pattern, scope: scope, timeout: timeout)))

        case .screenshot:
            let path = try singlePath(tokens, command: "Screenshot", example: "Screenshot out/update.svg")
            let lowered = path.lowercased()
            let format: ScreenshotFormat
            if lowered.hasSuffix(".svg") {
                format = .svg
            } else if lowered.hasSuffix(".txt") {
                format = .txt
            } else if lowered.hasSuffix(".png") {
                throw Failure("connect-tui screenshots are .svg or .txt, not .png; e.g. Screenshot out/update.svg")
            } else {
                throw Failure("Screenshot path must end in .svg or .txt, e.g. Screenshot out/update.svg; got '\(excerpt(path))'")
            }
            state.tape.steps.append(TapeStep(line: number, action: .screenshot(path: path, format: format)))

        case .output:
            let path = try singlePath(tokens, command: "Output", example: "Output demo.cast")
            let lowered = path.lowercased()
            let kind: OutputKind
            if lowered.hasSuffix(".cast") {
                kind = .cast
            } else if lowered.hasSuffix(".txt") || lowered.hasSuffix(".ascii") {
                kind = .text
            } else {
                throw Failure(
                    "connect-tui records .cast (asciicast) or .txt/.ascii (text of every frame), "
                        + "e.g. Output demo.cast; got '\(excerpt(path))'")
            }
            state.tape.outputs.append(TapeOutput(line: number, path: path, kind: kind))

        case .set:
            try applySetting(tokens, characters: characters, state: &state)

        case .require:
            guard tokens.count == 1, !tokens[0].text.isEmpty else {
                throw Failure("Require expects one program name, e.g. Require git")
            }
            state.tape.requirements.append(tokens[0].text)

        case .hide, .show:
            let name = head.command == .hide ? "Hide" : "Show"
            guard tokens.isEmpty else {
                throw Failure("\(name) takes no arguments; got '\(excerpt(tokens[0].text))'")
            }
            state.tape.steps.append(TapeStep(line: number, action: head.command == .hide ? .hide : .show))

        case .copy:
            state.clipboard = try quotedText(tokens, command: "Copy", example: "Copy \"hello\"")

        case .paste:
            let text: String
            if tokens.isEmpty {
                guard let copied = state.clipboard else {
                    throw Failure("Paste with no text needs an earlier Copy, e.g. Copy \"hello\"; or write Paste \"hello\"")
                }
                text = copied
            } else {
                text = try quotedText(tokens, command: "Paste", example: "Paste \"hello\"")
            }
            state.tape.steps.append(TapeStep(line: number, action: .paste(text)))
        }
    }
}

// MARK: - Command names

extension TapeParser {
    enum Command: Equatable {
        case type, sleep, set, output, require, hide, show, paste, copy, screenshot
        case key(TapeKey)
        case control(Character)
        case wait(WaitScope)

        var isWait: Bool {
            if case .wait = self { return true }
            return false
        }

        /// Everything but `Set`, `Output` and `Require` starts the actions.
        var isAction: Bool {
            switch self {
            case .set, .output, .require: false
            default: true
            }
        }

        /// Whether `Name@<time>` is accepted.
        var takesTiming: Bool {
            switch self {
            case .type, .key, .control, .wait: true
            default: false
            }
        }
    }

    struct Head {
        var command: Command
        var timing: String?
    }

    static let simpleCommands: [String: Command] = {
        var commands: [String: Command] = [
            "Type": .type, "Sleep": .sleep, "Set": .set, "Output": .output, "Require": .require,
            "Hide": .hide, "Show": .show, "Paste": .paste, "Copy": .copy, "Screenshot": .screenshot,
        ]
        for key in TapeKey.allCases where key != .shiftTab {
            commands[key.commandName] = .key(key)
        }
        return commands
    }()

    /// Every command name, for "did you mean" suggestions.
    static let knownCommandNames: [String] =
        ["Type", "Sleep", "Wait", "Set", "Output", "Require", "Hide", "Show", "Paste", "Copy", "Screenshot", "Ctrl", "Shift"]
        + TapeKey.allCases.filter { $0 != .shiftTab }.map(\.commandName)

    /// VHS commands that connect-tui knows but does not play.
    static let unsupportedVHSCommands: Set<String> = ["Source", "Insert", "Env", "ScrollUp", "ScrollDown"]

    static let controlSymbols: Set<Character> = ["@", "[", "\\", "]", "^", "_"]

    static func parseHead(_ word: String) throws(Failure) -> Head {
        let head: Head
        if word.hasPrefix("Ctrl+") {
            head = try parseControl(word.dropFirst(5))
        } else {
            let parts = word.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts.first.map(String.init) ?? ""
            let timing = parts.count > 1 ? String(parts[1]) : nil
            let components = name.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
            let firstComponent = components.first ?? ""
            let command: Command
            if firstComponent == "Alt" {
                throw Failure("Alt+ keys are not supported")
            } else if firstComponent == "Shift" {
                guard components == ["Shift", "Tab"] else {
                    throw Failure("only Shift+Tab is supported with Shift; got '\(excerpt(name))'")
                }
                command = .key(.shiftTab)
            } else if firstComponent == "Ctrl" {
                throw Failure("Ctrl needs a key, e.g. Ctrl+C")
            } else if firstComponent == "Wait" {
                if components == ["Wait"] || components == ["Wait", "Screen"] {
                    command = .wait(.screen)
                } else if components == ["Wait", "Line"] {
                    command = .wait(.line)
                } else {
                    throw Failure("Wait scope must be Screen or Line, e.g. Wait+Screen /Done/; got '\(excerpt(name))'")
                }
            } else if components.count == 1, let simple = simpleCommands[name] {
                command = simple
            } else if components.count == 1, unsupportedVHSCommands.contains(name) {
                throw Failure("'\(name)' is a VHS command that connect-tui does not support")
            } else {
                var message = "unknown command '\(excerpt(name.isEmpty ? word : name))'"
                if let suggestion = suggestion(for: firstComponent, among: knownCommandNames) {
                    message += "; did you mean \(suggestion)?"
                }
                throw Failure(message)
            }
            head = Head(command: command, timing: timing)
        }

        if let timing = head.timing {
            guard head.command.takesTiming else {
                let name = String(word.prefix { $0 != "@" })
                throw Failure("\(excerpt(name)) does not take an @<time>; write it without, e.g. \(name == "Sleep" ? "Sleep 500ms" : name)")
            }
            if !head.command.isWait {
                // Typing and key speeds are accepted for VHS compatibility and ignored.
                _ = try duration(timing, context: "@<time>", allowZero: true)
            }
        }
        return head
    }

    /// Parses what follows `Ctrl+`: one key character, then an optional `@<time>`.
    static func parseControl(_ rest: Substring) throws(Failure) -> Head {
        if rest == "Alt" || rest.hasPrefix("Alt+") {
            throw Failure("Alt+ keys are not supported")
        }
        if rest.hasPrefix("Shift+") {
            throw Failure("Ctrl+Shift+ keys are not supported; use Ctrl+<letter>, e.g. Ctrl+C")
        }
        guard let key = rest.first else {
            throw Failure("Ctrl+ needs a key, e.g. Ctrl+C")
        }
        let after = rest.dropFirst()
        var timing: String?
        if let marker = after.first {
            guard marker == "@" else {
                let keyName = key == "@" ? String(rest) : String(rest.prefix { $0 != "@" })
                throw Failure(
                    "Ctrl+ takes one letter or one of @ [ \\ ] ^ _, e.g. Ctrl+C; got 'Ctrl+\(excerpt(keyName))'")
            }
            timing = String(after.dropFirst())
        }
        let character: Character
        if key.isASCII, key.isLetter, let upper = key.uppercased().first {
            character = upper
        } else if controlSymbols.contains(key) {
            character = key
        } else {
            throw Failure("Ctrl+ takes one letter or one of @ [ \\ ] ^ _, e.g. Ctrl+C; got 'Ctrl+\(excerpt(String(key)))'")
        }
        return Head(command: .control(character), timing: timing)
    }

    /// The closest known name within edit distance 2 (1 for two-letter names), ignoring case.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lowered = Array(word.lowercased())
        guard !lowered.isEmpty, lowered.count <= 40 else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let target = Array(candidate.lowercased())
            let limit = min(2, target.count - 1)
            guard abs(target.count - lowered.count) <= limit else { continue }
            let distance = editDistance(lowered, target)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

// MARK: - Arguments

extension TapeParser {
    struct Token {
        enum Kind: Equatable { case bare, quoted, regex }
        var text: String
        var kind: Kind
        /// Where the token starts and ends in the line, quotes and slashes included.
        var start: Int
        var end: Int
    }

    static let quoteCharacters: Set<Character> = ["\"", "'", "`"]

    /// Splits the arguments of a command into bare words, quoted strings and (for `Wait`) regexes.
    /// A `#` at the start of a word ends the line.
    static func tokenize(_ characters: [Character], from start: Int, regexAllowed: Bool) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        var index = start
        let count = characters.count
        while index < count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            if character == "#" { break }
            let tokenStart = index
            if quoteCharacters.contains(character) {
                var end = index + 1
                while end < count, characters[end] != character { end += 1 }
                guard end < count else {
                    throw Failure("unterminated string: missing closing \(character), e.g. Type \(character)hello\(character)")
                }
                tokens.append(Token(text: String(characters[(index + 1)..<end]), kind: .quoted, start: tokenStart, end: end + 1))
                index = end + 1
            } else if regexAllowed, character == "/" {
                var text = ""
                var end = index + 1
                var closed = false
                while end < count {
                    let current = characters[end]
                    if current == "\\", end + 1 < count {
                        if characters[end + 1] == "/" {
                            text.append("/")
                        } else {
                            text.append(current)
                            text.append(characters[end + 1])
                        }
                        end += 2
                    } else if current == "/" {
                        closed = true
                        break
                    } else {
                        text.append(current)
                        end += 1
                    }
                }
                guard closed else {
                    throw Failure("unterminated regex: missing closing /, e.g. Wait /Done/ (write \\/ for a slash inside)")
                }
                tokens.append(Token(text: text, kind: .regex, start: tokenStart, end: end + 1))
                index = end + 1
            } else {
                var end = index
                while end < count, !characters[end].isWhitespace { end += 1 }
                tokens.append(Token(text: String(characters[index..<end]), kind: .bare, start: tokenStart, end: end))
                index = end
            }
        }
        return tokens
    }

    /// One or more quoted strings, joined with a space (as VHS does).
    static func quotedText(_ tokens: [Token], command: String, example: String) throws(Failure) -> String {
        guard !tokens.isEmpty else {
            throw Failure("\(command) expects quoted text, e.g. \(example)")
        }
        if let bare = tokens.first(where: { $0.kind != .quoted }) {
            throw Failure("\(command) expects quoted text, e.g. \(example); got '\(excerpt(bare.text))'")
        }
        return tokens.map(\.text).joined(separator: " ")
    }

    /// The optional repeat count after a key.
    static func repeatCount(_ tokens: [Token], command: String) throws(Failure) -> Int {
        guard let token = tokens.first else { return 1 }
        let example = "e.g. \(command) 3"
        guard tokens.count == 1 else {
            throw Failure("\(command) takes at most one repeat count, \(example); got '\(excerpt(tokens[1].text))' too")
        }
        guard token.kind == .bare, !token.text.isEmpty, token.text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Failure("repeat count must be a whole number from 1 to \(maximumRepeatCount), \(example); got '\(excerpt(token.text))'")
        }
        guard let count = Int(token.text), (1...maximumRepeatCount).contains(count) else {
            throw Failure("repeat count must be from 1 to \(maximumRepeatCount), \(example); got \(excerpt(token.text))")
        }
        return count
    }

    /// A duration: a decimal number with an optional unit `ms`, `s` (the default), `m` or `h`.
    static func duration(_ text: String, context: String, allowZero: Bool) throws(Failure) -> Double {
        let invalid = Failure("invalid duration '\(excerpt(text))' for \(context); expected e.g. 500ms, 2s, 1.5s or 1m")
        var number = Substring(text)
        var multiplier = 1.0
        if number.hasSuffix("ms") {
            number = number.dropLast(2)
            multiplier = 0.001
        } else if number.hasSuffix("s") {
            number = number.dropLast()
        } else if number.hasSuffix("m") {
            number = number.dropLast()
            multiplier = 60
        } else if number.hasSuffix("h") {
            number = number.dropLast()
            multiplier = 3600
        }
        let pieces = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard number.count <= 32,
              pieces.contains(where: { !$0.isEmpty }),
              pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let value = Double(String(number))
        else { throw invalid }
        let seconds = value * multiplier
        guard seconds.isFinite, seconds <= maximumDuration, allowZero ? seconds >= 0 : seconds > 0 else {
            throw Failure("\(context) must be \(allowZero ? "at least 0" : "more than 0") and at most 1 hour; got \(excerpt(text))")
        }
        return seconds
    }

    /// The `/regex/` of a `Wait`, checked to compile.
    static func waitPattern(_ tokens: [Token]) throws(Failure) -> String {
        guard tokens.count == 1, tokens[0].kind == .regex else {
            if tokens.count > 1, tokens[0].kind == .regex {
                throw Failure("Wait takes one /regex/; unexpected '\(excerpt(tokens[1].text))' after it")
            }
            throw Failure("Wait expects a /regex/, e.g. Wait /Done/ or Wait+Screen@10s /Done/")
        }
        let pattern = tokens[0].text
        guard !pattern.isEmpty else {
            throw Failure("Wait regex is empty; write what to wait for, e.g. Wait /Done/")
        }
        // Swift's regex parser recurses on nested character classes without a limit, so a deep
        // `[[[[…` would overflow the stack; no real pattern nests this deep.
        if regexNestingDepth(pattern) > maximumRegexNesting {
            throw Failure(
                "invalid regex /\(excerpt(pattern))/: groups and character classes nest more than "
                    + "\(maximumRegexNesting) levels deep")
        }
        do {
            _ = try Regex(pattern)
        } catch {
            throw Failure("invalid regex /\(excerpt(pattern))/: \(excerpt(String(describing: error), limit: 200))")
        }
        return pattern
    }

    /// The deepest nesting of groups and character classes a `Wait` regex may have.
    static let maximumRegexNesting = 32

    /// How deeply `(` groups and `[` classes nest in `pattern`, erring on the deep side.
    static func regexNestingDepth(_ pattern: String) -> Int {
        var groups = 0
        var classes = 0
        var deepest = 0
        var classJustOpened = false
        var escaped = false
        for character in pattern {
            if escaped {
                escaped = false
                classJustOpened = false
                continue
            }
            let opening = classJustOpened
            classJustOpened = false
            switch character {
            case "\\":
                escaped = true
            case "[":
                classes += 1
                classJustOpened = true
            case "^" where opening:
                classJustOpened = true
            case "]" where classes > 0 && !opening:
                classes -= 1
            case "(" where classes == 0:
                groups += 1
            case ")" where classes == 0 && groups > 0:
                groups -= 1
            default:
                break
            }
            deepest = max(deepest, groups + classes)
        }
        return deepest
    }

    /// The single (optionally quoted) path of `Screenshot` or `Output`.
    static func singlePath(_ tokens: [Token], command: String, example: String) throws(Failure) -> String {
        guard tokens.count == 1, !tokens[0].text.isEmpty else {
            throw Failure("\(command) expects one path, e.g. \(example) (quote a path with spaces)")
        }
        return tokens[0].text
    }

    /// Shortens user text quoted in a message and keeps it on one line.
    static func excerpt(_ text: String, limit: Int = 60) -> String {
        let short = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return TapeError.oneLine(short)
    }
}

// MARK: - Settings

extension TapeParser {
    /// The settings connect-tui uses.
    static let supportedSettings = ["Width", "Height", "Language", "Speed", "Scenario", "ItemId", "ConnectToken"]

    /// VHS's visual settings: accepted, ignored, kept raw.
    static let ignoredSettings = [
        "Shell", "FontSize", "FontFamily", "LetterSpacing", "LineHeight", "TypingSpeed", "Theme", "Padding",
        "Margin", "MarginFill", "WindowBar", "WindowBarSize", "BorderRadius", "Framerate", "PlaybackSpeed",
        "LoopOffset", "CursorBlink",
    ]

    static func applySetting(_ tokens: [Token], characters: [Character], state: inout State) throws(Failure) {
        guard let nameToken = tokens.first, nameToken.kind == .bare else {
            throw Failure("Set expects a setting and a value, e.g. Set Width 80")
        }
        let name = nameToken.text
        let supported = supportedSettings.contains(name)
        let ignored = ignoredSettings.contains(name)
        guard supported || ignored else {
            var message = "unknown setting '\(excerpt(name))'"
            if let suggestion = suggestion(for: name, among: supportedSettings + ignoredSettings) {
                message += "; did you mean \(suggestion)?"
            }
            message += " Supported: \(supportedSettings.joined(separator: ", ")); "
                + "accepted and ignored (VHS visual settings): \(ignoredSettings.joined(separator: ", "))"
            throw Failure(message)
        }
        // As in VHS, TypingSpeed may change later; it is ignored here anyway.
        if let firstAction = state.firstActionLine, name != "TypingSpeed" {
            throw Failure("Set \(name) must come before the first action (line \(firstAction))")
        }
        let values = Array(tokens.dropFirst())
        let example = settingExample(name)
        guard let firstValue = values.first, let lastValue = values.last else {
            throw Failure("Set \(name) needs a value, e.g. \(example)")
        }
        if ignored {
            state.tape.settings.ignored[name] = String(characters[firstValue.start..<lastValue.end])
            return
        }
        guard values.count == 1 else {
            throw Failure("Set \(name) takes one value (quote it if it has spaces), e.g. \(example)")
        }
        let value = firstValue.text
        guard !value.isEmpty else {
            throw Failure("Set \(name) needs a value, e.g. \(example)")
        }
        switch name {
        case "Width":
            state.tape.settings.width = try cells(value, range: widthRange, name: name, unit: "columns", example: example)
        case "Height":
            state.tape.settings.height = try cells(value, range: heightRange, name: name, unit: "rows", example: example)
        case "Language":
            let lowered = value.lowercased()
            guard lowered == "en" || lowered == "pt" else {
                throw Failure("Set Language takes en or pt, e.g. \(example); got '\(excerpt(value))'")
            }
            state.tape.settings.language = lowered
        case "Speed":
            let lowered = value.lowercased()
            guard lowered == "instant" || lowered == "realistic" else {
                throw Failure("Set Speed takes instant or realistic, e.g. \(example); got '\(excerpt(value))'")
            }
            state.tape.settings.speed = lowered
        case "Scenario":
            state.tape.settings.scenario = value
        case "ItemId":
            state.tape.settings.itemId = value
        default:
            state.tape.settings.connectToken = value
        }
    }

    static func settingExample(_ name: String) -> String {
        switch name {
        case "Width": "Set Width 80"
        case "Height": "Set Height 24"
        case "Language": "Set Language pt"
        case "Speed": "Set Speed instant"
        case "Scenario": "Set Scenario xp-mfa"
        case "ItemId": "Set ItemId \"<item id>\""
        case "ConnectToken": "Set ConnectToken \"<token>\""
        case "Shell": "Set Shell bash"
        case "FontFamily": "Set FontFamily \"Fira Code\""
        case "Theme": "Set Theme \"Dracula\""
        default: "Set \(name) 1"
        }
    }

    static func cells(_ value: String, range: ClosedRange<Int>, name: String, unit: String, example: String) throws(Failure) -> Int {
        guard value.count <= 10, value.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(value),
              range.contains(number)
        else {
            throw Failure(
                "Set \(name) is in terminal \(unit) (cells, not pixels) from \(range.lowerBound) to \(range.upperBound), "
                    + "e.g. \(example); got '\(excerpt(value))'")
        }
        return number
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}
