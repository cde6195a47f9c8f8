#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Where the sandbox and the widget runtime read the time and wait. Injected so tests
/// and tapes run in virtual time, instantly and deterministically, and demos in real time.
public protocol TimeSource: Sendable {
    /// The current moment.
    func now() -> Date
    /// Returns at `deadline` or later; throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The machine's clock.
public struct SystemClock: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSince(Date())
        if seconds > 0 { try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up)))) }
        try Task.checkCancellation()
    }
}

/// Virtual time: `now()` moves only when something sleeps past it or `advance` is called, so a whole
/// sandbox execution runs instantly and every timestamp is reproducible.
public final class VirtualClock: TimeSource {
    private let current: Mutex<Date>

    /// A clock standing at `start` (by default 2026-01-15T12:00:00.000Z).
    public init(start: Date = VirtualClock.defaultStart) { current = Mutex(start) }

    public static let defaultStart = Date(timeIntervalSince1970: 1_768_478_400)

    public func now() -> Date { current.withLock { $0 } }

    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        current.withLock { if deadline > $0 { $0 = deadline } }
        await Task.yield()
    }

    /// Moves time forward by `seconds`.
    public func advance(by seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(max(0, seconds)) }
    }
}
