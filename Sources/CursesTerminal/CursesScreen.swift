#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNCursesW
import ConnectWidget
import TerminalCanvas

/// Why the terminal could not be used.
public struct TerminalUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// What the terminal said: keys, a paste, a new size, a signal to act on.
enum TerminalInput {
    case key(Key)
    case paste(String)
    case resize(Size)
    case suspend
    case terminate(Int32)
}

/// The controlling terminal, driven by ncursesw. Only this type (and the session) call ncurses, and
/// only from the thread that opened it.
final class CursesScreen {
    private let input: UnsafeMutablePointer<FILE>
    private let output: UnsafeMutablePointer<FILE>
    private let screen: OpaquePointer
    private let signalFD: Int32
    let colors: Int
    private var pairs: [Int64: Int16] = [:]
    private var nextPair: Int32 = 1
    private var previous: Canvas?
    private var pasting: String?
    private var lastPasteInput = ContinuousClock.now
    private var closed = false

    /// A bracketed paste has started and not ended yet.
    var isPasting: Bool { pasting != nil }

    static let pasteStart = KEY_MAX + 1
    static let pasteEnd = KEY_MAX + 2

    /// Opens /dev/tty (like fzf, so stdout stays free for --json) and starts ncurses on it.
    init(useColors: Bool, environment: [String: String]) throws(TerminalUnavailable) {
        guard let input = fopen("/dev/tty", "r"), let output = fopen("/dev/tty", "w") else {
            throw TerminalUnavailable(description: "no terminal to draw on (/dev/tty: \(String(cString: strerror(errno)))); use `connect-tui play TAPE` to run without one")
        }
        setlocale(LC_ALL, "")
        signalFD = SignalRelay.install()
        let term = environment["TERM"] ?? ""
        /// Gives back what was opened so far and says why the terminal cannot be used.
        func refuse(_ screen: OpaquePointer?, _ reason: String) -> TerminalUnavailable {
            if let screen {
                endwin()
                delscreen(screen)
            }
            SignalRelay.uninstall()
            fclose(input)
            fclose(output)
            return TerminalUnavailable(description: reason)
        }
        guard !term.isEmpty, let screen = newterm(nil, output, input) else {
            throw refuse(nil, term.isEmpty
                ? "TERM is not set, so the terminal's type is unknown; set it (for example TERM=xterm-256color)"
                : "the terminal type '\(term)' is unknown to ncurses; set TERM (for example TERM=xterm-256color)")
        }
        guard ct_can_address_cursor() != 0 else {
            throw refuse(screen, "the terminal type '\(term)' cannot move the cursor, which the widget needs; use a full-screen terminal (TERM=xterm-256color, for example), or `connect-tui play TAPE` to run without one")
        }
        self.input = input
        self.output = output
        self.screen = screen
        set_term(screen)
        SignalRelay.ttyFD = fileno(output)
        SignalRelay.terminalActive = 1
        raw()
        noecho()
        nonl()
        keypad(ct_stdscr(), true)
        nodelay(ct_stdscr(), true)
        if environment["ESCDELAY"] == nil { set_escdelay(25) }
        define_key("\u{1b}[200~", Self.pasteStart)
        define_key("\u{1b}[201~", Self.pasteEnd)
        var colorCount = 0
        if useColors, has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(ct_colors())
        }
        colors = colorCount
        writeRaw("\u{1b}[?2004h")  // bracketed paste on
    }

    deinit { close() }

    var size: Size { Size(width: Int(getmaxx(ct_stdscr())), height: Int(getmaxy(ct_stdscr()))) }

    /// Gives the terminal back exactly as it was: paste mode off, cursor visible, modes restored.
    func close() {
        guard !closed else { return }
        closed = true
        writeRaw("\u{1b}[?2004l")
        curs_set(1)
        endwin()
        SignalRelay.terminalActive = 0
        delscreen(screen)
        fclose(input)
        fclose(output)
        SignalRelay.uninstall()
    }

    private func writeRaw(_ text: String) {
        fputs(text, output)
        fflush(output)
    }

    /// Draws the cells that changed since the last frame, then places the cursor.
    func present(_ canvas: Canvas) {
        if previous?.size != canvas.size { previous = nil; clear() }
        for change in canvas.diff(from: previous) { draw(change.cell, x: change.x, y: change.y) }
        if let cursor = canvas.cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < canvas.width, cursor.y < canvas.height {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        refresh()
        previous = canvas
    }

    /// Forgets what is on screen so the next frame is drawn whole (resize, resume, repaint requests).
    func invalidate() {
        previous = nil
        clearok(ct_curscr(), true)
    }

    private func draw(_ cell: Cell, x: Int, y: Int) {
        guard cell.width > 0 else { return }
        var attributes = ct_a_normal()
        let style = cell.style
        if style.bold { attributes |= ct_a_bold() }
        if style.dim { attributes |= ct_a_dim() }
        if style.italic { attributes |= ct_a_italic() }
        if style.underline { attributes |= ct_a_underline() }
        if style.reverse { attributes |= ct_a_reverse() }
        let pair = colorPair(style.foreground, style.background)
        var text: [wchar_t] = cell.text.unicodeScalars.prefix(Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
        if text.isEmpty { text = [wchar_t(32)] }
        text.append(0)
        _ = ct_put(Int32(y), Int32(x), text, attributes, pair)
    }

    private func colorIndex(_ color: Color) -> Int32 {
        if color.isDefault || colors == 0 { return -1 }
        if colors >= 256 { return Int32(color.nearest256) }
        if colors >= 16 { return Int32(color.nearest16) }
        return Int32(color.nearest16 % 8)
    }

    private func colorPair(_ foreground: Color, _ background: Color) -> Int16 {
        guard colors > 0 else { return 0 }
        let fg = colorIndex(foreground)
        let bg = colorIndex(background)
        if fg == -1, bg == -1 { return 0 }
        let key = Int64(fg + 1) << 16 | Int64(bg + 1)
        if let pair = pairs[key] { return pair }
        guard nextPair < min(Int32(ct_color_pairs()), Int32(Int16.max)) else { return 0 }
        let pair = Int16(nextPair)
        nextPair += 1
        init_pair(pair, Int16(fg), Int16(bg))
        pairs[key] = pair
        return pair
    }

    /// Waits up to `timeout` milliseconds (-1: forever) for input, a wake-up on `wakeFD`, or a signal.
    func wait(timeout: Int32, wakeFD: Int32) -> (input: [TerminalInput], woken: Bool) {
        var fds = [
            pollfd(fd: fileno(input), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&fds, nfds_t(fds.count), timeout)
        var events: [TerminalInput] = []
        var woken = false
        if ready > 0 {
            if fds[2].revents & Int16(POLLIN) != 0 {
                var byte: UInt8 = 0
                while read(signalFD, &byte, 1) == 1 {
                    let signal = Int32(byte)
                    if signal == SIGWINCH {
                        var window = winsize()
                        if ioctl(fileno(output), UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 {
                            resizeterm(Int32(window.ws_row), Int32(window.ws_col))
                        }
                        invalidate()
                        events.append(.resize(size))
                    } else if signal == SIGCONT {
                        invalidate()
                        events.append(.resize(size))
                    } else {
                        events.append(.terminate(signal))
                    }
                }
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                var buffer = [UInt8](repeating: 0, count: 64)
                while read(wakeFD, &buffer, buffer.count) > 0 {}
                woken = true
            }
        }
        // ncurses reports resizes (SIGWINCH) as KEY_RESIZE; read whatever is there.
        events += readKeys()
        return (events, woken)
    }

    private func readKeys() -> [TerminalInput] {
        var events: [TerminalInput] = []
        var value: wint_t = 0
        while true {
            let result = wget_wch(ct_stdscr(), &value)
            if result == ERR {
                // A paste whose end marker never came (cut short, or split by a slow link): end it.
                if let text = pasting, ContinuousClock.now - lastPasteInput > .milliseconds(500) {
                    events.append(.paste(Self.withoutEndMarker(text)))
                    pasting = nil
                }
                break
            }
            if pasting != nil { lastPasteInput = .now }
            if result == KEY_CODE_YES {
                let code = Int32(value)
                switch code {
                case Self.pasteStart:
                    pasting = ""
                    lastPasteInput = .now
                case Self.pasteEnd:
                    if let text = pasting { events.append(.paste(text)) }
                    pasting = nil
                case KEY_RESIZE:
                    invalidate()
                    events.append(.resize(size))
                default:
                    if let key = Self.functionKey(code) {
                        if pasting == nil { events.append(.key(key)) }
                    }
                }
                continue
            }
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            if let text = pasting {
                if scalar.value == 3 {
                    // Ctrl-C always works, even inside a paste.
                    pasting = nil
                    events.append(.key(.control("C")))
                    continue
                }
                var updated = text
                updated.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
                if updated.hasSuffix("\u{1b}[201~") {
                    // The end marker arrived too slowly for ncurses to see it as one key.
                    events.append(.paste(Self.withoutEndMarker(updated)))
                    pasting = nil
                } else {
                    pasting = updated
                }
                continue
            }
            switch scalar.value {
            case 13, 10: events.append(.key(.enter))
            case 9: events.append(.key(.tab))
            case 127, 8: events.append(.key(.backspace))
            case 27: events.append(.key(.escape))
            case 26: events.append(.suspend)
            case 1...31:
                let letter = Character(Unicode.Scalar(scalar.value + 64) ?? "?")
                events.append(.key(.control(letter)))
            default:
                events.append(.key(.character(Character(scalar))))
            }
        }
        return events
    }

    static func withoutEndMarker(_ text: String) -> String {
        text.hasSuffix("\u{1b}[201~") ? String(text.dropLast(6)) : text
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        default: return nil
        }
    }

    /// Ctrl-Z: give the terminal back, stop, and redraw whole on `fg`.
    func suspend() {
        writeRaw("\u{1b}[?2004l")
        endwin()
        signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)
        // Resumed.
        refresh()
        writeRaw("\u{1b}[?2004h")
        invalidate()
    }
}
