import ConnectWidget
import Pluggy
import PluggySandbox

/// The sandbox's simulator controls as the widget asks for them.
public struct SandboxSimulator: WidgetSimulator {
    public let sandbox: PluggySandbox

    public init(sandbox: PluggySandbox) { self.sandbox = sandbox }

    public func perform(_ action: SimulatorAction, itemId: String) async throws(PluggyAPIError) -> SimulatorResult {
        switch action {
        case .approve:
            return SimulatorResult(item: try await sandbox.approveAuthorization(itemId: itemId))
        case .deny:
            return SimulatorResult(item: try await sandbox.denyAuthorization(itemId: itemId))
        case .autoSync:
            let report = try await sandbox.runDailyAutoSync(itemId: itemId)
            let outcome: SimulatorResult.AutoSyncOutcome
            switch report.outcome {
            case .synced: outcome = .synced
            case .failed: outcome = .failed
            case .skipped: outcome = .skipped
            }
            return SimulatorResult(item: report.item, autoSync: outcome, path: report.path)
        }
    }
}
