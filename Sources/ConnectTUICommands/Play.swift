import ArgumentParser
import ConnectWidget
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggySandbox
import TapePlayer

/// `connect-tui play TAPE`: the widget on a virtual screen, driven by a tape, in virtual time.
struct Play: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a .tape script headlessly against the offline sandbox (virtual screen, virtual time).",
        discussion: """
            Tapes use a subset of VHS's language: Type, Enter, Tab, Backspace, Up/Down/Left/Right, Escape, Space, \
            Ctrl+<key>, Sleep, Wait[+Screen|+Line] /regex/, Screenshot file.svg|.txt, Output file.cast|.txt, \
            Set Width|Height|Language|Speed|Scenario, Require, Paste "text". Width and Height are in cells.
            Exit status: the widget's (0 success, 1 error, 2 closed), 1 when a Wait times out, 64 for an invalid tape.
            """)

    @Argument(help: ArgumentHelp("The tape to play.", valueName: "tape"))
    var tape: String

    @Option(name: .long, help: ArgumentHelp("Screen width in cells (default 80).", valueName: "n"))
    var width: Int?

    @Option(name: .long, help: ArgumentHelp("Screen height in cells (default 24).", valueName: "n"))
    var height: Int?

    @OptionGroup var flow: FlowOptions

    func validate() throws {
        if let width, !(1...1000).contains(width) { throw ValidationError("--width must be 1 to 1000 cells.") }
        if let height, !(1...500).contains(height) { throw ValidationError("--height must be 1 to 500 cells.") }
    }

    func run() async throws {
        var exitStatus: Int32 = 0
        try await Self.reportingFailures {
            // First, before the tape is read: in connect-tui this hands the process over.
            let network = flow.backend == .pluggy ? try Network.commands(for: "play --backend pluggy") : nil
            let text: String
            do {
                text = try TextFile.read(tape)
            } catch {
                throw UsageFailure(message: "\(tape): cannot read the tape (\(error))")
            }
            let parsed: Tape
            do {
                parsed = try TapeParser.parse(text, source: tape)
            } catch let error as TapeError {
                throw UsageFailure(message: error.description)
            }
            for program in parsed.requirements where !Self.onPath(program) {
                throw UsageFailure(message: "\(tape): Require \(program): not found on PATH")
            }
            try flow.checkOutputs()
            let clock = VirtualClock()
            let catalogue = try flow.catalogueOptions.catalogue(now: clock.now())
            let options = PlayOptions(
                width: width, height: height, language: flow.language, speed: flow.speed, scenario: flow.scenario,
                itemId: flow.itemId, connectToken: flow.connectToken, colors: flow.colors, recordPath: flow.record,
                environment: ProcessInfo.processInfo.environment)
            let runner: TapeRunner
            do {
                if let network {
                    // Real time against Pluggy's API or `connect-tui serve` (PLUGGY_API_URL).
                    let environment = ProcessInfo.processInfo.environment
                    let itemId = try TapeRunner.itemId(tape: parsed, options: options, catalogue: catalogue)
                    let (runtime, simulator) = try await network.playRuntime(
                        itemId: itemId, connectToken: flow.connectToken ?? parsed.settings.connectToken, environment: environment)
                    runner = TapeRunner(tape: parsed, itemId: itemId, runtime: runtime, options: options, simulator: simulator)
                } else {
                    runner = try TapeRunner(tape: parsed, catalogue: catalogue, options: options, clock: clock)
                }
            } catch let error as PlaySetupError {
                throw UsageFailure(message: error.description)
            }
            let result = await runner.run()
            if let failure = result.failure {
                TextFile.printError("connect-tui: \(failure.description)")
            }
            try flow.report(events: result.events, outcome: result.outcome)
            exitStatus = result.exitStatus
        }
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }

    static func onPath(_ program: String) -> Bool {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }
}

