// The parsed form of a `.tape` script: a subset of charmbracelet VHS's tape language.

/// A parsed `.tape` script: its settings, the actions to replay, the recordings to write and the
/// programs it requires.
///
/// Produced by ``TapeParser/parse(_:source:)``. Every action keeps the 1-based line it came from so
/// a runner can point at the script when something goes wrong.
public struct Tape: Hashable, Sendable {
    /// The file name used in errors (for example `demo.tape`).
    public var source: String
    /// The `Set` commands, merged (a later `Set` of the same name wins).
    public var settings: TapeSettings
    /// The actions in order, each with its line number.
    public var steps: [TapeStep]
    /// The `Output` commands (path and kind), in order.
    public var outputs: [TapeOutput]
    /// The programs named by `Require` commands, in order (the runner checks `PATH`).
    public var requirements: [String]

    /// A tape with the given parts; all default to empty.
    public init(
        source: String,
        settings: TapeSettings = TapeSettings(),
        steps: [TapeStep] = [],
        outputs: [TapeOutput] = [],
        requirements: [String] = []
    ) {
        self.source = source
        self.settings = settings
        self.steps = steps
        self.outputs = outputs
        self.requirements = requirements
    }
}

/// The `Set` commands of a tape. `nil` means the tape did not set it (the runner picks a default).
///
/// Unlike VHS, `Width` and `Height` are in terminal cells (columns and rows), not pixels.
public struct TapeSettings: Hashable, Sendable {
    /// `Set Width <n>`: terminal columns, 1...1000.
    public var width: Int?
    /// `Set Height <n>`: terminal rows, 1...500.
    public var height: Int?
    /// `Set Language en|pt`, lowercased.
    public var language: String?
    /// `Set Speed instant|realistic`, lowercased.
    public var speed: String?
    /// `Set Scenario <name>`: the sandbox scenario to open.
    public var scenario: String?
    /// `Set ItemId <id>`: the item to update.
    public var itemId: String?
    /// `Set ConnectToken <token>`: the connect token to use.
    public var connectToken: String?
    /// VHS's visual settings (`Shell`, `FontSize`, `Theme`, …): accepted, ignored, and kept here by
    /// setting name with their raw text as written in the tape (quotes included).
    public var ignored: [String: String]

    /// Settings with the given values; all default to unset.
    public init(
        width: Int? = nil,
        height: Int? = nil,
        language: String? = nil,
        speed: String? = nil,
        scenario: String? = nil,
        itemId: String? = nil,
        connectToken: String? = nil,
        ignored: [String: String] = [:]
    ) {
        self.width = width
        self.height = height
        self.language = language
        self.speed = speed
        self.scenario = scenario
        self.itemId = itemId
        self.connectToken = connectToken
        self.ignored = ignored
    }
}

/// One action of a tape with the 1-based line it came from.
public struct TapeStep: Hashable, Sendable {
    /// The 1-based line number of the command in the tape.
    public var line: Int
    /// What to do.
    public var action: TapeAction

    /// A step at `line` performing `action`.
    public init(line: Int, action: TapeAction) {
        self.line = line
        self.action = action
    }
}

/// A named key a tape can press (`Enter`, `Down 3`, `Shift+Tab`, …).
public enum TapeKey: String, Hashable, Sendable, CaseIterable {
    case enter, tab, shiftTab, backspace, delete, up, down, left, right, escape, space, home, end, pageUp, pageDown

    /// The command that presses this key in a tape, e.g. `PageDown` or `Shift+Tab`.
    public var commandName: String {
        switch self {
        case .enter: "Enter"
        case .tab: "Tab"
        case .shiftTab: "Shift+Tab"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .escape: "Escape"
        case .space: "Space"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PageUp"
        case .pageDown: "PageDown"
        }
    }
}

/// One thing a tape does to the terminal.
public enum TapeAction: Hashable, Sendable {
    /// `Type "text"`: type the text one character at a time.
    case type(String)
    /// `Down 3`: press a named key `count` times (1...1000).
    case key(TapeKey, count: Int)
    /// `Ctrl+C`: press Control with an uppercase ASCII letter or one of `@ [ \ ] ^ _`, `count` times.
    case control(Character, count: Int)
    /// `Paste "text"` (a connect-tui extension) or `Copy "text"` then `Paste`: one bracketed paste.
    case paste(String)
    /// `Sleep 500ms`: let (virtual) time pass.
    case sleep(seconds: Double)
    /// `Wait+Screen@10s /regex/`: wait until the regex matches, failing after `timeout` seconds.
    /// `pattern` is the regex source text, with `\/` already turned into `/`.
    case wait(pattern: String, scope: WaitScope, timeout: Double)
    /// `Screenshot out.svg`: save the current screen.
    case screenshot(path: String, format: ScreenshotFormat)
    /// `Hide`: stop recording frames until `Show`.
    case hide
    /// `Show`: resume recording frames.
    case show
}

/// What a `Wait` looks at.
///
/// In connect-tui a bare `Wait /regex/` means ``screen`` (VHS's bare `Wait` looks at the line);
/// write `Wait+Line` for the line with the cursor.
public enum WaitScope: String, Hashable, Sendable {
    /// The whole screen (`Wait` or `Wait+Screen`).
    case screen
    /// The line with the cursor (`Wait+Line`).
    case line
}

/// The file format of a `Screenshot`, chosen by its extension.
public enum ScreenshotFormat: String, Hashable, Sendable {
    /// An SVG picture (`.svg`).
    case svg
    /// Plain text of the screen (`.txt`).
    case txt
}

/// An `Output` command: a recording the runner writes when the tape ends.
public struct TapeOutput: Hashable, Sendable {
    /// The 1-based line number of the `Output` command.
    public var line: Int
    /// The path as written in the tape.
    public var path: String
    /// What to record, chosen by the extension.
    public var kind: OutputKind

    /// An output of `kind` at `path`, declared at `line`.
    public init(line: Int, path: String, kind: OutputKind) {
        self.line = line
        self.path = path
        self.kind = kind
    }
}

/// The kind of recording an `Output` writes.
public enum OutputKind: String, Hashable, Sendable {
    /// An asciicast v2 recording (`.cast`).
    case cast
    /// The text of every frame, VHS "golden" style (`.txt` or `.ascii`).
    case text
}

/// A problem in a tape, with the file and 1-based line it was found on.
public struct TapeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name given to the parser.
    public var source: String
    /// The 1-based line number.
    public var line: Int
    /// What is wrong and what was expected.
    public var message: String

    /// An error at `line` of `source`.
    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    /// `<source>:<line>: <message>` on one line (any line break inside is shown escaped).
    public var description: String {
        Self.oneLine("\(source):\(line): \(message)")
    }

    static func oneLine(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\r\n": result += "\\r\\n"
            default:
                if character.isNewline {
                    result += " "
                } else {
                    result.append(character)
                }
            }
        }
        return result
    }
}
