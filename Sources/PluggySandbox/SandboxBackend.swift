import Pluggy

/// The sandbox as the widget sees it: a `Backend` bound to one connect token.
public struct SandboxBackend: Backend {
    public let sandbox: PluggySandbox
    public let connectToken: String

    public init(sandbox: PluggySandbox, connectToken: String) {
        self.sandbox = sandbox
        self.connectToken = connectToken
    }

    public func fetchItem(id: String) async throws(PluggyAPIError) -> Item {
        try await sandbox.item(id: id, connectToken: connectToken)
    }

    public func updateItem(id: String, parameters: [String: String]?) async throws(PluggyAPIError) -> Item {
        try await sandbox.update(id: id, parameters: parameters, connectToken: connectToken)
    }

    public func sendMFA(itemId: String, parameters: [String: String]) async throws(PluggyAPIError) -> Item {
        try await sandbox.sendMFA(id: itemId, parameters: parameters, connectToken: connectToken)
    }

    public func nextSnapshot(after item: Item) async throws(PluggyAPIError) -> Item {
        try await sandbox.nextSnapshot(after: item, connectToken: connectToken)
    }
}
