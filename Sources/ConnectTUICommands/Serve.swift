import ArgumentParser
import PluggySandbox

/// `connect-tui serve`: the offline sandbox as a Pluggy-compatible HTTP server.
package struct Serve: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the offline sandbox over HTTP with Pluggy's paths, bodies, status codes and errors.",
        discussion: """
            POST /auth takes the sandbox credentials {"clientId":"\(SandboxAPICredentials.clientId)","clientSecret":"\(SandboxAPICredentials.clientSecret)"}. \
            Then POST /connect_token, GET/PATCH /items/{id}, POST /items/{id}/mfa, GET /connectors[/{id}], \
            POST /connectors/{id}/validate; simulator controls under POST /simulator/items/{id}/approve|deny|auto-sync|password-changed. \
            Point the live client at it with PLUGGY_API_URL=http://HOST:PORT.
            """)

    @Option(name: .long, help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "n"))
    package var port: Int = 8787

    @Option(name: .long, help: ArgumentHelp("Address to listen on (loopback by default).", valueName: "host"))
    package var host: String = "127.0.0.1"

    @OptionGroup package var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("How fast executions run: realistic or instant.", valueName: "speed"))
    package var speed: SandboxSpeed = .realistic

    package init() {}

    package func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
    }

    package func run() async throws {
        try await Self.reportingFailures {
            try await Network.commands(for: "serve").serve(self)
        }
    }
}
