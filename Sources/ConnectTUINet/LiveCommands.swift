import ConnectTUICommands
import ConnectWidget
import CursesTerminal
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggyHTTP
import PluggySandbox
import SandboxServer
import TapePlayer

/// The commands that need the network stack, for `connect-tui-net`.
package struct LiveCommands: NetworkCommands {
    package init() {}

    /// The widget against Pluggy's API: the item named by --item-id, its token given or minted.
    package func update(_ command: Update, environment: [String: String]) async throws -> Int32 {
        let flow = command.flow
        var itemId = flow.itemId
        if let name = flow.scenario {
            // Only with PLUGGY_API_URL pointing at `connect-tui serve`, whose items are the catalogue's.
            itemId = try await flow.catalogueOptions.catalogueNow().requireScenario(name).item.id
        }
        guard let itemId else {
            throw UsageFailure(message: "--backend pluggy needs --item-id ID (the Pluggy item to update)")
        }
        let live = Live(environment: environment)
        let (token, simulator) = try await live.session(itemId: itemId, given: flow.connectToken)
        let options = flow.sessionOptions(simulator: simulator != nil, pollInterval: 2, environment: environment)
        let backend = LiveBackend(client: live.client, connectToken: token)
        let result = await TerminalApp.run(options: options, itemId: itemId, picker: [], clock: SystemClock()) { _ in
            WidgetRuntime(backend: backend, simulator: simulator)
        }
        return try command.finish(result)
    }

    package func connectToken(itemId: String, environment: [String: String]) async throws -> String {
        try await Live(environment: environment).connectToken(itemId: itemId, given: nil)
    }

    package func playRuntime(itemId: String, connectToken: String?, environment: [String: String]) async throws -> (WidgetRuntime, simulator: Bool) {
        let live = Live(environment: environment)
        let (token, simulator) = try await live.session(itemId: itemId, given: connectToken)
        let runtime = WidgetRuntime(backend: LiveBackend(client: live.client, connectToken: token, pollInterval: 0.5), simulator: simulator)
        return (runtime, simulator != nil)
    }

    package func serve(_ command: Serve) async throws {
        let environment = ProcessInfo.processInfo.environment
        let clock = SystemClock()
        let catalogue = try await command.catalogueOptions.catalogueNow()
        let sandbox = PluggySandbox(catalogue: catalogue, clock: clock, speed: command.speed, tokens: .standard(environment: environment))
        let server = SandboxServer(sandbox: sandbox)
        await server.startWebhooks()
        let host = command.host
        let app = server.application(host: host, port: command.port) { bound in
            TextFile.printError("connect-tui serve: Pluggy sandbox on http://\(host):\(bound) (\(catalogue.scenarios.count) items; Ctrl-C stops)")
        }
        do {
            try await app.runService()
        } catch {
            throw OperationFailure(message: "cannot serve on \(host):\(command.port): \(error)")
        }
    }
}
