import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggySandbox

/// `connect-tui token`: a sandbox connect token for one item, as `POST /connect_token {itemId}` gives.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a sandbox connect token for an item (valid 30 minutes, like Pluggy's).",
        discussion: "Tokens are signed with the sandbox key (or CONNECT_TUI_TOKEN_SECRET) and verify in any connect-tui process.")

    @Option(name: .long, help: ArgumentHelp("The item the token is for.", valueName: "id"))
    var itemId: String?

    @Option(name: .long, help: ArgumentHelp("Mint the token for this scenario's item instead.", valueName: "name"))
    var scenario: String?

    @Option(name: .long, help: ArgumentHelp("Lifetime of the token in seconds.", valueName: "seconds"))
    var expiresIn: Int = ConnectTokenIssuer.defaultLifetime

    @OptionGroup var catalogueOptions: CatalogueOptions

    @Flag(name: .long, help: "Print Pluggy's response body, {\"accessToken\": \"…\"}, instead of the bare token.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("sandbox (offline, default) or pluggy: POST /auth with PLUGGY_CLIENT_ID / PLUGGY_CLIENT_SECRET, then POST /connect_token {itemId} at PLUGGY_API_URL.", valueName: "backend"))
    var backend: BackendKind = .sandbox

    func validate() throws {
        guard (itemId == nil) != (scenario == nil) else {
            throw ValidationError("Give --item-id ID or --scenario NAME (see `connect-tui scenarios`).")
        }
        guard expiresIn > 0 else { throw ValidationError("--expires-in must be at least 1 second.") }
        guard expiresIn <= 365 * 86_400 else { throw ValidationError("--expires-in must be at most one year (31536000 seconds).") }
    }

    func run() async throws {
        try await Self.reportingFailures {
            let now = Date()
            if backend == .pluggy {
                let network = try Network.commands(for: "token --backend pluggy")  // in connect-tui: hands over
                var id = itemId ?? ""
                if let scenario {
                    id = try await catalogueOptions.catalogueNow().requireScenario(scenario).item.id
                }
                let token = try await network.connectToken(itemId: id, environment: ProcessInfo.processInfo.environment)
                print(json ? try PluggyJSON.string(["accessToken": token]) : token)
                return
            }
            let catalogue = try await catalogueOptions.catalogueNow()
            let id: String
            if let scenario {
                id = try catalogue.requireScenario(scenario).item.id
            } else {
                id = itemId ?? ""
            }
            guard catalogue.scenarios.contains(where: { $0.item.id == id }) else {
                throw OperationFailure(message: "\(PluggyAPIError.itemNotFound(id).message) `connect-tui scenarios` lists the sandbox items.")
            }
            let token = ConnectTokenIssuer.standard(environment: ProcessInfo.processInfo.environment)
                .mint(itemId: id, now: now, lifetime: expiresIn)
            if json {
                print(try PluggyJSON.string(["accessToken": token]))
            } else {
                print(token)
            }
        }
    }
}
