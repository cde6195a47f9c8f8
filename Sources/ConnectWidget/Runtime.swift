import Pluggy

/// What the simulator controls do, for a backend that has them (the offline sandbox).
public protocol WidgetSimulator: Sendable {
    func perform(_ action: SimulatorAction, itemId: String) async throws(PluggyAPIError) -> SimulatorResult
}

/// Performs the engine's backend and simulator effects and turns each outcome into the message the
/// engine expects. Events and the finish are the caller's to handle (they are outputs, not work).
public struct WidgetRuntime: Sendable {
    public let backend: any Backend
    public let simulator: (any WidgetSimulator)?

    public init(backend: any Backend, simulator: (any WidgetSimulator)?) {
        self.backend = backend
        self.simulator = simulator
    }

    /// The reply message for a backend or simulator effect; nil for `.emit` and `.finish`.
    public func perform(_ effect: Effect) async -> Message? {
        switch effect {
        case .fetchItem(let request, let kind, let itemId):
            return .reply(BackendReply(request: request, kind: kind, result: await result { () async throws(PluggyAPIError) in
                try await backend.fetchItem(id: itemId)
            }))
        case .updateItem(let request, let itemId, let parameters):
            return .reply(BackendReply(request: request, kind: .update, result: await result { () async throws(PluggyAPIError) in
                try await backend.updateItem(id: itemId, parameters: parameters)
            }))
        case .sendMFA(let request, let itemId, let parameters):
            return .reply(BackendReply(request: request, kind: .mfa, result: await result { () async throws(PluggyAPIError) in
                try await backend.sendMFA(itemId: itemId, parameters: parameters)
            }))
        case .simulate(let request, let action, let itemId):
            guard let simulator else {
                return .simulatorReply(SimulatorReply(request: request, action: action, result: .failure(PluggyAPIError(
                    code: 400, codeDescription: "NO_SIMULATOR", message: "Simulator controls exist only with the offline sandbox."))))
            }
            do {
                return .simulatorReply(SimulatorReply(request: request, action: action, result: .success(try await simulator.perform(action, itemId: itemId))))
            } catch {
                return .simulatorReply(SimulatorReply(request: request, action: action, result: .failure(error)))
            }
        case .emit, .finish:
            return nil
        }
    }

    private func result(_ body: () async throws(PluggyAPIError) -> Item) async -> Result<Item, PluggyAPIError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
