#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import TerminalCanvas

/// The widget's language: English or Brazilian Portuguese.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en, pt

    /// From `LANG` / `LC_ALL` / `LC_MESSAGES`: Portuguese for `pt*`, English otherwise.
    public static func from(environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("pt") ? .pt : .en
            }
        }
        return .en
    }
}

/// What the widget is configured with when it opens.
public struct WidgetConfig: Sendable, Equatable {
    public var itemId: String
    public var language: Language
    /// Whether simulator controls (approve / deny on the phone, run the daily auto-sync) are offered:
    /// true for the offline sandbox.
    public var simulator: Bool
    /// Seconds between polls of the item while an execution runs.
    public var pollInterval: Double

    public init(itemId: String, language: Language = .en, simulator: Bool = true, pollInterval: Double = 0.25) {
        self.itemId = itemId
        self.language = language
        self.simulator = simulator
        self.pollInterval = pollInterval
    }
}

/// Which step of the update flow is on screen.
public enum Step: String, Sendable, Equatable {
    /// Verifying the token and loading the item.
    case opening
    /// The token or the item was refused; nothing else can happen.
    case openingFailed
    /// The login form, from `connector.credentials`.
    case credentials
    /// An execution is running.
    case progress
    /// The item waits for an MFA value (`item.parameter`).
    case mfa
    /// The item waits for an authorization on the user's device or at the bank.
    case authorization
    /// The execution ended: success, partial success or an error.
    case result
    /// The outcome of a simulated daily auto-sync.
    case autoSync
}

/// One editable field: a credential of the form, or the MFA parameter.
public struct Field: Sendable, Equatable {
    public var credential: ConnectorCredential
    public var text: String = ""
    /// Cursor position, in characters.
    public var cursor: Int = 0
    /// A secret shown in clear on screen (exports still mask it).
    public var revealed = false
    /// The chosen option, for a select.
    public var option: Int = 0
    /// The problem with the value, shown under the field.
    public var error: FieldError?

    public init(credential: ConnectorCredential) {
        self.credential = credential
    }

    /// An MFA answer: secret even when the parameter does not say `mfa: true`.
    public var isMFAAnswer = false

    public var isSelect: Bool { credential.type == .select && !(credential.options ?? []).isEmpty }
    public var isSecret: Bool { !isSelect && (credential.isSecret || isMFAAnswer) }

    /// The value to send.
    public var value: String {
        if isSelect, let options = credential.options, options.indices.contains(option) { return options[option].value }
        return text
    }
}

/// Why a field's value is refused.
public enum FieldError: Sendable, Equatable {
    /// Empty, and not optional.
    case required
    /// Fails the credential's `validation` rule; the connector's `validationMessage` when it has one.
    case invalid(String?)
    /// Pluggy refused it (a 400 detail), with Pluggy's message.
    case refused(String)
}

/// The credentials form.
public struct CredentialsForm: Sendable, Equatable {
    public var fields: [Field]
    /// The focused field; `fields.count` is the submit button; nil when nothing has focus (not editing).
    public var focus: Int?

    public init(credentials: [ConnectorCredential]) {
        fields = credentials.map(Field.init)
        focus = fields.isEmpty ? 0 : 0
    }

    public var submitIndex: Int { fields.count }
}

/// The MFA prompt.
public struct MFAPrompt: Sendable, Equatable {
    public var field: Field
    /// Whether the field has focus (Esc leaves it, so q and Esc close).
    public var editing = true
    /// A poll was asked for when the countdown reached zero.
    public var expiryChecked = false

    public init(parameter: ConnectorCredential) {
        field = Field(credential: parameter)
        field.isMFAAnswer = true
    }
}

/// The execution the widget started and follows.
public struct RunProgress: Sendable, Equatable {
    public var startedAt: Date
    /// Execution statuses seen, in order.
    public var steps: [ExecutionStatus] = []
    public var mfaSubmitted = false
    public var loginReported = false
    public var nextPollAt: Date
    /// Parameters were sent with the PATCH (the user typed credentials).
    public var withCredentials: Bool

    public init(startedAt: Date, withCredentials: Bool, pollInterval: Double) {
        self.startedAt = startedAt
        self.withCredentials = withCredentials
        self.nextPollAt = startedAt.addingTimeInterval(pollInterval)
    }
}

/// How the last execution the user saw ended.
public enum Finished: Sendable, Equatable {
    case success(Item)
    case error(code: String, message: String, item: Item?)
}

/// The whole state of the widget. A value: the engine returns a new one for every message.
public struct WidgetState: Sendable, Equatable {
    public var config: WidgetConfig
    public var size: Size
    public var now: Date
    public var step: Step = .opening
    public var item: Item?
    public var form: CredentialsForm?
    public var prompt: MFAPrompt?
    public var run: RunProgress?
    /// Pluggy's message for the error shown above the form or the prompt.
    public var banner: String?
    public var finished: Finished?
    public var openingError: PluggyAPIError?
    /// The last error a backend call returned that was not an execution result (429, 5xx, unreachable).
    public var callError: PluggyAPIError?
    public var autoSync: SimulatorResult?
    public var showHelp = false {
        didSet { helpScroll = 0 }
    }
    /// The first help row shown, when the help is taller than the screen (↑/↓ scroll it).
    public var helpScroll = 0
    /// Whether the widget has finished (closed); nothing happens after.
    public var closed = false

    /// The parameters of the last update the user submitted (kept in memory only, to retry it).
    var lastSubmitted: [String: String]?
    var nextRequest = 1
    /// Requests in flight, by id.
    var inFlight: [Int: RequestKind] = [:]
    /// The newest request that changes the item (PATCH, MFA, simulator): replies to older polls are stale.
    var lastMutation = 0
    var simulatorInFlight = false

    public init(config: WidgetConfig, size: Size, now: Date) {
        self.config = config
        self.size = size
        self.now = now
    }

    /// Whether a spinner, a countdown or polling needs the clock to tick.
    public var wantsTicks: Bool {
        guard !closed else { return false }
        switch step {
        case .opening, .progress, .mfa, .authorization: return true
        default: return !inFlight.isEmpty || simulatorInFlight
        }
    }

    /// When the current wait (MFA value or authorization) expires.
    public var waitExpiresAt: Date? {
        switch step {
        case .mfa: return item?.parameter?.expiresAt
        case .authorization: return item?.userAction?.expiresAt
        default: return nil
        }
    }
}
