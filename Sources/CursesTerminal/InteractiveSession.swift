#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ConnectWidget
import Pluggy
import Synchronization
import TerminalCanvas

/// How to run the widget in the terminal.
public struct SessionOptions: Sendable {
    public var colors: Bool
    public var language: Language
    public var simulator: Bool
    public var pollInterval: Double
    /// `--record FILE.cast`.
    public var recordPath: String?
    public var environment: [String: String]

    public init(colors: Bool, language: Language, simulator: Bool, pollInterval: Double = 0.25, recordPath: String? = nil,
                environment: [String: String]) {
        self.colors = colors
        self.language = language
        self.simulator = simulator
        self.pollInterval = pollInterval
        self.recordPath = recordPath
        self.environment = environment
    }
}

/// What happened in the terminal.
public struct SessionResult: Sendable {
    public var outcome: Outcome
    public var events: [WidgetEvent]
    /// The asciicast recording, when one was asked for.
    public var recording: String?
}

/// Runs the widget in the real terminal: the picker first when no item is given, then the update flow.
/// ncurses lives on one dedicated thread; backend calls run as tasks and post their replies back.
public enum TerminalApp {
    /// Opens the terminal, runs the flow, and always gives the terminal back before returning.
    /// - Parameters:
    ///   - itemId: the item to update; nil shows `picker` first.
    ///   - runtimeFor: the runtime (backend bound to a connect token) for the chosen item.
    public static func run(
        options: SessionOptions, itemId: String?, picker: [PickerEntry], clock: any TimeSource,
        runtimeFor: @escaping @Sendable (String) -> WidgetRuntime
    ) async -> Result<SessionResult, TerminalUnavailable> {
        await withCheckedContinuation { continuation in
            let started = startThread {
                // Threads started from Swift concurrency inherit a mask that blocks SIGTSTP (Ctrl-Z) and
                // others; the terminal thread needs them delivered.
                var empty = sigset_t()
                sigemptyset(&empty)
                pthread_sigmask(SIG_SETMASK, &empty, nil)
                continuation.resume(returning: runOnThisThread(
                    options: options, itemId: itemId, picker: picker, clock: clock, runtimeFor: runtimeFor))
            }
            if let problem = started {
                continuation.resume(returning: .failure(TerminalUnavailable(description: "cannot start the terminal's thread: \(problem)")))
            }
        }
    }

    /// Runs `body` on a new detached thread with a 4 MiB stack; the system's reason when none can be made
    /// (the terminal's loop must not block a task-pool thread instead).
    static func startThread(_ body: @escaping @Sendable () -> Void) -> String? {
        final class Body: Sendable {
            let run: @Sendable () -> Void
            init(_ run: @escaping @Sendable () -> Void) { self.run = run }
        }
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 4 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let created = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return String(cString: strerror(created))
        }
        return nil
    }

    static func runOnThisThread(
        options: SessionOptions, itemId: String?, picker entries: [PickerEntry], clock: any TimeSource,
        runtimeFor: @Sendable (String) -> WidgetRuntime
    ) -> Result<SessionResult, TerminalUnavailable> {
        let screen: CursesScreen
        do {
            screen = try CursesScreen(useColors: options.colors, environment: options.environment)
        } catch {
            return .failure(error)
        }
        defer { screen.close() }
        let theme: Theme = options.colors ? .color : .monochrome
        var recorder = options.recordPath.map { _ in
            AsciicastRecorder(width: screen.size.width, height: screen.size.height, title: "connect-tui", colors: options.colors ? .indexed256 : .none)
        }
        let started = clock.now()
        func show(_ canvas: Canvas) {
            screen.present(canvas)
            recorder?.record(canvas, at: clock.now().timeIntervalSince(started))
        }

        // 1. The picker, when no item was named.
        var chosen = itemId
        if chosen == nil {
            var picker = Picker(entries: entries, size: screen.size, language: options.language)
            show(picker.render(theme: theme))
            loop: while true {
                let (inputs, _) = screen.wait(timeout: screen.isPasting ? 100 : -1, wakeFD: -1)
                for input in inputs {
                    switch input {
                    case .key(let key):
                        switch picker.handle(key) {
                        case .chose(let id):
                            chosen = id
                            break loop
                        case .closed:
                            return .success(SessionResult(outcome: Outcome(.closed, item: nil), events: [], recording: recorder?.finish()))
                        case .none: break
                        }
                    case .resize(let size): picker.size = size
                    case .suspend: screen.suspend()
                    case .terminate:
                        return .success(SessionResult(outcome: Outcome(.closed, item: nil), events: [], recording: recorder?.finish()))
                    case .paste: break
                    }
                }
                show(picker.render(theme: theme))
            }
        }
        guard let itemId = chosen else {
            return .success(SessionResult(outcome: Outcome(.closed, item: nil), events: [], recording: recorder?.finish()))
        }

        // 2. The update flow.
        let runtime = runtimeFor(itemId)
        let mailbox = Mailbox()
        let config = WidgetConfig(itemId: itemId, language: options.language, simulator: options.simulator,
                                  pollInterval: options.pollInterval)
        var (state, effects) = ConnectEngine.start(config: config, size: screen.size, now: clock.now())
        var events: [WidgetEvent] = []
        var outcome: Outcome?
        func handle(_ effects: [Effect]) {
            for effect in effects {
                switch effect {
                case .emit(let event): events.append(event)
                case .finish(let result): outcome = result
                default:
                    Task.detached {
                        if let reply = await runtime.perform(effect) { mailbox.post(reply) }
                    }
                }
            }
        }
        handle(effects)
        var shown = Screens.render(state, theme: theme)
        show(shown)
        while outcome == nil {
            let (inputs, woken) = screen.wait(timeout: state.wantsTicks || screen.isPasting ? 100 : -1, wakeFD: mailbox.readFD)
            for input in inputs where outcome == nil {
                switch input {
                case .key(let key): handle(ConnectEngine.update(&state, .key(key)))
                case .paste(let text): handle(ConnectEngine.update(&state, .paste(text)))
                case .resize(let size): handle(ConnectEngine.update(&state, .resize(size)))
                case .suspend: screen.suspend()
                case .terminate: handle(ConnectEngine.update(&state, .key(.control("C"))))
                }
            }
            if woken || mailbox.hasMessages {
                for message in mailbox.drain() where outcome == nil { handle(ConnectEngine.update(&state, message)) }
            }
            if outcome == nil { handle(ConnectEngine.update(&state, .tick(clock.now()))) }
            let next = Screens.render(state, theme: theme)
            if next != shown {
                shown = next
                show(next)
            }
        }
        return .success(SessionResult(outcome: outcome ?? Outcome(.closed, item: state.item), events: events, recording: recorder?.finish()))
    }
}

/// Replies from backend tasks to the terminal thread: a locked queue and a pipe that wakes `poll`.
final class Mailbox: Sendable {
    private let queue = Mutex<[Message]>([])
    let readFD: Int32
    private let writeFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    func post(_ message: Message) {
        queue.withLock { $0.append(message) }
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    var hasMessages: Bool { queue.withLock { !$0.isEmpty } }

    func drain() -> [Message] {
        queue.withLock { messages in
            defer { messages.removeAll() }
            return messages
        }
    }
}
