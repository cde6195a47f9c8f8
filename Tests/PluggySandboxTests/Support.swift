import Foundation
import Pluggy
@testable import PluggySandbox

/// A sandbox over the built-in catalogue in virtual time.
func makeSandbox(speed: SandboxSpeed = .instant, catalogue: Catalogue? = nil) -> (PluggySandbox, VirtualClock) {
    let clock = VirtualClock()
    let sandbox = PluggySandbox(
        catalogue: catalogue ?? Catalogue.builtIn(now: clock.now()), clock: clock, speed: speed,
        tokens: ConnectTokenIssuer(secret: "test-secret"))
    return (sandbox, clock)
}

/// A backend for a scenario's item, as the widget would have it, and the item as it starts.
func open(_ scenario: String, in sandbox: PluggySandbox) async throws -> (SandboxBackend, Item) {
    let id = try requireScenario(scenario, sandbox)
    let token = try await sandbox.mintConnectToken(itemId: id)
    let backend = SandboxBackend(sandbox: sandbox, connectToken: token)
    return (backend, try await backend.fetchItem(id: id))
}

// Swift Testing's #require is a macro; a plain helper keeps the call sites short.
func requireScenario(_ name: String, _ sandbox: PluggySandbox) throws -> String {
    guard let scenario = sandbox.catalogue.scenario(named: name) else { throw TestFailure("no scenario \(name)") }
    return scenario.item.id
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Starts an update and follows it until it settles; returns every snapshot seen (first: as started).
func update(_ backend: SandboxBackend, _ item: Item, _ parameters: [String: String]?) async throws -> [Item] {
    let started = try await backend.updateItem(id: item.id, parameters: parameters)
    return try await follow(backend, started)
}

func follow(_ backend: SandboxBackend, _ item: Item) async throws -> [Item] {
    var seen = [item]
    for try await next in backend.observe(from: item) { seen.append(next) }
    return seen
}

/// The error a call throws, or nil.
func apiError(_ body: () async throws -> Void) async -> PluggyAPIError? {
    do {
        try await body()
        return nil
    } catch let error as PluggyAPIError {
        return error
    } catch {
        return PluggyAPIError(code: -1, message: "unexpected \(error)")
    }
}

let ok = ["user": "user-ok", "password": "password-ok"]
