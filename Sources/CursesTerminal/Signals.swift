#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNCursesW

/// Process-wide signal plumbing. Signal handlers may only touch these few plain values: they write the
/// signal number to a pipe the event loop watches, or (for crashes) restore the terminal and die.
enum SignalRelay {
    /// Write end of the pipe the loop polls; -1 before setup.
    nonisolated(unsafe) static var writeFD: Int32 = -1
    /// Whether ncurses owns the terminal (so a crash handler must give it back).
    nonisolated(unsafe) static var terminalActive: Int32 = 0
    /// The terminal's file descriptor, for the crash handler to turn bracketed paste off.
    nonisolated(unsafe) static var ttyFD: Int32 = -1

    /// Delivered to the event loop through the pipe. SIGWINCH too: a signal may land on any thread, so
    /// the loop (blocked in poll on its own thread) must hear about resizes from the pipe.
    static let relayed: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGCONT, SIGWINCH]
    static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Installs the handlers; returns the read end of the pipe.
    static func install() -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        writeFD = fds[1]
        for signal in relayed {
            // A signal the user's shell already ignores (nohup, background jobs) stays ignored.
            var current = sigaction()
            sigaction(signal, nil, &current)
            let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1  // SIG_IGN
            if ignored, signal == SIGHUP || signal == SIGINT || signal == SIGQUIT { continue }
            set(signal, relay)
        }
        for signal in fatal { set(signal, crash, resetHand: true) }
        return fds[0]
    }

    static func uninstall() {
        for signal in relayed + fatal { Glibc.signal(signal, SIG_DFL) }
    }

    private static func set(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void, resetHand: Bool = false) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = resetHand ? Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND)) : 0
        sigaction(signal, &action, nil)
    }
}

private func relay(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(SignalRelay.writeFD, &byte, 1)
}

/// A crash: give the terminal back (cursor visible, modes restored), then die of the same signal.
private func crash(_ signal: Int32) {
    if SignalRelay.terminalActive != 0 {
        SignalRelay.terminalActive = 0
        if SignalRelay.ttyFD >= 0 {
            let off: [UInt8] = Array("\u{1b}[?2004l".utf8)
            _ = off.withUnsafeBytes { write(SignalRelay.ttyFD, $0.baseAddress, $0.count) }
        }
        endwin()
    }
    raise(signal)
}
