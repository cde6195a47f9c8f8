import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One `connect-tui serve` for the whole suite, on a free loopback port.
actor SharedServer {
    static let shared = SharedServer()
    private var url: String?
    private var pid: pid_t = 0

    func start() throws -> String {
        if let url { return url }
        let log = NSTemporaryDirectory() + "serve-\(UUID().uuidString).log"
        // `timeout` ends the server even if this test process dies without stopping it.
        pid = try spawnInBackground(["/usr/bin/timeout", "300", binary.path, "serve", "--port", "0", "--speed", "instant"], stderr: log)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "Pluggy sandbox on "), let end = text[range.upperBound...].firstIndex(of: " ") {
                let found = String(text[range.upperBound..<end])
                url = found
                return found
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TerminalTestFailure("connect-tui serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        if pid > 0 { kill(pid, SIGTERM) }
    }
}

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every catalogue tape (in real time: mfa-timeout's wait takes its 30 seconds; they run in parallel).
private let liveTapes: [String] = {
    let directory = root.appendingPathComponent("tapes/scenarios").path
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".tape") }.sorted()
}()

@Suite("the same tapes against `connect-tui serve` with --backend pluggy")
struct LiveTapeTests {
    static func eventNames(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["event"] as? String
        }
    }

    @Test("--backend pluggy without a token or credentials says which variables to set; exit 64")
    func missingCredentials() throws {
        let result = try run(["token", "--backend", "pluggy", "--item-id", "abc"], environment: ["PLUGGY_CLIENT_ID": "", "PLUGGY_CLIENT_SECRET": ""])
        #expect(result.status == 64)
        #expect(result.stderr.contains("PLUGGY_CLIENT_ID"))
        #expect(result.stderr.contains("PLUGGY_CLIENT_SECRET"))
    }

    @Test("each catalogue tape ends as documented through the live client and serve", arguments: liveTapes)
    func liveTape(name: String) async throws {
        let url = try await SharedServer.shared.start()
        let path = root.appendingPathComponent("tapes/scenarios/" + name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = try #require(text.split(separator: "\n").first { $0.hasPrefix("# expect:") }?.split(separator: " "))
        let liveEvents = NSTemporaryDirectory() + "live-\(UUID().uuidString).jsonl"
        let offlineEvents = NSTemporaryDirectory() + "offline-\(UUID().uuidString).jsonl"
        let result = try run(["play", path, "--backend", "pluggy", "--json", "--events", liveEvents], environment: [
            "PLUGGY_API_URL": url, "PLUGGY_CLIENT_ID": "connect-tui-sandbox", "PLUGGY_CLIENT_SECRET": "connect-tui-sandbox-secret",
        ])
        #expect(result.status == Int32(expected[3]), "\(result.stderr)")
        let outcome = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(outcome?["outcome"] as? String == String(expected[2]))
        #expect(!result.stdout.contains("password-ok"))
        // The same events, in the same order, as with the in-process sandbox.
        let offline = try run(["play", path, "--events", offlineEvents])
        #expect(offline.status == result.status)
        #expect(try Self.eventNames(liveEvents) == Self.eventNames(offlineEvents))
    }
}
