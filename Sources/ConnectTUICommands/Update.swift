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

/// `connect-tui update` (the default): the widget in the real terminal, over the offline sandbox.
package struct Update: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Open the update widget in the terminal (default command).",
        discussion: """
            With no item, shows the sandbox items to pick from; choosing one mints its connect token, as the \
            customer's backend would. --item-id alone mints a token; --connect-token with --item-id verifies \
            the given one. The widget draws on the terminal (/dev/tty), so --json and --events work with \
            pipes and redirections.
            """)

    @OptionGroup package var flow: FlowOptions

    package init() {}

    package func validate() throws {
        if flow.connectToken != nil, flow.itemId == nil, flow.scenario == nil {
            throw ValidationError("--connect-token needs the item it is for: add --item-id ID (or --scenario NAME).")
        }
    }

    package func run() async throws {
        var exitStatus: Int32 = 0
        try await Self.reportingFailures {
            let environment = ProcessInfo.processInfo.environment
            // First, before anything is read or written: in connect-tui this hands the process over.
            let network = flow.backend == .pluggy ? try Network.commands(for: "--backend pluggy") : nil
            try flow.checkOutputs()
            if let network {
                exitStatus = try await network.update(self, environment: environment)
                return
            }
            let clock = SystemClock()
            let catalogue = try await flow.catalogueOptions.catalogueNow()
            var itemId = flow.itemId
            if let name = flow.scenario {
                itemId = try catalogue.requireScenario(name).item.id
            }
            let tokens = ConnectTokenIssuer.standard(environment: environment)
            let sandbox = PluggySandbox(catalogue: catalogue, clock: clock, speed: flow.speed ?? .realistic, tokens: tokens)
            let given = flow.connectToken
            let options = flow.sessionOptions(simulator: true, environment: environment)
            let picker = catalogue.scenarios
                .sorted { ($0.item.status == .updated ? 1 : 0) < ($1.item.status == .updated ? 1 : 0) }
                .map { PickerEntry(name: $0.name, itemId: $0.item.id, institution: $0.item.connector.name,
                                   status: $0.item.status, executionStatus: $0.item.executionStatus, description: $0.description) }
            let result = await TerminalApp.run(options: options, itemId: itemId, picker: picker, clock: clock) { id in
                let token = given ?? tokens.mint(itemId: id, now: clock.now())
                return WidgetRuntime(backend: SandboxBackend(sandbox: sandbox, connectToken: token), simulator: SandboxSimulator(sandbox: sandbox))
            }
            exitStatus = try finish(result)
        }
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }

    /// After the terminal is given back: the recording, `--events`, `--json`, and the exit status.
    package func finish(_ result: Result<SessionResult, TerminalUnavailable>) throws -> Int32 {
        switch result {
        case .failure(let unavailable):
            throw UsageFailure(message: unavailable.description)
        case .success(let session):
            if let path = flow.record, let recording = session.recording {
                do {
                    try TextFile.write(recording, to: path)
                } catch {
                    throw UsageFailure(message: "cannot write the recording to \(path): \(error)")
                }
            }
            try flow.report(events: session.events, outcome: session.outcome)
            return session.outcome.exitStatus
        }
    }
}
