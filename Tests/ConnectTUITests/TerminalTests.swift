import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct TerminalTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real terminal: a tmux server of its own, one window running one command.
final class TmuxTerminal {
    let socket = "connect-tui-test-\(UUID().uuidString.prefix(8))"
    let directory = NSTemporaryDirectory() + "connect-tui-tmux-\(UUID().uuidString)"

    init(width: Int = 80, height: Int = 24, command: String, environment: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let exports = environment.map { "export \($0.key)='\($0.value)'; " }.joined()
        let script = "\(exports)cd '\(directory)'; ( \(command) ) > '\(directory)/stdout' 2> '\(directory)/stderr'; echo $? > '\(directory)/status'; sleep 600"
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "sh", "-c", script], capture: false)
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a tmux command and returns what it printed. tmux's server outlives the command that starts
    /// it, so this spawns and reaps the client directly (posix_spawn + waitpid) and captures its output
    /// through a file rather than a pipe the server would keep open.
    @discardableResult
    func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let outputPath = directory + "/tmux-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? outputPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = withCleanSpawnAttributes { posix_spawnp(&pid, "tmux", &actions, $0, &cArguments, environ) }
        guard spawned == 0 else { throw TerminalTestFailure("cannot start tmux (is it installed? scripts/deps installs it): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return capture ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
    }

    func screen(escapes: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "0"])) ?? ""
    }

    /// Whether the alternate screen is on and whether the cursor is visible, as tmux sees the pane.
    func modes() -> (alternateScreen: Bool, cursorVisible: Bool) {
        let flags = ((try? tmux(["display-message", "-p", "-t", "0", "#{alternate_on} #{cursor_flag}"])) ?? "").split(separator: " ")
        return (flags.first == "1", flags.last?.hasPrefix("1") == true)
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", "0", "-l", text]) }
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "0"] + keys) }
    func resize(width: Int, height: Int) throws { try tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"]) }

    /// Waits until the screen matches; fails with the screen it saw.
    func waitFor(_ text: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen().contains(text) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("'\(text)' never appeared; the screen was:\n\(screen())", sourceLocation: sourceLocation)
    }

    /// The command's exit status, once it has exited.
    func exitStatus(timeout: Double = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory + "/status", encoding: .utf8),
                let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return status
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    func file(_ name: String) -> String { (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "" }
}

func outcome(_ json: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
}

/// SGR parameters that set a colour (30–37, 38, 39 is a reset and allowed, 40–47, 48, 90–97, 100–107).
func colourSequences(in text: String) -> [String] {
    var found: [String] = []
    var rest = Substring(text)
    while let start = rest.range(of: "\u{1b}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(where: { $0.isLetter }) else { break }
        if rest[end] == "m" {
            let codes = rest[..<end].split(separator: ";").compactMap { Int($0) }
            if codes.contains(where: { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }) {
                found.append(String(rest[..<end]))
            }
        }
        rest = rest[end...]
    }
    return found
}

@Suite("connect-tui in a real terminal (tmux)", .serialized)
struct TerminalTests {
    let command = "'\(binary.path)'"

    @Test("the invalid-credentials fix: type, submit, success; --json printed after the terminal is restored")
    func invalidCredentials() throws {
        let terminal = try TmuxTerminal(command: "\(command) --scenario invalid-credentials --speed instant --json")
        terminal.waitFor("Continue")
        try terminal.type("user-ok")
        try terminal.press("Tab")
        try terminal.type("password-ok")
        try terminal.press("Enter")
        terminal.waitFor("Connection updated")
        try terminal.press("Enter")
        #expect(terminal.exitStatus() == 0)
        let result = outcome(terminal.file("stdout"))
        #expect(result?["outcome"] as? String == "success")
        #expect(!terminal.file("stdout").contains("password-ok"))
        #expect(!terminal.screen().contains("Connection updated"))  // the widget is gone: the terminal is back
    }

    @Test("XP MFA: a wrong code, then the right one")
    func xpWrongThenRight() throws {
        let terminal = try TmuxTerminal(command: "\(command) --scenario xp-mfa --speed instant --json")
        terminal.waitFor("Token XP")
        try terminal.type("111111")
        try terminal.press("Enter")
        terminal.waitFor("The MFA parameter provided was incorrect")
        terminal.waitFor("Expires in")
        try terminal.type("123456")
        try terminal.press("Enter")
        terminal.waitFor("Connection updated")
        try terminal.press("Enter")
        #expect(terminal.exitStatus() == 0)
        #expect(outcome(terminal.file("stdout"))?["outcome"] as? String == "success")
    }

    @Test("device authorization approved on the simulated phone")
    func deviceApproved() throws {
        let terminal = try TmuxTerminal(command: "\(command) --scenario device-authorization --speed instant --json")
        terminal.waitFor("approve on the phone")
        try terminal.type("a")
        terminal.waitFor("Connection updated")
        try terminal.press("Enter")
        #expect(terminal.exitStatus() == 0)
    }

    @Test("a token for another item is refused: onError, exit 1")
    func tokenForAnotherItem() throws {
        let token = try run(["token", "--scenario", "up-to-date"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let terminal = try TmuxTerminal(command: "\(command) --item-id 9293c11c-38bc-507d-a789-c1834af2dfe2 --connect-token \(token) --json")
        terminal.waitFor("not valid for this item")
        try terminal.press("Enter")
        #expect(terminal.exitStatus() == 1)
        let error = outcome(terminal.file("stdout"))?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "TOKEN_NOT_VALID_FOR_ITEM")
    }

    @Test("a resize in the middle of the form redraws at the new size and keeps what was typed")
    func resizeKeepsText() throws {
        let terminal = try TmuxTerminal(command: "\(command) --scenario invalid-credentials --speed instant --json")
        terminal.waitFor("Continue")
        try terminal.type("user-ok")
        try terminal.press("Tab")
        try terminal.type("pass")
        try terminal.resize(width: 44, height: 14)
        terminal.waitFor("Pluggy Bank                   Login failed")
        try terminal.resize(width: 30, height: 10)
        terminal.waitFor("terminal too small")
        try terminal.resize(width: 90, height: 30)
        terminal.waitFor("Update your connection")
        #expect(terminal.screen().contains("user-ok"))
        #expect(terminal.screen().contains("••••"))
        try terminal.type("word-ok")
        try terminal.press("Enter")
        terminal.waitFor("Connection updated")
        try terminal.press("Enter")
        #expect(terminal.exitStatus() == 0)
    }

    @Test("Ctrl-C closes (exit 2) and leaves the terminal's settings as they were")
    func ctrlCRestoresTerminal() throws {
        let terminal = try TmuxTerminal(command: "stty -g > before; \(command) --scenario xp-mfa --speed instant; status=$?; stty -g > after; exit $status")
        terminal.waitFor("Token XP")
        #expect(terminal.modes().alternateScreen)
        try terminal.press("C-c")
        #expect(terminal.exitStatus() == 2)
        let before = terminal.file("before"), after = terminal.file("after")
        #expect(!before.isEmpty)
        #expect(before == after)
        #expect(!terminal.modes().alternateScreen)
        #expect(terminal.modes().cursorVisible)
    }

    @Test("a terminal that cannot move the cursor, or no TERM: one clear line, exit 64, terminal untouched", arguments: [
        ("TERM=dumb", "cannot move the cursor"), ("env -u TERM", "TERM is not set"),
    ])
    func unusableTerminalType(prefix: String, message: String) throws {
        let terminal = try TmuxTerminal(command: "stty -g > before; \(prefix) \(command) --scenario invalid-credentials; status=$?; stty -g > after; exit $status")
        #expect(terminal.exitStatus() == 64)
        let stderr = terminal.file("stderr")
        #expect(stderr.hasPrefix("connect-tui: "))
        #expect(stderr.contains(message))
        #expect(stderr.filter { $0 == "\n" }.count == 1)
        #expect(terminal.file("before") == terminal.file("after"))
        #expect(!terminal.modes().alternateScreen)
    }

    @Test("a crash (SIGSEGV) gives the terminal back, cursor visible, before the process dies of it")
    func crashRestoresTerminal() throws {
        let terminal = try TmuxTerminal(command: """
            ulimit -c 0; stty -g > before; \(command) --scenario xp-mfa --speed instant & pid=$!; \
            while [ ! -e go ]; do sleep 0.05; done; kill -SEGV $pid; wait $pid; status=$?; stty -g > after; exit $status
            """)
        terminal.waitFor("Token XP")
        #expect(terminal.modes().alternateScreen)
        FileManager.default.createFile(atPath: terminal.directory + "/go", contents: Data())
        #expect(terminal.exitStatus() == 128 + SIGSEGV)
        #expect(!terminal.file("before").isEmpty)
        #expect(terminal.file("before") == terminal.file("after"))
        #expect(!terminal.modes().alternateScreen)
        #expect(terminal.modes().cursorVisible)
    }

    @Test("Ctrl-Z gives the terminal back to the shell; fg redraws the form with what was typed")
    func suspendAndResume() throws {
        // An interactive shell with job control, as a user has (a job stopped under a non-interactive
        // shell's process group would be orphaned, and the kernel ignores Ctrl-Z there).
        let terminal = try TmuxTerminal(command: "exec bash --norc --noprofile -i < /dev/tty > /dev/tty 2>&1",
                                        environment: ["PS1": "ready> ", "HISTFILE": "/dev/null"])
        terminal.waitFor("ready>")
        try terminal.type("\(command) --scenario invalid-credentials --speed instant --json > out")
        try terminal.press("Enter")
        terminal.waitFor("Continue")
        try terminal.type("user-ok")
        terminal.waitFor("user-ok")
        try terminal.press("C-z")
        terminal.waitFor("Stopped")
        #expect(!terminal.modes().alternateScreen)
        #expect(terminal.modes().cursorVisible)
        try terminal.type("fg")
        try terminal.press("Enter")
        terminal.waitFor("Continue")
        #expect(terminal.modes().alternateScreen)
        #expect(terminal.screen().contains("user-ok"))
        try terminal.press("Tab")
        try terminal.type("password-ok")
        try terminal.press("Enter")
        terminal.waitFor("Connection updated")
        try terminal.press("Enter")
        terminal.waitFor("ready>")
        try terminal.type("echo status=$?")
        try terminal.press("Enter")
        terminal.waitFor("status=0")
        #expect(outcome(terminal.file("out"))?["outcome"] as? String == "success")
        try terminal.type("exit")
        try terminal.press("Enter")
    }

    @Test("SIGTERM restores the terminal too")
    func sigtermRestoresTerminal() throws {
        let terminal = try TmuxTerminal(command: "stty -g > before; \(command) --scenario up-to-date & pid=$!; sleep 1.5; kill -TERM $pid; wait $pid; status=$?; stty -g > after; exit $status")
        #expect(terminal.exitStatus() == 2)
        #expect(terminal.file("before") == terminal.file("after"))
    }

    @Test("NO_COLOR: no colour sequences at all; with colours, there are some")
    func noColor() throws {
        let plain = try TmuxTerminal(command: "\(command) --scenario invalid-credentials", environment: ["NO_COLOR": "1"])
        plain.waitFor("Continue")
        let escapes = plain.screen(escapes: true)
        #expect(escapes.contains("\u{1b}["))  // attributes still there
        #expect(colourSequences(in: escapes).isEmpty, "\(colourSequences(in: escapes).prefix(5))")
        try plain.press("C-c")
        #expect(plain.exitStatus() == 2)
        // `swift test` may run with NO_COLOR set: clear it for this one.
        let coloured = try TmuxTerminal(command: "env -u NO_COLOR TERM=xterm-256color \(command) --scenario invalid-credentials")
        coloured.waitFor("Continue")
        let colouredEscapes = coloured.screen(escapes: true)
        #expect(!colourSequences(in: colouredEscapes).isEmpty, "\(colouredEscapes.prefix(400).debugDescription)")
        try coloured.press("C-c")
    }

    @Test("with no item, a picker of the sandbox items; Enter opens the chosen one")
    func picker() throws {
        let terminal = try TmuxTerminal(command: "\(command) --speed instant --json")
        terminal.waitFor("choose an item to update")
        terminal.waitFor("invalid-credentials")
        try terminal.press("Enter")
        terminal.waitFor("Continue")
        try terminal.press("C-c")
        #expect(terminal.exitStatus() == 2)
        #expect(outcome(terminal.file("stdout"))?["outcome"] as? String == "closed")
    }

    @Test("bracketed paste is data: a pasted newline does not submit")
    func paste() throws {
        let terminal = try TmuxTerminal(command: "\(command) --scenario invalid-credentials --speed instant --json")
        terminal.waitFor("Continue")
        try terminal.tmux(["set-buffer", "user-ok\nmore"])
        try terminal.tmux(["paste-buffer", "-p", "-t", "0"])
        terminal.waitFor("user-okmore")
        #expect(terminal.screen().contains("Continue"))
        try terminal.press("C-c")
        #expect(terminal.exitStatus() == 2)
    }
}

extension TerminalTests {
    @Test("a paste whose end never comes: Ctrl-C still closes, and the text lands after a moment")
    func unterminatedPaste() throws {
        let closing = try TmuxTerminal(command: "'\(binary.path)' --scenario invalid-credentials --speed instant")
        closing.waitFor("Continue")
        try closing.tmux(["send-keys", "-H", "-t", "0", "1b", "5b", "32", "30", "30", "7e", "61", "62", "63"])
        try closing.press("C-c")
        #expect(closing.exitStatus() == 2)
        let landing = try TmuxTerminal(command: "'\(binary.path)' --scenario invalid-credentials --speed instant")
        landing.waitFor("Continue")
        try landing.tmux(["send-keys", "-H", "-t", "0", "1b", "5b", "32", "30", "30", "7e", "61", "62", "63"])
        landing.waitFor(" abc")
        try landing.press("C-c")
        #expect(landing.exitStatus() == 2)
    }
}

@Suite("connect-tui without a terminal")
struct NoTerminalTests {
    @Test("no controlling terminal: one clear line pointing to `connect-tui play`, exit 64")
    func noTerminal() throws {
        let result = try run(["/usr/bin/setsid", "-w", binary.path, "--scenario", "up-to-date"], direct: true)
        #expect(result.status == 64)
        #expect(result.stderr.contains("connect-tui play"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
}
