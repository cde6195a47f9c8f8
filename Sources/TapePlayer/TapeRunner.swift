import ConnectWidget
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggySandbox
import TerminalCanvas

/// How to play a tape: the update command's options (they override the tape's `Set` lines).
public struct PlayOptions: Sendable {
    public var width: Int?
    public var height: Int?
    public var language: Language?
    public var speed: SandboxSpeed?
    public var scenario: String?
    public var itemId: String?
    public var connectToken: String?
    public var colors: Bool
    /// `--record FILE.cast`: an asciicast of the whole run.
    public var recordPath: String?
    public var environment: [String: String]
    /// Where relative `Screenshot` and `Output` paths go (default: the current directory).
    public var baseDirectory: String?

    public init(width: Int? = nil, height: Int? = nil, language: Language? = nil, speed: SandboxSpeed? = nil,
                scenario: String? = nil, itemId: String? = nil, connectToken: String? = nil, colors: Bool = true,
                recordPath: String? = nil, environment: [String: String] = [:], baseDirectory: String? = nil) {
        self.width = width
        self.height = height
        self.language = language
        self.speed = speed
        self.scenario = scenario
        self.itemId = itemId
        self.connectToken = connectToken
        self.colors = colors
        self.recordPath = recordPath
        self.environment = environment
        self.baseDirectory = baseDirectory
    }
}

/// How a tape run ended.
public struct PlayResult: Sendable {
    public var outcome: Outcome
    public var events: [WidgetEvent]
    /// Why the tape itself failed (a Wait that timed out, a file that could not be written).
    public var failure: PlayFailure?
    public var screen: Canvas

    /// The contract's exit status: the widget's outcome, or 1 when the tape failed.
    public var exitStatus: Int32 { failure == nil ? outcome.exitStatus : 1 }
}

/// A tape that could not be played to its end, with the screen it saw.
public struct PlayFailure: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var message: String
    public var screen: String

    public var description: String {
        "\(source):\(line): \(message)" + (screen.isEmpty ? "" : "\nThe screen was:\n" + screen)
    }
}

/// A problem with the options before anything runs (exit 64).
public struct PlaySetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Plays a tape against the offline sandbox on a virtual screen, in virtual time: the same engine,
/// screens and backend as the terminal, with time advancing only on `Sleep` and `Wait`.
public final class TapeRunner {
    public static let tickInterval = 0.1
    public static let defaultSize = Size(width: 80, height: 24)

    let tape: Tape
    /// Where time comes from: virtual (the offline sandbox) or the machine's (a live backend).
    let clock: any TimeSource
    /// The virtual clock that `Sleep` and `Wait` move forward; nil against a live backend (real time).
    let virtualClock: VirtualClock?
    let runtime: WidgetRuntime
    let theme: Theme
    let start: Date
    var state: WidgetState
    var events: [WidgetEvent] = []
    var outcome: Outcome?
    var canvas: Canvas
    var recorders: [(path: String, recorder: AsciicastRecorder)] = []
    var textFrames: [(path: String, text: String)] = []
    var lastTextFrame: String?
    var hidden = false
    let baseDirectory: String?

    /// Prepares a run against the offline sandbox, in virtual time; throws when the options name no
    /// item or an unknown scenario.
    public convenience init(tape: Tape, catalogue: Catalogue, options: PlayOptions, clock: VirtualClock = VirtualClock()) throws(PlaySetupError) {
        let settings = tape.settings
        let speedName = options.speed?.rawValue ?? settings.speed ?? SandboxSpeed.instant.rawValue
        guard let speed = SandboxSpeed(rawValue: speedName) else {
            throw PlaySetupError(description: "\(tape.source): unknown speed '\(speedName)' (use instant or realistic)")
        }
        let tokens = ConnectTokenIssuer.standard(environment: options.environment)
        let sandbox = PluggySandbox(catalogue: catalogue, clock: clock, speed: speed, tokens: tokens)
        let itemId = try Self.itemId(tape: tape, options: options, catalogue: catalogue)
        let token = options.connectToken ?? settings.connectToken ?? tokens.mint(itemId: itemId, now: clock.now())
        let runtime = WidgetRuntime(backend: SandboxBackend(sandbox: sandbox, connectToken: token), simulator: SandboxSimulator(sandbox: sandbox))
        self.init(tape: tape, itemId: itemId, runtime: runtime, options: options, clock: clock, virtualClock: clock, simulator: true)
    }

