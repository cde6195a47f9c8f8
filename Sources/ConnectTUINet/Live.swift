import ConnectTUICommands
import ConnectWidget
import Pluggy
import PluggyHTTP

/// Talking to Pluggy's live API (or `connect-tui serve`): the client, connect tokens, simulator controls.
struct Live {
    let client: PluggyClient
    let environment: [String: String]

    init(environment: [String: String]) {
        self.environment = environment
        client = PluggyClient(baseURL: PluggyClient.baseURL(environment: environment))
    }

    /// PLUGGY_CLIENT_ID / PLUGGY_CLIENT_SECRET, or a usage error naming them.
    func credentials(for purpose: String) throws -> (String, String) {
        guard let id = environment["PLUGGY_CLIENT_ID"], !id.isEmpty,
            let secret = environment["PLUGGY_CLIENT_SECRET"], !secret.isEmpty
        else {
            throw UsageFailure(message: "\(purpose) needs Pluggy API credentials: set PLUGGY_CLIENT_ID and PLUGGY_CLIENT_SECRET (from dashboard.pluggy.ai), or pass --connect-token with --item-id")
        }
        return (id, secret)
    }

    /// POST /auth with the environment's credentials.
    func apiKey(for purpose: String) async throws -> String {
        let (id, secret) = try credentials(for: purpose)
        do {
            return try await client.authenticate(clientId: id, clientSecret: secret)
        } catch {
            throw OperationFailure(message: "POST /auth failed: \(error.description)")
        }
    }

    /// The given connect token, or one minted with POST /auth then POST /connect_token {itemId}.
    func connectToken(itemId: String, given: String?) async throws -> String {
        if let given { return given }
        let key = try await apiKey(for: "minting a connect token")
        do {
            return try await client.connectToken(apiKey: key, itemId: itemId)
        } catch {
            throw OperationFailure(message: "POST /connect_token failed: \(error.description)")
        }
    }

    /// What a widget session needs: the item's connect token (given or minted) and the simulator controls.
    func session(itemId: String, given: String?) async throws -> (token: String, simulator: (any WidgetSimulator)?) {
        let token = try await connectToken(itemId: itemId, given: given)
        return (token, await simulator())
    }

    /// Simulator controls, when the API is `connect-tui serve` (PLUGGY_API_URL set) and credentials are there.
    func simulator() async -> (any WidgetSimulator)? {
        guard environment["PLUGGY_API_URL"] != nil, let key = try? await apiKey(for: "the simulator") else { return nil }
        return HTTPSimulator(client: client, apiKey: key)
    }
}

/// The simulator controls of `connect-tui serve`, over HTTP.
struct HTTPSimulator: WidgetSimulator {
    let client: PluggyClient
    let apiKey: String

    func perform(_ action: SimulatorAction, itemId: String) async throws(PluggyAPIError) -> SimulatorResult {
        let name: String
        switch action {
        case .approve: name = "approve"
        case .deny: name = "deny"
        case .autoSync: name = "auto-sync"
        }
        let answer = try await client.simulate(name, itemId: itemId, apiKey: apiKey)
        let outcome = answer.report.flatMap { SimulatorResult.AutoSyncOutcome(rawValue: $0.outcome) }
        return SimulatorResult(item: answer.item, autoSync: outcome, path: answer.report?.path ?? [])
    }
}
