#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ConnectWidget
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TapePlayer

/// What needs the network stack: Pluggy's live API (`--backend pluggy`, AsyncHTTPClient) and `serve`
/// (Hummingbird). It lives in ConnectTUINet, linked only into `connect-tui-net`, so the program people run
/// (`connect-tui`) carries no network stack and starts in a few milliseconds with a small footprint. Asked
/// for one of these, `connect-tui` execs `connect-tui-net` with the same arguments (as `git` runs
/// `git-foo`); both are built together and installed side by side.
package protocol NetworkCommands: Sendable {
    /// `update --backend pluggy`: the widget in the terminal against Pluggy's API. Returns the exit status.
    func update(_ command: Update, environment: [String: String]) async throws -> Int32
    /// `token --backend pluggy`: POST /auth, then POST /connect_token {itemId}.
    func connectToken(itemId: String, environment: [String: String]) async throws -> String
    /// `play --backend pluggy`: a runtime bound to the item's token (given or minted) and whether the
    /// simulator controls are there.
    func playRuntime(itemId: String, connectToken: String?, environment: [String: String]) async throws -> (WidgetRuntime, simulator: Bool)
    /// `serve`: runs until stopped.
    func serve(_ command: Serve) async throws
}

package enum Network {
    /// Bound by `connect-tui-net` around the whole command (`ConnectTUI.start(network:)`); nil in `connect-tui`.
    @TaskLocal package static var commands: (any NetworkCommands)?

    /// The companion's file name, next to `connect-tui`.
    package static let companion = "connect-tui-net"

    /// This process's network commands; in `connect-tui`, the companion takes over the process instead
    /// (same arguments, same terminal, same exit status), so this returns only when it is missing.
    static func commands(for feature: String) throws -> any NetworkCommands {
        if let commands { return commands }
        guard let path = companionPath() else {
            throw OperationFailure(message: "\(feature) is in \(companion), the network half of connect-tui, which must sit beside it, and where connect-tui is cannot be found (run it by its path)")
        }
        // What this process buffered goes out first; the companion starts with no signal blocked (this runs
        // on a task-pool thread, whose mask blocks SIGINT, SIGTERM, SIGTSTP… and exec would pass it on).
        fflush(nil)
        var none = sigset_t()
        sigemptyset(&none)
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        execv(path, CommandLine.unsafeArgv)
        let reason = String(cString: strerror(errno))
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        throw OperationFailure(message: "\(feature) is in \(companion), the network half of connect-tui, which must sit beside it: \(path): \(reason) (build it with `swift build --product \(companion)`)")
    }

    /// `connect-tui-net` in the folder of the running executable, or nil when that cannot be known.
    static func companionPath() -> String? {
        guard let executable = executablePath(), let slash = executable.lastIndex(of: "/") else { return nil }
        return "\(executable[..<slash])/\(companion)"
    }

    /// The running executable: /proc/self/exe, else argv[0] (as given when it has a slash, else found on
    /// PATH). Never a guess in the current folder.
    static func executablePath() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        if count > 0 { return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        guard let first = CommandLine.arguments.first, !first.isEmpty else { return nil }
        if first.contains("/") { return first }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where folder.hasPrefix("/") {
            let candidate = "\(folder)/\(first)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
