import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

// MARK: - Fixed time and ids

/// 2026-01-15T12:00:00Z: every test runs from this moment (no real clock).
let t0 = Date(timeIntervalSince1970: 1_768_478_400)
let itemID = "9293c11c-0000-4000-8000-000000000001"

func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

// MARK: - Models

enum Fixture {
    static let user = ConnectorCredential(label: "User", name: "user", type: .text, placeholder: "user-ok")
    static let password = ConnectorCredential(label: "Password", name: "password", type: .password)
    /// An MFA 1-step credential: a token typed in the login form itself.
    static let formToken = ConnectorCredential(
        label: "Token", name: "token", type: .number, mfa: true, validation: "^\\d{6}$",
        validationMessage: "The token has 6 digits")
    static let cpf = ConnectorCredential(
        label: "CPF", name: "cpf", type: .number, validation: "^\\d{11}$", validationMessage: "CPF must have 11 digits")
    static let nickname = ConnectorCredential(label: "Nickname", name: "nickname", type: .text, optional: true)
    static let accountType = ConnectorCredential(
        label: "Account type", name: "accountType", type: .select,
        options: [
            CredentialSelectOption(value: "PF", label: "Personal"),
            CredentialSelectOption(value: "PJ", label: "Business"),
            CredentialSelectOption(value: "GOV", label: "Government"),
        ])

    /// Pluggy Bank's form: user and password.
    static func bank(credentials: [ConnectorCredential] = [user, password], hasMFA: Bool = false,
                     name: String = "Pluggy Bank") -> Connector {
        Connector(id: 2, name: name, primaryColor: "ef294b", type: .personalBank, credentials: credentials, hasMFA: hasMFA)
    }

    /// A connector asking for an MFA value after the login (MFA 2-step).
    static let twoStep = bank(hasMFA: true)
    /// A connector whose form carries the MFA value (MFA 1-step).
    static let oneStep = bank(credentials: [user, password, formToken])

    static func item(
        _ status: ItemStatus, _ execution: ExecutionStatus, connector: Connector = bank(),
        error: ExecutionErrorResult? = nil, parameter: ConnectorCredential? = nil, userAction: UserAction? = nil,
        attempts: Int = 0
    ) -> Item {
        Item(
            id: itemID, connector: connector, status: status, executionStatus: execution, error: error,
            parameter: parameter, userAction: userAction, createdAt: t0.addingTimeInterval(-180 * 86_400),
            updatedAt: t0.addingTimeInterval(-600), lastUpdatedAt: t0.addingTimeInterval(-8 * 86_400),
            nextAutoSyncAt: nil, consecutiveFailedLoginAttempts: attempts)
    }

    static func failed(_ code: ExecutionStatus, _ message: String, connector: Connector = bank(),
                       status: ItemStatus = .loginError, attempts: Int = 0) -> Item {
        item(status, code, connector: connector, error: ExecutionErrorResult(code: code, message: message), attempts: attempts)
    }

    static func running(_ execution: ExecutionStatus = .loginInProgress, connector: Connector = bank()) -> Item {
        item(.updating, execution, connector: connector)
    }

    static func updated(connector: Connector = bank()) -> Item {
        item(.updated, .success, connector: connector)
    }

    static let outdated = item(.outdated, .siteNotAvailable,
                               error: ExecutionErrorResult(code: .siteNotAvailable, message: "The bank was down."))

    /// The MFA parameter of a 2-step connector, valid five minutes from t0.
    static let smsCode = ConnectorCredential(
        label: "SMS code", name: "code", type: .number, validation: "^\\d{6}$",
        validationMessage: "The code has 6 digits", instructions: "Type the code we sent to your phone.",
        expiresAt: at(300))
    static let deliveryChoice = ConnectorCredential(
        label: "Where should we send the code?", name: "delivery", type: .select,
        options: [
            CredentialSelectOption(value: "sms", label: "SMS"),
            CredentialSelectOption(value: "email", label: "E-mail"),
            CredentialSelectOption(value: "app", label: "App"),
        ], expiresAt: at(300))

    static func waitingInput(_ parameter: ConnectorCredential = smsCode, connector: Connector = twoStep) -> Item {
        item(.waitingUserInput, .waitingUserInput, connector: connector, parameter: parameter)
    }

    static func waitingAction() -> Item {
        item(.waitingUserAction, .waitingUserAction, connector: twoStep, userAction: UserAction(
            instructions: "Open the Pluggy Bank app and approve the access.", type: .authorizeAccess,
            expiresAt: at(600)))
    }

    /// The scenario item as Pluggy sends it: decoded from JSON, so the fixtures also exercise the model.
    static let loginErrorJSON = """
        {
          "id": "\(itemID)",
          "connector": {
            "id": 2, "name": "Pluggy Bank", "primaryColor": "ef294b", "type": "PERSONAL_BANK", "country": "BR",
            "credentials": [
              {"label": "User", "name": "user", "type": "text", "placeholder": "user-ok", "optional": false},
              {"label": "Password", "name": "password", "type": "password", "optional": false}
            ],
            "hasMFA": false
          },
          "status": "LOGIN_ERROR",
          "executionStatus": "INVALID_CREDENTIALS",
          "error": {"code": "INVALID_CREDENTIALS", "message": "Invalid credentials."},
          "statusDetail": null, "parameter": null, "userAction": null,
          "createdAt": "2025-07-19T12:00:00.000Z", "updatedAt": "2026-01-15T11:50:00.000Z",
          "lastUpdatedAt": "2026-01-07T12:00:00.000Z", "nextAutoSyncAt": null, "consentExpiresAt": null,
          "consecutiveFailedLoginAttempts": 1, "clientUserId": "demo-user-42", "webhookUrl": null
        }
        """
}