    /// Prepares a run against another backend (the live API, or `connect-tui serve`), in real time.
    public convenience init(tape: Tape, itemId: String, runtime: WidgetRuntime, options: PlayOptions, simulator: Bool) {
        self.init(tape: tape, itemId: itemId, runtime: runtime, options: options, clock: SystemClock(), virtualClock: nil,
                  simulator: simulator)
    }

    /// The item a tape updates: the options' scenario or item, else the tape's.
    public static func itemId(tape: Tape, options: PlayOptions, catalogue: Catalogue?) throws(PlaySetupError) -> String {
        let settings = tape.settings
        if let name = options.scenario ?? (options.itemId == nil ? settings.scenario : nil) {
            guard let scenario = catalogue?.scenario(named: name) else {
                throw PlaySetupError(description: "\(tape.source): no scenario named '\(name)'; `connect-tui scenarios` lists them")
            }
            return scenario.item.id
        } else if let id = options.itemId ?? settings.itemId {
            return id
        }
        throw PlaySetupError(description: "\(tape.source): name the item to update: `Set Scenario NAME` in the tape, or --scenario / --item-id")
    }

    init(tape: Tape, itemId: String, runtime: WidgetRuntime, options: PlayOptions, clock: any TimeSource,
         virtualClock: VirtualClock?, simulator: Bool) {
        self.tape = tape
        self.clock = clock
        self.virtualClock = virtualClock
        self.baseDirectory = options.baseDirectory
        self.start = clock.now()
        self.runtime = runtime
        let settings = tape.settings
        theme = options.colors ? .color : .monochrome
        let languageName = options.language?.rawValue ?? settings.language
        let language = languageName.flatMap(Language.init(rawValue:)) ?? Language.from(environment: options.environment)
        let size = Size(width: options.width ?? settings.width ?? Self.defaultSize.width,
                        height: options.height ?? settings.height ?? Self.defaultSize.height)
        let config = WidgetConfig(itemId: itemId, language: language, simulator: simulator,
                                  pollInterval: virtualClock == nil ? 1 : WidgetConfig(itemId: itemId).pollInterval)
        state = WidgetState(config: config, size: size, now: clock.now())
        canvas = Canvas(width: size.width, height: size.height)
        let castPaths = tape.outputs.filter { $0.kind == .cast }.map(\.path) + (options.recordPath.map { [$0] } ?? [])
        recorders = castPaths.map { path in
            (path, AsciicastRecorder(width: size.width, height: size.height, title: tape.source, colors: options.colors ? .indexed256 : .none))
        }
        textFrames = tape.outputs.filter { $0.kind == .text }.map { ($0.path, "") }
    }

    /// Plays every step; the widget is closed at the end if the tape did not close it.
    public func run() async -> PlayResult {
        let (initial, effects) = ConnectEngine.start(config: state.config, size: state.size, now: clock.now())
        state = initial
        await perform(effects)
        var failure: PlayFailure?
        for step in tape.steps {
            if outcome != nil { break }
            do {
                try await play(step)
            } catch {
                failure = error
                break
            }
        }
        if outcome == nil { await send(.key(.control("C"))) }
        if failure == nil { failure = writeOutputs() } else { _ = writeOutputs() }
        return PlayResult(outcome: outcome ?? Outcome(.closed, item: state.item), events: events, failure: failure, screen: canvas)
    }

