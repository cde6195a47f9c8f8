import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `connect-tui` binary, beside the test bundle in the build folder.
let binary: URL = {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [here, here.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent("connect-tui")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/connect-tui")
}()

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs connect-tui with `arguments` and no terminal input, as CI would (`direct`: run `arguments[0]`).
/// Spawned and reaped directly (posix_spawn + waitpid), output through files.
func run(_ arguments: [String], environment: [String: String] = [:], direct: Bool = false) throws -> Run {
    let directory = NSTemporaryDirectory() + "connect-tui-run-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, directory + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, directory + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = direct ? arguments : [binary.path] + arguments
    var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    var cEnvironment: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in cEnvironment { free(pointer) } }
    var pid: pid_t = 0
    let spawned = withCleanSpawnAttributes { posix_spawn(&pid, argv[0], &actions, $0, &cArguments, &cEnvironment) }
    guard spawned == 0 else { throw TerminalTestFailure("cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Run(status: exit,
               stdout: (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? "",
               stderr: (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? "")
}

func temporaryFile(_ contents: String) throws -> String {
    let path = NSTemporaryDirectory() + "connect-tui-test-\(UUID().uuidString).json"
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("connect-tui scenarios")
struct ScenariosCommandTests {
    @Test("lists every scenario with its institution, status and what to type")
    func table() throws {
        let result = try run(["scenarios"])
        #expect(result.status == 0)
        for name in ["invalid-credentials", "password-changed", "xp-mfa", "bradesco-mfa", "easynvest-mfa", "rico-mfa",
                     "mfa-timeout", "device-authorization", "account-locked", "site-not-available", "partial-success",
                     "up-to-date", "open-finance"] {
            #expect(result.stdout.contains(name), "\(name)")
        }
        #expect(result.stdout.contains("LOGIN_ERROR / INVALID_CREDENTIALS"))
        #expect(result.stdout.contains("9293c11c-38bc-507d-a789-c1834af2dfe2"))
        #expect(result.stdout.contains("XP Investimentos"))
        #expect(result.stderr.isEmpty)
    }

    @Test("--json is one object listing the scenarios, without stored credentials")
    func json() throws {
        let result = try run(["scenarios", "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let scenarios = try #require(object?["scenarios"] as? [[String: Any]])
        #expect(scenarios.count >= 13)
        let first = try #require(scenarios.first)
        #expect(first["name"] as? String == "invalid-credentials")
        #expect(first["status"] as? String == "LOGIN_ERROR")
        #expect(first["executionStatus"] as? String == "INVALID_CREDENTIALS")
        #expect(first["updateStartsWith"] as? String == "form")
        #expect((first["connector"] as? [String: Any])?["name"] as? String == "Pluggy Bank")
        #expect(!result.stdout.contains("passwrod-ok"))  // the stored (wrong) password of that item
    }

    @Test("a scenario file replaces the built-in scenarios")
    func scenarioFile() throws {
        let path = try temporaryFile("""
            {"scenarios":[{"name":"mine","description":"d","instructions":"type it","connectorId":208,
              "item":{"id":"abc-123","status":"OUTDATED","executionStatus":"USER_INPUT_TIMEOUT"}}]}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run(["scenarios", "--scenario-file", path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("mine"))
        #expect(result.stdout.contains("XP Investimentos"))
        #expect(!result.stdout.contains("invalid-credentials"))
    }

    @Test("a malformed scenario file: one line naming the file, the place and the problem; exit 64")
    func malformed() throws {
        let path = try temporaryFile(#"{"scenarios":[{"name":"x","description":"d","instructions":"i","connectorId":2,"item":{"id":"a","status":5}}]}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run(["scenarios", "--scenario-file", path])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "connect-tui: \(path): $.scenarios[0].item.status: expected a string\n")
        let missing = try run(["scenarios", "--scenario-file", "/no/such/file.json"])
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("connect-tui: /no/such/file.json: "))
        #expect(missing.stderr.filter { $0 == "\n" }.count == 1)
    }
}

@Suite("connect-tui token")
struct TokenCommandTests {
    @Test("prints a connect token for the item, or Pluggy's body with --json")
    func mint() throws {
        let result = try run(["token", "--item-id", "9293c11c-38bc-507d-a789-c1834af2dfe2"])
        #expect(result.status == 0)
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.split(separator: ".").count == 3)
        let payload = String(token.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = payload + String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let claims = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: padded))) as? [String: Any]
        #expect(claims?["itemId"] as? String == "9293c11c-38bc-507d-a789-c1834af2dfe2")
        let iat = try #require(claims?["iat"] as? Int)
        let exp = try #require(claims?["exp"] as? Int)
        #expect(exp - iat == 1800)
        let json = try run(["token", "--scenario", "xp-mfa", "--expires-in", "60", "--json"])
        #expect(json.status == 0)
        let body = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String]
        #expect(body?["accessToken"]?.split(separator: ".").count == 3)
    }

    @Test("an unknown item exits 1 with one clear line")
    func unknownItem() throws {
        let result = try run(["token", "--item-id", "nope"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("connect-tui: Item nope was not found."))
        // An unknown scenario name is a bad command line (64), for every command.
        let scenario = try run(["token", "--scenario", "nope"])
        #expect(scenario.status == 64)
        #expect(scenario.stderr.contains("no scenario named 'nope'"))
    }

    @Test("bad command lines exit 64", arguments: [
        ["token"], ["token", "--item-id", "a", "--scenario", "b"], ["token", "--item-id", "a", "--expires-in", "0"],
        ["token", "--item-id", "a", "--expires-in", "soon"], ["frobnicate"],
    ])
    func badCommandLine(arguments: [String]) throws {
        let result = try run(arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test("CONNECT_TUI_TOKEN_SECRET changes the signature")
    func secret() throws {
        let a = try run(["token", "--scenario", "xp-mfa"], environment: ["CONNECT_TUI_TOKEN_SECRET": "one"])
        let b = try run(["token", "--scenario", "xp-mfa"], environment: ["CONNECT_TUI_TOKEN_SECRET": "two"])
        #expect(a.stdout.split(separator: ".").last != b.stdout.split(separator: ".").last)
    }
}

@Suite("connect-tui play")
struct PlayCommandTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a repository tape plays to its outcome; --json and --events are written")
    func playsATape() throws {
        let events = NSTemporaryDirectory() + "events-\(UUID().uuidString).jsonl"
        let result = try run(["play", root.appendingPathComponent("tapes/scenarios/xp-mfa.tape").path, "--json", "--events", events])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["outcome"] as? String == "success")
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        let names = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["event"] as? String }
        #expect(names.first == "OPEN")
        #expect(names.contains("SUBMITTED_MFA"))
        #expect(names.contains("LOGIN_MFA_SUCCESS"))
        #expect(names.last == "CLOSE")
    }

    @Test("an invalid tape names the file, the line and the problem; exit 64")
    func invalidTape() throws {
        let path = try temporaryFile("Set Scenario xp-mfa\nTyp \"hello\"\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run(["play", path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("\(path):2:"))
        #expect(result.stderr.contains("Type"))
    }

    @Test("a Wait that times out prints the screen it saw; exit 1")
    func failedWait() throws {
        let path = try temporaryFile("Set Scenario up-to-date\nWait@1s /never/\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run(["play", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path):2:"))
        #expect(result.stderr.contains("Pluggy Bank"))
    }

    @Test("a tape without an item, or an unknown scenario, is a usage error")
    func noItem() throws {
        let path = try temporaryFile("Enter\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try run(["play", path]).status == 64)
        #expect(try run(["play", path, "--scenario", "nope"]).status == 64)
        #expect(try run(["play", "/no/such.tape"]).status == 64)
    }
}

@Suite("connect-tui and its network half, connect-tui-net")
struct CompanionTests {
    /// A folder holding a copy of connect-tui alone. Written through a close-on-exec descriptor: a process
    /// spawned meanwhile by a parallel test must not inherit it, or running the copy fails with ETXTBSY.
    func lonelyCopy() throws -> String {
        let created = NSTemporaryDirectory() + "connect-tui-alone-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: created, withIntermediateDirectories: true)
        // As /proc/self/exe will name it (TMPDIR may be a symlink).
        let folder = URL(fileURLWithPath: created).resolvingSymlinksInPath().path
        let bytes = try Data(contentsOf: binary)
        let fd = open(folder + "/connect-tui", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw TerminalTestFailure("cannot copy connect-tui to \(folder)") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw TerminalTestFailure("cannot copy connect-tui to \(folder)") }
        return folder
    }

    @Test("without connect-tui-net beside it, serve and --backend pluggy say what is missing in one line (exit 1)", arguments: [
        ["serve", "--port", "0"], ["token", "--backend", "pluggy", "--item-id", "abc"],
        ["--backend", "pluggy", "--item-id", "abc"],
    ])
    func missingCompanion(arguments: [String]) throws {
        let folder = try lonelyCopy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try run([folder + "/connect-tui"] + arguments, direct: true)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("connect-tui-net"))
        #expect(result.stderr.contains("\(folder)/connect-tui-net: No such file or directory"))
        #expect(result.stderr.contains("swift build --product connect-tui-net"))
    }

    @Test("the sandbox commands need no companion")
    func sandboxAlone() throws {
        let folder = try lonelyCopy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenarios = try run([folder + "/connect-tui", "scenarios"], direct: true)
        #expect(scenarios.status == 0)
        #expect(scenarios.stdout.contains("invalid-credentials"))
        let token = try run([folder + "/connect-tui", "token", "--scenario", "xp-mfa"], direct: true)
        #expect(token.status == 0)
        #expect(token.stdout.split(separator: ".").count == 3)
    }

    @Test("the companion takes over with the same arguments and exit status")
    func execsCompanion() throws {
        // Through connect-tui: the usage error comes from connect-tui-net's Pluggy client setup.
        let result = try run(["token", "--backend", "pluggy", "--item-id", "abc"], environment: ["PLUGGY_CLIENT_ID": "", "PLUGGY_CLIENT_SECRET": ""])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("connect-tui: minting a connect token needs Pluggy API credentials"))
        let companion = binary.deletingLastPathComponent().appendingPathComponent("connect-tui-net").path
        let direct = try run([companion, "scenarios"], direct: true)
        #expect(direct.status == 0)
        #expect(direct.stdout.contains("invalid-credentials"))
    }
}

/// Spawn attributes for the programs the tests start: no blocked signals, default dispositions. Test
/// threads (Swift concurrency's) block most signals and posix_spawn passes the mask on, so a tmux server
/// started with it never sees SIGCHLD and ignores `kill-server`, and a program under test would not
/// behave as it does from a shell.
func withCleanSpawnAttributes<T>(_ body: (UnsafePointer<posix_spawnattr_t>) throws -> T) rethrows -> T {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var all = sigset_t()
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return try withUnsafePointer(to: &attributes) { try body($0) }
}

extension CompanionTests {
    @Test("`connect-tui serve` (run by the companion) stops cleanly on Ctrl-C and SIGTERM", arguments: [SIGINT, SIGTERM])
    func serveStops(signal: Int32) throws {
        let log = NSTemporaryDirectory() + "serve-stop-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let pid = try spawnInBackground([binary.path, "serve", "--port", "0", "--speed", "instant"], stderr: log)
        var started = false
        for _ in 0..<400 where !started {
            started = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("Pluggy sandbox on")
            if !started { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(started, "serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        kill(pid, signal)
        var status: Int32 = 0
        var reaped = false
        for _ in 0..<400 where !reaped {
            reaped = waitpid(pid, &status, WNOHANG) == pid
            if !reaped { Thread.sleep(forTimeInterval: 0.05) }
        }
        if !reaped {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        #expect(reaped, "serve ignored signal \(signal)")
        #expect((status & 0x7f) == 0 && (status >> 8) & 0xff == 0, "status \(status)")
    }
}

/// Starts `argv` (no input, no stdout, stderr to a file) without waiting for it; its pid.
func spawnInBackground(_ argv: [String], stderr: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var pid: pid_t = 0
    let spawned = withCleanSpawnAttributes { posix_spawn(&pid, argv[0], &actions, $0, &cArguments, environ) }
    guard spawned == 0 else { throw TerminalTestFailure("cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
    return pid
}
