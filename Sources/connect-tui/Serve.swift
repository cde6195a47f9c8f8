import ArgumentParser
import Foundation
import Hummingbird
import Pluggy
import PluggySandbox
import SandboxServer

/// `connect-tui serve`: the offline sandbox as a Pluggy-compatible HTTP server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the offline sandbox over HTTP with Pluggy's paths, bodies, status codes and errors.",
        discussion: """
            POST /auth takes the sandbox credentials {"clientId":"\(SandboxServer.clientId)","clientSecret":"\(SandboxServer.clientSecret)"}. \
            Then POST /connect_token, GET/PATCH /items/{id}, POST /items/{id}/mfa, GET /connectors[/{id}], \
            POST /connectors/{id}/validate; simulator controls under POST /simulator/items/{id}/approve|deny|auto-sync|password-changed. \
            Point the live client at it with PLUGGY_API_URL=http://HOST:PORT.
            """)

    @Option(name: .long, help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "n"))
    var port: Int = 8787

    @Option(name: .long, help: ArgumentHelp("Address to listen on (loopback by default).", valueName: "host"))
    var host: String = "127.0.0.1"

    @OptionGroup var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("How fast executions run: realistic or instant.", valueName: "speed"))
    var speed: SandboxSpeed = .realistic

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
    }

    func run() async throws {
        try await Self.reportingFailures {
            let clock = SystemClock()
            let catalogue = try catalogueOptions.catalogue(now: clock.now())
            let sandbox = PluggySandbox(catalogue: catalogue, clock: clock, speed: speed,
                                        tokens: .standard(environment: ProcessInfo.processInfo.environment))
            let server = SandboxServer(sandbox: sandbox)
            await server.startWebhooks()
            let host = self.host
            let app = server.application(host: host, port: port) { bound in
                FileHandle.standardError.write(Data("connect-tui serve: Pluggy sandbox on http://\(host):\(bound) (\(catalogue.scenarios.count) items; Ctrl-C stops)\n".utf8))
            }
            do {
                try await app.runService()
            } catch {
                throw OperationFailure(message: "cannot serve on \(host):\(port): \(error)")
            }
        }
    }
}