    func play(_ step: TapeStep) async throws(PlayFailure) {
        switch step.action {
        case .type(let text):
            for character in text { await send(.key(.character(character))) }
        case .key(let key, let count):
            for _ in 0..<count { await send(.key(Self.key(key))) }
        case .control(let letter, let count):
            for _ in 0..<count { await send(.key(.control(letter))) }
        case .paste(let text):
            await send(.paste(text))
        case .sleep(let seconds):
            await advance(seconds)
        case .wait(let pattern, let scope, let timeout):
            guard let regex = try? Regex(pattern) else {
                throw PlayFailure(source: tape.source, line: step.line, message: "/\(pattern)/ is not a valid regular expression", screen: "")
            }
            var waited = 0.0
            while !matches(regex, scope) {
                if waited >= timeout || outcome != nil {
                    throw PlayFailure(
                        source: tape.source, line: step.line,
                        message: "Wait\(scope == .line ? "+Line" : "+Screen") /\(pattern)/ timed out after \(Self.seconds(timeout))",
                        screen: canvas.text)
                }
                await advance(Self.tickInterval)
                waited += Self.tickInterval
            }
        case .screenshot(let path, let format):
            let contents = format == .svg ? Exporters.svg(canvas, title: nil) : Exporters.text(canvas)
            if let problem = Self.write(contents, to: resolve(path)) {
                throw PlayFailure(source: tape.source, line: step.line, message: problem, screen: "")
            }
        case .hide:
            hidden = true
        case .show:
            hidden = false
            record()
        }
    }

    func matches(_ regex: Regex<AnyRegexOutput>, _ scope: WaitScope) -> Bool {
        let text: String
        switch scope {
        case .screen:
            text = canvas.text
        case .line:
            if let cursor = canvas.cursor {
                text = canvas.row(cursor.y)
            } else {
                text = canvas.text.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init) ?? ""
            }
        }
        return (try? regex.firstMatch(in: text)) != nil
    }

    /// Moves virtual time forward in ticks, letting the widget poll and count down.
    func advance(_ seconds: Double) async {
        var left = seconds
        while left > 1e-9, outcome == nil {
            let step = min(Self.tickInterval, left)
            if let virtualClock {
                virtualClock.advance(by: step)
            } else {
                try? await Task.sleep(for: .milliseconds(Int64(step * 1000)))
            }
            left -= step
            await send(.tick(clock.now()))
        }
    }

    /// Sends a message and performs every effect it leads to, in order, until the widget is quiet.
    func send(_ message: Message) async {
        guard outcome == nil else { return }
        let effects = ConnectEngine.update(&state, message)
        render()
        await perform(effects)
    }

    func perform(_ effects: [Effect]) async {
        var queue = effects
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            switch effect {
            case .emit(let event):
                events.append(event)
            case .finish(let result):
                outcome = result
            default:
                if let reply = await runtime.perform(effect) {
                    queue += ConnectEngine.update(&state, reply)
                    render()
                }
            }
        }
    }

    func render() {
        canvas = Screens.render(state, theme: theme)
        record()
    }

    func record() {
        guard !hidden else { return }
        let at = clock.now().timeIntervalSince(start)
        for index in recorders.indices { recorders[index].recorder.record(canvas, at: at) }
        if !textFrames.isEmpty {
            let text = canvas.text
            if text != lastTextFrame {
                lastTextFrame = text
                for index in textFrames.indices {
                    textFrames[index].text += "── " + Self.seconds(at) + " ──\n" + text + "\n"
                }
            }
        }
    }

    func writeOutputs() -> PlayFailure? {
        for (path, recorder) in recorders {
            if let problem = Self.write(recorder.finish(), to: resolve(path)) {
                return PlayFailure(source: tape.source, line: 0, message: problem, screen: "")
            }
        }
        for (path, text) in textFrames {
            if let problem = Self.write(text, to: resolve(path)) {
                return PlayFailure(source: tape.source, line: 0, message: problem, screen: "")
            }
        }
        return nil
    }

    func resolve(_ path: String) -> String {
        guard let baseDirectory, !baseDirectory.isEmpty, !path.hasPrefix("/") else { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : "\(baseDirectory)/\(path)"
    }

    /// Writes a file, creating its folder; a message when it cannot.
    static func write(_ contents: String, to path: String) -> String? {
        do {
            try TextFile.write(contents, to: path, atomic: true, createFolder: true)
            return nil
        } catch {
            return "cannot write \(path): \(error)"
        }
    }

    static func key(_ key: TapeKey) -> Key {
        switch key {
        case .enter: return .enter
        case .tab: return .tab
        case .shiftTab: return .backTab
        case .backspace: return .backspace
        case .delete: return .delete
        case .up: return .up
        case .down: return .down
        case .left: return .left
        case .right: return .right
        case .escape: return .escape
        case .space: return .character(" ")
        case .home: return .home
        case .end: return .end
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        }
    }

    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = millis % 1000
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + "\(fraction)s"
    }
}
