import ArgumentParser
import Foundation
import Pluggy
import PluggySandbox

/// `connect-tui`: Pluggy Connect's update mode in a terminal.
@main
struct ConnectTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect-tui",
        abstract: "Pluggy Connect's update mode in a terminal, over an offline re-creation of Pluggy's sandbox.",
        discussion: """
            Exit status: 0 success, 1 an error (unknown item, rejected token, failed update), \
            2 closed by the user, 64 a bad command line or an unreadable scenario or tape file.
            """,
        subcommands: [Update.self, Scenarios.self, Token.self, Play.self, Serve.self],
        defaultSubcommand: Update.self
    )
}

/// Options every command that loads the sandbox shares.
struct CatalogueOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A scenario file (JSON, same format as the built-in catalogue) to use instead of the built-in scenarios.",
        valueName: "path"))
    var scenarioFile: String?

    /// The catalogue to use, or a usage error (exit 64) naming the file, the JSON path and the problem.
    func catalogue(now: Date) throws -> Catalogue {
        guard let scenarioFile else { return Catalogue.builtIn(now: now) }
        do {
            return try Catalogue.load(path: scenarioFile, now: now)
        } catch {
            throw UsageFailure(message: error.description)
        }
    }
}

/// A failure of the command line or of a file it names: one line on stderr, exit 64.
struct UsageFailure: Error {
    var message: String
}

/// A failure of the operation itself (unknown item, rejected token): one line on stderr, exit 1.
struct OperationFailure: Error {
    var message: String
}

extension ParsableCommand {
    /// Runs `body`, turning our failures into one clear line on stderr and the contract's exit status.
    static func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as UsageFailure {
            FileHandle.standardError.write(Data("connect-tui: \(failure.message)\n".utf8))
            throw ExitCode(64)
        } catch let failure as OperationFailure {
            FileHandle.standardError.write(Data("connect-tui: \(failure.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
