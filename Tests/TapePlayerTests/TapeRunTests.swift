import ConnectWidget
import Foundation
import Pluggy
import PluggySandbox
import TapePlayer
import TerminalCanvas
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func tapes(in folder: String) -> [String] {
    let directory = packageRoot.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".tape") }.sorted().map { folder + "/" + $0 }
}

/// Plays a tape from the repository in-process, as `connect-tui play` would.
func play(_ path: String, options: PlayOptions = PlayOptions()) async throws -> (Tape, PlayResult) {
    let text = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
    let tape = try TapeParser.parse(text, source: path)
    let clock = VirtualClock()
    let runner = try TapeRunner(tape: tape, catalogue: Catalogue.builtIn(now: clock.now()), options: options, clock: clock)
    return (tape, await runner.run())
}

/// The `# expect: <outcome> <status>` line of a tape.
func expectation(_ path: String) throws -> (String, Int32) {
    let text = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("# expect:") }) else {
        throw TapeTestFailure("\(path) has no '# expect: <outcome> <status>' line")
    }
    let words = line.split(separator: " ")
    guard words.count == 4, let status = Int32(words[3]) else { throw TapeTestFailure("\(path): bad expect line") }
    return (String(words[2]), status)
}

struct TapeTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite("Scenario and flow tapes")
struct TapeRunTests {
    @Test("every catalogue scenario has a tape")
    func everyScenarioHasATape() {
        let names = Set(tapes(in: "tapes/scenarios").map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
        let scenarios = Set(Catalogue.builtIn(now: VirtualClock.defaultStart).scenarios.map(\.name))
        #expect(scenarios.subtracting(names).isEmpty, "missing tapes: \(scenarios.subtracting(names).sorted())")
    }

    @Test("each tape ends in its documented outcome and exit status, leaking no secret",
          arguments: tapes(in: "tapes/scenarios") + tapes(in: "tapes/flows"))
    func tapeOutcome(path: String) async throws {
        let (outcome, status) = try expectation(path)
        let (_, result) = try await play(path)
        #expect(result.failure == nil, "\(result.failure?.description ?? "")")
        #expect(result.outcome.outcome.rawValue == outcome)
        #expect(result.exitStatus == status)
        #expect(result.events.first?.event == "OPEN")
        #expect(result.events.last?.event == "CLOSE")
        let exported = try PluggyJSON.string(result.events) + PluggyJSON.string(result.outcome) + result.screen.text
        for secret in ["password-ok", "hunter2", "111111", "passwrod-ok"] {
            #expect(!exported.contains(secret), "\(secret) leaked in \(path)")
        }
    }

    @Test("a Wait that never matches fails with the line and the screen it saw; exit 1")
    func waitTimesOut() async throws {
        let tape = try TapeParser.parse("Set Scenario up-to-date\nWait@2s /never shown/\n", source: "t.tape")
        let runner = try TapeRunner(tape: tape, catalogue: Catalogue.builtIn(now: VirtualClock.defaultStart), options: PlayOptions())
        let result = await runner.run()
        let failure = try #require(result.failure)
        #expect(failure.line == 2)
        #expect(failure.message.contains("timed out after 2.000s"))
        #expect(failure.screen.contains("Pluggy Bank"))
        #expect(result.exitStatus == 1)
    }

    @Test("a token for another item is refused on opening: onError, exit 1")
    func tokenForAnotherItem() async throws {
        let clock = VirtualClock()
        let catalogue = Catalogue.builtIn(now: clock.now())
        let other = try #require(catalogue.scenario(named: "up-to-date")).item.id
        let token = ConnectTokenIssuer.standard(environment: [:]).mint(itemId: other, now: clock.now())
        let tape = try TapeParser.parse("Wait /not valid for this item/\nScreenshot x.txt\n", source: "t.tape")
        let directory = NSTemporaryDirectory() + "tape-\(UUID().uuidString)"
        let runner = try TapeRunner(
            tape: tape, catalogue: catalogue,
            options: PlayOptions(scenario: "invalid-credentials", connectToken: token, baseDirectory: directory), clock: clock)
        let result = await runner.run()
        #expect(result.failure == nil)
        #expect(result.outcome.outcome == .error)
        #expect(result.outcome.error?.code == "TOKEN_NOT_VALID_FOR_ITEM")
        #expect(result.exitStatus == 1)
        #expect(result.events.map(\.event) == ["OPEN", "ERROR", "CLOSE"])
        let shot = try String(contentsOfFile: directory + "/x.txt", encoding: .utf8)
        #expect(shot.contains("can't be opened"))
    }

    @Test("tampered, malformed and expired tokens each get their own refusal")
    func badTokens() async throws {
        let clock = VirtualClock()
        let catalogue = Catalogue.builtIn(now: clock.now())
        let id = try #require(catalogue.scenario(named: "up-to-date")).item.id
        let issuer = ConnectTokenIssuer.standard(environment: [:])
        let good = issuer.mint(itemId: id, now: clock.now())
        let cases = [
            ("junk", "TOKEN_MALFORMED"),
            (String(good.dropLast(3)) + "abc", "TOKEN_INVALID_SIGNATURE"),
            (issuer.mint(itemId: id, now: clock.now().addingTimeInterval(-3600)), "TOKEN_EXPIRED"),
        ]
        for (token, code) in cases {
            let tape = try TapeParser.parse("Wait /can't be opened/\n", source: "t.tape")
            let runner = try TapeRunner(tape: tape, catalogue: catalogue, options: PlayOptions(itemId: id, connectToken: token), clock: VirtualClock())
            let result = await runner.run()
            #expect(result.outcome.error?.code == code)
            #expect(result.exitStatus == 1)
        }
    }

    @Test("an unknown scenario or no item at all is a setup error")
    func setupErrors() throws {
        let tape = try TapeParser.parse("Enter\n", source: "t.tape")
        let catalogue = Catalogue.builtIn(now: VirtualClock.defaultStart)
        #expect(throws: PlaySetupError.self) { try TapeRunner(tape: tape, catalogue: catalogue, options: PlayOptions()) }
        #expect(throws: PlaySetupError.self) { try TapeRunner(tape: tape, catalogue: catalogue, options: PlayOptions(scenario: "nope")) }
    }

    @Test("recordings and text outputs are written, with no secret in them")
    func outputs() async throws {
        let directory = NSTemporaryDirectory() + "tape-\(UUID().uuidString)"
        let text = """
            Output run.cast
            Output frames.txt
            Set Scenario invalid-credentials
            Wait /Continue/
            Type "user-ok"
            Tab
            Type "password-ok"
            Ctrl+R
            Screenshot revealed.svg
            Screenshot revealed.txt
            Enter
            Wait /Connection updated/
            """
        let tape = try TapeParser.parse(text, source: "t.tape")
        let runner = try TapeRunner(tape: tape, catalogue: Catalogue.builtIn(now: VirtualClock.defaultStart),
                                    options: PlayOptions(baseDirectory: directory))
        let result = await runner.run()
        #expect(result.failure == nil)
        for name in ["run.cast", "frames.txt", "revealed.svg", "revealed.txt"] {
            let contents = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(!contents.contains("password-ok"), "\(name)")
            #expect(!contents.isEmpty)
        }
        let cast = try String(contentsOfFile: directory + "/run.cast", encoding: .utf8).split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(cast[0].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 2)
        #expect(header?["width"] as? Int == 80)
        #expect(cast.count > 3)
        let svg = try Data(contentsOf: URL(fileURLWithPath: directory + "/revealed.svg"))
        #expect(XMLParser(data: svg).parse())
    }
}
