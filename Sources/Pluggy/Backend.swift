/// What Pluggy Connect does with a connect token, against some implementation of Pluggy: the offline
/// sandbox or the live API. A backend value is bound to one connect token, as every call of the widget
/// carries it (`X-API-KEY`). Every failure is a `PluggyAPIError` with Pluggy's code and message:
/// 401 token malformed, tampered or expired; 403 token issued for another item; 404 unknown item;
/// 400 parameter validation (one detail per parameter); 409 an update already running.
public protocol Backend: Sendable {
    /// `GET /items/{id}`: the item, with its connector.
    func fetchItem(id: String) async throws(PluggyAPIError) -> Item

    /// `PATCH /items/{id}`: starts an execution, with new `parameters` or (nil) the stored ones.
    /// Returns the item as the execution starts.
    func updateItem(id: String, parameters: [String: String]?) async throws(PluggyAPIError) -> Item

    /// `POST /items/{id}/mfa`: answers the parameter the item waits for, `{"<parameter.name>": value}`.
    func sendMFA(itemId: String, parameters: [String: String]) async throws(PluggyAPIError) -> Item

    /// Waits until the item is different from `item`, or returns it at once when nothing more will
    /// happen without the user (the item is not running). Observing is a loop over this call.
    func nextSnapshot(after item: Item) async throws(PluggyAPIError) -> Item
}

extension Backend {
    /// Snapshots of the item from `item` on, each different from the last, ending when the item
    /// settles (stops running) or the call fails (the error is a `PluggyAPIError`).
    public func observe(from item: Item) -> AsyncThrowingStream<Item, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var current = item
                do {
                    while current.isRunning, !Task.isCancelled {
                        let next = try await nextSnapshot(after: current)
                        if next == current { break }
                        continuation.yield(next)
                        current = next
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Follows the item from `item` until it settles and returns the settled item.
    public func settle(from item: Item) async throws(PluggyAPIError) -> Item {
        var current = item
        while current.isRunning {
            let next = try await nextSnapshot(after: current)
            if next == current { break }
            current = next
        }
        return current
    }
}
