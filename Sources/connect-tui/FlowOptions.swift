import ArgumentParser
import ConnectWidget
import Foundation
import Pluggy
import PluggySandbox

/// The update flow's options, shared by `update` and `play`.
struct FlowOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A connect token for the item (verified before anything else).", valueName: "token"))
    var connectToken: String?

    @Option(name: .long, help: ArgumentHelp("The item to update.", valueName: "id"))
    var itemId: String?

    @Option(name: .long, help: ArgumentHelp("A sandbox scenario to update (see `connect-tui scenarios`).", valueName: "name"))
    var scenario: String?

    @OptionGroup var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("sandbox (offline, default) or pluggy (PLUGGY_API_URL, default https://api.pluggy.ai).", valueName: "backend"))
    var backend: BackendKind = .sandbox

    @Option(name: .long, help: ArgumentHelp("en or pt (default: from LANG).", valueName: "language"))
    var language: Language?

    @Option(name: .long, help: ArgumentHelp("How fast the sandbox runs: instant or realistic.", valueName: "speed"))
    var speed: SandboxSpeed?

    @Option(name: .long, help: ArgumentHelp("Write the widget's events to this file, one JSON object per line.", valueName: "file"))
    var events: String?

    @Flag(name: .long, help: "Print the outcome as one JSON object on stdout at the end.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Record the session as an asciicast v2 file.", valueName: "file.cast"))
    var record: String?

    @Flag(name: .long, help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        if scenario != nil, itemId != nil { throw ValidationError("Give --scenario or --item-id, not both.") }
        if backend == .pluggy, scenario != nil, ProcessInfo.processInfo.environment["PLUGGY_API_URL"] == nil {
            throw ValidationError("--scenario names a sandbox item; with --backend pluggy give --item-id (or point PLUGGY_API_URL at `connect-tui serve`).")
        }
        if let record, !record.hasSuffix(".cast") { throw ValidationError("--record writes an asciicast: give a file ending in .cast.") }
    }

    /// Colours unless --no-color or NO_COLOR (any non-empty value) say otherwise.
    var colors: Bool {
        if noColor { return false }
        if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
        return true
    }

    /// Fails before anything starts when `--events` cannot be written.
    func checkOutputs() throws {
        guard let events else { return }
        guard FileManager.default.createFile(atPath: events, contents: Data()) else {
            throw UsageFailure(message: "cannot write the events to \(events) (check the folder exists and is writable)")
        }
    }

    /// Writes `--events` and `--json` for a finished flow. A failure to write the events is reported on
    /// stderr but changes neither the JSON nor the exit status.
    func report(events list: [WidgetEvent], outcome: Outcome) throws {
        if let events {
            let lines = ((try? list.map { try PluggyJSON.string($0) }) ?? []).joined(separator: "\n")
            do {
                try Data((lines.isEmpty ? "" : lines + "\n").utf8).write(to: URL(fileURLWithPath: events))
            } catch {
                FileHandle.standardError.write(Data("connect-tui: cannot write the events to \(events): \(error.localizedDescription)\n".utf8))
            }
        }
        if json { print(try PluggyJSON.string(outcome)) }
    }
}

extension Language: ExpressibleByArgument {}
extension SandboxSpeed: ExpressibleByArgument {}