func decodeItem(_ json: String) throws -> Item {
    try PluggyJSON.decoder().decode(Item.self, from: Data(json.utf8))
}

// MARK: - Driving the engine

/// The widget under test: the state, and every effect it asked for so far.
struct Widget {
    var state: WidgetState
    var log: [Effect] = []

    /// Starts the widget at t0 (effects of the start are in `log`).
    init(config: WidgetConfig = WidgetConfig(itemId: itemID), size: Size = Size(width: 80, height: 24), now: Date = t0) {
        let (state, effects) = ConnectEngine.start(config: config, size: size, now: now)
        self.state = state
        self.log = effects
    }

    /// Started and loaded with `item`; `log` is cleared.
    static func loaded(_ item: Item, config: WidgetConfig = WidgetConfig(itemId: itemID),
                       size: Size = Size(width: 80, height: 24)) -> (Widget, [Effect]) {
        var widget = Widget(config: config, size: size)
        let effects = widget.send(.reply(BackendReply(request: 1, kind: .load, result: .success(item))))
        widget.log = []
        return (widget, effects)
    }

    @discardableResult
    mutating func send(_ message: Message) -> [Effect] {
        let effects = ConnectEngine.update(&state, message)
        log += effects
        return effects
    }

    @discardableResult
    mutating func key(_ key: Key, times: Int = 1) -> [Effect] {
        var all: [Effect] = []
        for _ in 0..<times { all += send(.key(key)) }
        return all
    }

    /// Types each character as a key press.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        var all: [Effect] = []
        for character in text { all += send(.key(.character(character))) }
        return all
    }

    @discardableResult
    mutating func paste(_ text: String) -> [Effect] { send(.paste(text)) }

    @discardableResult
    mutating func tick(_ seconds: Double) -> [Effect] { send(.tick(at(seconds))) }

    @discardableResult
    mutating func reply(_ request: Int, _ kind: RequestKind, _ item: Item) -> [Effect] {
        send(.reply(BackendReply(request: request, kind: kind, result: .success(item))))
    }

    @discardableResult
    mutating func fail(_ request: Int, _ kind: RequestKind, _ error: PluggyAPIError) -> [Effect] {
        send(.reply(BackendReply(request: request, kind: kind, result: .failure(error))))
    }

    /// The form's fields' texts, by credential name.
    var texts: [String: String] {
        Dictionary(uniqueKeysWithValues: (state.form?.fields ?? []).map { ($0.credential.name, $0.text) })
    }

    func field(_ name: String) -> Field? { state.form?.fields.first { $0.credential.name == name } }

    var focus: Int? { state.form?.focus }

    func render(theme: Theme = .color) -> Canvas { Screens.render(state, theme: theme) }
}

// MARK: - Reading effects

extension Effect {
    /// The request id and kind of a backend effect.
    var request: (id: Int, kind: RequestKind)? {
        switch self {
        case .fetchItem(let id, let kind, _): return (id, kind)
        case .updateItem(let id, _, _): return (id, .update)
        case .sendMFA(let id, _, _): return (id, .mfa)
        default: return nil
        }
    }

    var event: WidgetEvent? {
        if case .emit(let event) = self { return event }
        return nil
    }

    var outcome: Outcome? {
        if case .finish(let outcome) = self { return outcome }
        return nil
    }
}

/// The event names among `effects`, in order.
func events(_ effects: [Effect]) -> [String] { effects.compactMap { $0.event?.event } }

/// The backend effects among `effects`.
func requests(_ effects: [Effect]) -> [Effect] { effects.filter { $0.request != nil } }

func event(_ name: String, _ seconds: Double = 0, item: Item? = nil, error: (String, String)? = nil) -> Effect {
    .emit(WidgetEvent(event: name, at: at(seconds), item: item,
                      error: error.map { WidgetEvent.EventError(code: $0.0, message: $0.1) }))
}

// MARK: - Reading canvases

extension Canvas {
    /// Every row, unmasked, as text.
    var rawText: String { (0..<height).map { row($0, masked: false) }.joined(separator: "\n") }

    /// Where `text` starts (column, row), matching cell by cell (wide characters count as one cell).
    func find(_ text: String) -> Position? {
        let needle = text.map(String.init)
        guard !needle.isEmpty else { return nil }
        for y in 0..<height {
            let cells = (0..<width).map { (x: $0, cell: self[$0, y]) }.filter { $0.cell.width > 0 }
            guard cells.count >= needle.count else { continue }
            for start in 0...(cells.count - needle.count)
            where (0..<needle.count).allSatisfy({ cells[start + $0].cell.text == needle[$0] }) {
                return Position(x: cells[start].x, y: y)
            }
        }
        return nil
    }

    /// Every cell, with its position.
    var allCells: [(x: Int, y: Int, cell: Cell)] {
        (0..<height).flatMap { y in (0..<width).map { x in (x, y, self[x, y]) } }
    }
}
