#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import TerminalCanvas

/// A key the user pressed, as the engine understands it (terminal drivers and tapes translate to this).
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case escape
    /// Ctrl with a letter (uppercase), e.g. `.control("C")`.
    case control(Character)
}

/// Everything that can happen to the widget. The engine reacts to each with a new state and effects.
public enum Message: Sendable {
    case key(Key)
    /// Text pasted at once (bracketed paste): taken as data, never as commands.
    case paste(String)
    case resize(Size)
    /// Time passed; `now` is the current time (the engine never reads a clock).
    case tick(Date)
    /// The reply to a backend effect.
    case reply(BackendReply)
    /// The reply to a simulator effect.
    case simulatorReply(SimulatorReply)
}

/// What a backend call returned, tagged with the request that asked for it.
public struct BackendReply: Sendable {
    public var request: Int
    public var kind: RequestKind
    public var result: Result<Item, PluggyAPIError>

    public init(request: Int, kind: RequestKind, result: Result<Item, PluggyAPIError>) {
        self.request = request
        self.kind = kind
        self.result = result
    }
}

public enum RequestKind: String, Sendable {
    case load, poll, update, mfa
}

/// A simulator control's outcome.
public struct SimulatorReply: Sendable {
    public var request: Int
    public var action: SimulatorAction
    public var result: Result<SimulatorResult, PluggyAPIError>

    public init(request: Int, action: SimulatorAction, result: Result<SimulatorResult, PluggyAPIError>) {
        self.request = request
        self.action = action
        self.result = result
    }
}

/// What the simulator can do that a real user does outside the widget, or Pluggy does daily.
public enum SimulatorAction: String, Sendable, Hashable {
    /// Approve on the user's phone, or grant consent on the bank's page.
    case approve
    /// Refuse on the phone or on the bank's page.
    case deny
    /// Run the next daily auto-sync.
    case autoSync
}

/// The item after a simulator action; for an auto-sync, also how it went.
public struct SimulatorResult: Sendable, Hashable {
    public enum AutoSyncOutcome: String, Sendable, Hashable { case synced, failed, skipped }
    public var item: Item
    public var autoSync: AutoSyncOutcome?
    /// The execution statuses the auto-sync went through.
    public var path: [ExecutionStatus]

    public init(item: Item, autoSync: AutoSyncOutcome? = nil, path: [ExecutionStatus] = []) {
        self.item = item
        self.autoSync = autoSync
        self.path = path
    }
}

/// Work the engine asks the runtime to do. Effects are values; the engine performs none of them.
/// Parameters may hold secrets: effects are never logged or exported.
public enum Effect: Sendable, Equatable {
    case fetchItem(request: Int, kind: RequestKind, itemId: String)
    case updateItem(request: Int, itemId: String, parameters: [String: String]?)
    case sendMFA(request: Int, itemId: String, parameters: [String: String])
    case simulate(request: Int, action: SimulatorAction, itemId: String)
    case emit(WidgetEvent)
    case finish(Outcome)
}

/// A widget event as Pluggy Connect's `onEvent` gives it: `{event, timestamp, item?}`. Never carries a
/// credential or an MFA value (an Item has none).
public struct WidgetEvent: Codable, Sendable, Equatable {
    public var event: String
    /// Milliseconds since 1970.
    public var timestamp: Int64
    public var item: Item?
    public var error: EventError?

    public struct EventError: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public init(event: String, at date: Date, item: Item? = nil, error: EventError? = nil) {
        self.event = event
        self.timestamp = Int64((date.timeIntervalSince1970 * 1000).rounded())
        self.item = item
        self.error = error
    }

    public static let open = "OPEN"
    public static let submittedLogin = "SUBMITTED_LOGIN"
    public static let submittedMFA = "SUBMITTED_MFA"
    public static let loginSuccess = "LOGIN_SUCCESS"
    public static let loginMFASuccess = "LOGIN_MFA_SUCCESS"
    public static let loginStepCompleted = "LOGIN_STEP_COMPLETED"
    public static let itemResponse = "ITEM_RESPONSE"
    public static let success = "SUCCESS"
    public static let error = "ERROR"
    public static let close = "CLOSE"
}

/// How the widget ended: the `--json` object and the exit status.
public struct Outcome: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case success, error, closed }
    public var outcome: Kind
    public var item: Item?
    public var error: OutcomeError?

    public struct OutcomeError: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public init(_ outcome: Kind, item: Item?, error: OutcomeError? = nil) {
        self.outcome = outcome
        self.item = item
        self.error = error
    }

    /// 0 success, 1 error, 2 closed first.
    public var exitStatus: Int32 {
        switch outcome {
        case .success: return 0
        case .error: return 1
        case .closed: return 2
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(outcome, forKey: "outcome")
        if outcome == .error { try c.encode(error, forKey: "error") }
        if let item { try c.encode(item, forKey: "item") } else { try c.encodeNil(forKey: "item") }
    }
}
