import ArgumentParser
import ConnectWidget
import CursesTerminal
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggySandbox
import TapePlayer

/// Which implementation of Pluggy the widget talks to.
package enum BackendKind: String, ExpressibleByArgument, CaseIterable {
    /// The offline re-creation of Pluggy's sandbox, in this process.
    case sandbox
    /// Pluggy's REST API at PLUGGY_API_URL (default https://api.pluggy.ai), or `connect-tui serve`.
    case pluggy
}

/// The update flow's options, shared by `update` and `play`.
package struct FlowOptions: ParsableArguments {
    package init() {}

    @Option(name: .long, help: ArgumentHelp("A connect token for the item (verified before anything else).", valueName: "token"))
    package var connectToken: String?

    @Option(name: .long, help: ArgumentHelp("The item to update.", valueName: "id"))
    package var itemId: String?

    @Option(name: .long, help: ArgumentHelp("A sandbox scenario to update (see `connect-tui scenarios`).", valueName: "name"))
    package var scenario: String?

    @OptionGroup package var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("sandbox (offline, default) or pluggy (PLUGGY_API_URL, default https://api.pluggy.ai).", valueName: "backend"))
    package var backend: BackendKind = .sandbox

    @Option(name: .long, help: ArgumentHelp("en or pt (default: from LANG).", valueName: "language"))
    package var language: Language?

    @Option(name: .long, help: ArgumentHelp("How fast the sandbox runs: instant or realistic.", valueName: "speed"))
    package var speed: SandboxSpeed?

    @Option(name: .long, help: ArgumentHelp("Write the widget's events to this file, one JSON object per line.", valueName: "file"))
    package var events: String?

    @Flag(name: .long, help: "Print the outcome as one JSON object on stdout at the end.")
    package var json = false

    @Option(name: .long, help: ArgumentHelp("Record the session as an asciicast v2 file.", valueName: "file.cast"))
    package var record: String?

    @Flag(name: .long, help: "No colours (also when NO_COLOR is set).")
    package var noColor = false

    package func validate() throws {
        if scenario != nil, itemId != nil { throw ValidationError("Give --scenario or --item-id, not both.") }
        if backend == .pluggy, scenario != nil, ProcessInfo.processInfo.environment["PLUGGY_API_URL"] == nil {
            throw ValidationError("--scenario names a sandbox item; with --backend pluggy give --item-id (or point PLUGGY_API_URL at `connect-tui serve`).")
        }
        if let record, !record.hasSuffix(".cast") { throw ValidationError("--record writes an asciicast: give a file ending in .cast.") }
    }

    /// Colours unless --no-color or NO_COLOR (any non-empty value) say otherwise.
    package var colors: Bool {
        if noColor { return false }
        if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
        return true
    }

    /// How the terminal session runs, from these options and the environment.
    package func sessionOptions(simulator: Bool, pollInterval: Double = 0.25, environment: [String: String]) -> SessionOptions {
        SessionOptions(colors: colors, language: language ?? Language.from(environment: environment), simulator: simulator,
                       pollInterval: pollInterval, recordPath: record, environment: environment)
    }

    /// Fails before anything starts when `--events` cannot be written.
    package func checkOutputs() throws {
        guard let events else { return }
        do {
            try TextFile.write("", to: events)
        } catch {
            throw UsageFailure(message: "cannot write the events to \(events): \(error)")
        }
    }

    /// Writes `--events` and `--json` for a finished flow. A failure to write the events is reported on
    /// stderr but changes neither the JSON nor the exit status.
    package func report(events list: [WidgetEvent], outcome: Outcome) throws {
        if let events {
            let lines = ((try? list.map { try PluggyJSON.string($0) }) ?? []).joined(separator: "\n")
            do {
                try TextFile.write(lines.isEmpty ? "" : lines + "\n", to: events)
            } catch {
                TextFile.printError("connect-tui: cannot write the events to \(events): \(error)")
            }
        }
        if json { print(try PluggyJSON.string(outcome)) }
    }
}

extension Language: ExpressibleByArgument {}
extension SandboxSpeed: ExpressibleByArgument {}
