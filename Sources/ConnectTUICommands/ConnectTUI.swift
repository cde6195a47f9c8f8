import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggySandbox
import TapePlayer

/// `connect-tui`: Pluggy Connect's update mode in a terminal.
package struct ConnectTUI: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "connect-tui",
        abstract: "Pluggy Connect's update mode in a terminal, over an offline re-creation of Pluggy's sandbox.",
        discussion: """
            Exit status: 0 success, 1 an error (unknown item, rejected token, failed update), \
            2 closed by the user, 64 a bad command line or an unreadable scenario or tape file.
            """,
        subcommands: [Update.self, Scenarios.self, Token.self, Play.self, Serve.self],
        defaultSubcommand: Update.self
    )

    package init() {}

    /// The entry point of both executables (`@main` cannot sit in a library). Parses the arguments, runs
    /// the command, exits with its status.
    /// - Parameter network: the network half, in `connect-tui-net`; nil in `connect-tui`, which execs the
    ///   companion for what needs it.
    package static func start(network: (any NetworkCommands)? = nil) async {
        let catalogue = BuiltInCatalogue.wanted(by: Array(CommandLine.arguments.dropFirst()))
            ? Task.detached(priority: .high) { Catalogue.builtIn(now: Date()) } : nil
        await Network.$commands.withValue(network) {
            await BuiltInCatalogue.$prefetched.withValue(catalogue) {
                let root: any AsyncParsableCommand.Type = ConnectTUI.self
                await root.main()
            }
        }
    }
}

/// Options every command that loads the sandbox shares.
package struct CatalogueOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A scenario file (JSON, same format as the built-in catalogue) to use instead of the built-in scenarios.",
        valueName: "path"))
    package var scenarioFile: String?

    package init() {}

    /// The catalogue for a run in real time: the built-in one decoded while the arguments were parsed, or
    /// the scenario file's.
    package func catalogueNow() async throws -> Catalogue {
        if scenarioFile == nil { return await BuiltInCatalogue.decoded() }
        return try catalogue(now: Date())
    }

    /// The catalogue to use, or a usage error (exit 64) naming the file, the JSON path and the problem.
    package func catalogue(now: Date) throws -> Catalogue {
        guard let scenarioFile else { return Catalogue.builtIn(now: now) }
        do {
            return try Catalogue.load(path: scenarioFile, now: now)
        } catch {
            throw UsageFailure(message: error.description)
        }
    }
}

extension Catalogue {
    /// The scenario called `name`, or a usage error (exit 64) saying where the names are.
    package func requireScenario(_ name: String) throws -> Scenario {
        guard let scenario = scenario(named: name) else {
            throw UsageFailure(message: "no scenario named '\(name)'; `connect-tui scenarios` lists them")
        }
        return scenario
    }
}

/// A failure of the command line or of a file it names: one line on stderr, exit 64.
package struct UsageFailure: Error {
    package var message: String

    package init(message: String) { self.message = message }
}

/// A failure of the operation itself (unknown item, rejected token): one line on stderr, exit 1.
package struct OperationFailure: Error {
    package var message: String

    package init(message: String) { self.message = message }
}

extension ParsableCommand {
    /// Runs `body`, turning our failures into one clear line on stderr and the contract's exit status.
    package static func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as UsageFailure {
            TextFile.printError("connect-tui: \(failure.message)")
            throw ExitCode(64)
        } catch let failure as OperationFailure {
            TextFile.printError("connect-tui: \(failure.message)")
            throw ExitCode(1)
        }
    }
}

/// The built-in catalogue takes about 3 ms to decode, about as long as parsing the arguments: both
/// executables start decoding it on another thread first thing when the command line looks like it
/// will need it, and the commands that run in real time (all but `play`, whose clock is virtual) take
/// it from there (`scripts/bench-terminal`: about 1 ms less from start to the first full frame).
enum BuiltInCatalogue {
    /// The decode started by `ConnectTUI.start`, for the command it runs.
    @TaskLocal static var prefetched: Task<Catalogue, Never>?

    /// Whether the command line about to be parsed runs in real time on the built-in catalogue: a cheap
    /// look ahead of the parser (not `play`, whose clock is virtual, nor a scenario file, nor help). A wrong
    /// guess costs only the overlap or a spare decode on another core.
    static func wanted(by arguments: [String]) -> Bool {
        let help: Set<String> = ["-h", "--help", "help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        if arguments.contains(where: { $0 == "--scenario-file" || $0.hasPrefix("--scenario-file=") || help.contains($0) }) {
            return false
        }
        return arguments.first != "play"
    }

    /// The prefetched catalogue (its relative dates are a few milliseconds older than now), or a new one.
    static func decoded() async -> Catalogue {
        if let prefetched { return await prefetched.value }
        return Catalogue.builtIn(now: Date())
    }
}
