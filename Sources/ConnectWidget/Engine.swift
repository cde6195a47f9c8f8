#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import TerminalCanvas

/// Pluggy Connect's update mode as a pure state machine: a message and the state give the next state
/// and the effects to perform. No I/O, no clock: time arrives in `.tick` messages.
///
/// "The Item update will start automatically, unless the Item had an INVALID_CREDENTIALS error, or the
/// Connector requires an MFA parameter. In those cases, the required parameters will be presented."
public enum ConnectEngine {
    /// The state as the widget opens, and its first effects (OPEN, then loading the item).
    public static func start(config: WidgetConfig, size: Size, now: Date) -> (WidgetState, [Effect]) {
        var state = WidgetState(config: config, size: size, now: now)
        var effects: [Effect] = [.emit(WidgetEvent(event: WidgetEvent.open, at: now))]
        effects.append(request(&state, kind: .load))
        return (state, effects)
    }

    /// Applies `message` to `state`; returns the effects to perform, in order.
    public static func update(_ state: inout WidgetState, _ message: Message) -> [Effect] {
        guard !state.closed else { return [] }
        switch message {
        case .resize(let size):
            state.size = size
            if state.showHelp { state.helpScroll = min(state.helpScroll, Screens.helpScrollLimit(state)) }
            return []
        case .tick(let now):
            if now > state.now { state.now = now }
            return tick(&state)
        case .key(let key):
            return handleKey(&state, key)
        case .paste(let text):
            return handlePaste(&state, text)
        case .reply(let reply):
            return handleReply(&state, reply)
        case .simulatorReply(let reply):
            return handleSimulator(&state, reply)
        }
    }

    // MARK: - Time

    static func tick(_ state: inout WidgetState) -> [Effect] {
        var effects: [Effect] = []
        let polling = state.inFlight.values.contains(.poll)
        switch state.step {
        case .progress:
            if var run = state.run, state.now >= run.nextPollAt, !polling, !hasMutationInFlight(state) {
                run.nextPollAt = state.now.addingTimeInterval(state.config.pollInterval)
                state.run = run
                effects.append(request(&state, kind: .poll))
            }
        case .mfa:
            if let expiresAt = state.waitExpiresAt, state.now >= expiresAt, state.prompt?.expiryChecked == false, !polling {
                state.prompt?.expiryChecked = true
                effects.append(request(&state, kind: .poll))
            }
        case .authorization:
            // The user acts outside the widget: keep looking, as Pluggy Connect does.
            if var run = state.run, state.now >= run.nextPollAt, !polling, !state.simulatorInFlight {
                run.nextPollAt = state.now.addingTimeInterval(max(state.config.pollInterval, 1))
                state.run = run
                effects.append(request(&state, kind: .poll))
            }
        default:
            break
        }
        return effects
    }

    // MARK: - Backend replies

    static func handleReply(_ state: inout WidgetState, _ reply: BackendReply) -> [Effect] {
        state.inFlight[reply.request] = nil
        if reply.kind == .poll, reply.request < state.lastMutation { return [] }  // stale: a newer change is on its way
        switch reply.result {
        case .success(let item):
            var effects: [Effect] = []
            if reply.kind == .update || reply.kind == .mfa {
                effects.append(.emit(WidgetEvent(event: WidgetEvent.itemResponse, at: state.now, item: item)))
            }
            state.callError = nil
            if reply.kind == .load {
                return effects + opened(&state, item)
            }
            return effects + apply(&state, item)
        case .failure(let error):
            return failed(&state, reply.kind, error)
        }
    }

    /// The item is loaded: show what it needs.
    static func opened(_ state: inout WidgetState, _ item: Item) -> [Effect] {
        state.item = item
        if item.isRunning {
            state.run = RunProgress(startedAt: state.now, withCredentials: false, pollInterval: state.config.pollInterval)
            state.step = .progress
            return []
        }
        if item.status == .waitingUserInput || item.status == .waitingUserAction {
            state.run = RunProgress(startedAt: state.now, withCredentials: false, pollInterval: state.config.pollInterval)
            return apply(&state, item)
        }
        if item.updateModeAsksForParameters {
            let refused = item.executionStatus == .invalidCredentials || item.executionStatus == .accountCredentialsReset
            showForm(&state, banner: refused ? item.error?.message : nil)
            return []
        }
        return startUpdate(&state, parameters: nil)
    }

    /// A new snapshot of the item while the widget follows an execution.
    static func apply(_ state: inout WidgetState, _ item: Item) -> [Effect] {
        state.item = item
        guard var run = state.run else { return [] }
        var effects: [Effect] = []
        if run.steps.last != item.executionStatus { run.steps.append(item.executionStatus) }
        let collecting = ExecutionStatus.inProgress.contains(item.executionStatus)
            && ![ExecutionStatus.loginInProgress, .loginMFAInProgress, .waitingUserInput, .waitingUserAction].contains(item.executionStatus)
        if !run.loginReported, collecting || item.executionStatus == .success || item.executionStatus == .partialSuccess {
            run.loginReported = true
            let name = run.mfaSubmitted ? WidgetEvent.loginMFASuccess : WidgetEvent.loginSuccess
            effects.append(.emit(WidgetEvent(event: name, at: state.now, item: item)))
            effects.append(.emit(WidgetEvent(event: WidgetEvent.loginStepCompleted, at: state.now, item: item)))
        }
        state.run = run

        switch item.status {
        case .updating, .merging:
            state.step = .progress
        case .waitingUserInput:
            guard let parameter = item.parameter else {
                state.step = .progress
                return effects
            }
            if state.prompt?.field.credential.name != parameter.name || state.prompt?.field.credential.expiresAt != parameter.expiresAt {
                state.prompt = MFAPrompt(parameter: parameter)
            }
            state.step = .mfa
        case .waitingUserAction:
            state.step = .authorization
        case .updated:
            state.run = nil
            state.banner = nil
            state.finished = .success(item)
            state.step = .result
            effects.append(.emit(WidgetEvent(event: WidgetEvent.success, at: state.now, item: item)))
        default:
            effects += executionFailed(&state, item)
        }
        return effects
    }

    /// The execution ended in an error: back to the form, a new MFA prompt, or the result screen.
    static func executionFailed(_ state: inout WidgetState, _ item: Item) -> [Effect] {
        state.run = nil
        let code = item.error?.code ?? item.executionStatus
        let message = item.error?.message ?? code.rawValue
        state.finished = .error(code: code.rawValue, message: message, item: item)
        var effects: [Effect] = [.emit(WidgetEvent(
            event: WidgetEvent.error, at: state.now, item: item,
            error: WidgetEvent.EventError(code: code.rawValue, message: message)))]
        switch code {
        case .invalidCredentials, .accountCredentialsReset:
            // New credentials are the only way out (the bank reset them, or refused them).
            showForm(&state, banner: message, keepValues: true)
        case .invalidCredentialsMFA where item.connector.oneStepMFACredential != nil:
            // Only the token was wrong: keep the password, ask for a new token.
            showForm(&state, banner: message, keepValues: true, keepSecrets: true)
            if let index = state.form?.fields.firstIndex(where: { $0.credential.mfa == true }) {
                state.form?.fields[index].text = ""
                state.form?.fields[index].cursor = 0
                state.form?.fields[index].error = .refused(message)
                state.form?.focus = index
            }
        case .invalidCredentialsMFA:
            // A wrong code comes back to a new prompt, with Pluggy's message.
            effects += startUpdate(&state, parameters: nil)
            state.banner = message
        default:
            state.banner = nil
            state.step = .result
        }
        return effects
    }

    static func failed(_ state: inout WidgetState, _ kind: RequestKind, _ error: PluggyAPIError) -> [Effect] {
        switch (kind, error.kind) {
        case (.load, _), (_, .unauthorized), (_, .forbidden), (.update, .notFound), (.poll, .notFound):
            // The token or the item is refused: nothing else can work.
            state.openingError = error
            state.run = nil
            state.step = .openingFailed
            return callFailed(&state, error, eventItem: nil)
        case (.update, .badRequest) where !(error.details ?? []).isEmpty:
            state.run = nil
            if state.form == nil { showForm(&state, banner: error.message, keepValues: true) }
            state.step = .credentials
            state.banner = error.message
            markRefused(&state, error)
            return []
        case (.mfa, .notFound):
            // Pluggy answers 404 when the item no longer waits for an answer (expired or already sent):
            // look at the item rather than giving up.
            return [request(&state, kind: .poll)]
        case (.mfa, .badRequest):
            if error.codeDescription == "ITEM_NOT_WAITING_USER_INPUT" {
                return [request(&state, kind: .poll)]
            }
            state.step = .mfa
            if let detail = error.details?.first { state.prompt?.field.error = .refused(detail.message) }
            return []
        case (.update, .conflict):
            // Someone else's update is running: follow it.
            state.run = RunProgress(startedAt: state.now, withCredentials: false, pollInterval: state.config.pollInterval)
            state.step = .progress
            return [request(&state, kind: .poll)]
        case (.poll, _):
            state.callError = error
            return []
        default:
            // 429, 5xx, unreachable: the call itself failed; offer to retry.
            state.callError = error
            state.run = nil
            state.step = .result
            return callFailed(&state, error, eventItem: state.item)
        }
    }

    /// A call that failed outright ends the flow in that error: recorded for the outcome, and an ERROR event.
    static func callFailed(_ state: inout WidgetState, _ error: PluggyAPIError, eventItem: Item?) -> [Effect] {
        let code = error.codeDescription ?? "HTTP_\(error.code)"
        state.finished = .error(code: code, message: error.message, item: state.item)
        return [.emit(WidgetEvent(event: WidgetEvent.error, at: state.now, item: eventItem,
                                  error: WidgetEvent.EventError(code: code, message: error.message)))]
    }

    static func markRefused(_ state: inout WidgetState, _ error: PluggyAPIError) {
        guard var form = state.form else { return }
        var firstBad: Int?
        for detail in error.details ?? [] {
            guard let index = form.fields.firstIndex(where: { $0.credential.name == detail.parameter }) else { continue }
            form.fields[index].error = .refused(detail.message)
            firstBad = firstBad.map { min($0, index) } ?? index
        }
        if let firstBad { form.focus = firstBad }
        state.form = form
    }

    // MARK: - Simulator

    static func handleSimulator(_ state: inout WidgetState, _ reply: SimulatorReply) -> [Effect] {
        state.inFlight[reply.request] = nil
        state.simulatorInFlight = false
        switch reply.result {
        case .success(let result):
            if reply.action == .autoSync {
                state.autoSync = result
                state.item = result.item
                state.step = .autoSync
                return []
            }
            return apply(&state, result.item)
        case .failure(let error):
            state.callError = error
            return []
        }
    }

    // MARK: - Starting things

    static func request(_ state: inout WidgetState, kind: RequestKind) -> Effect {
        let id = state.nextRequest
        state.nextRequest += 1
        state.inFlight[id] = kind
        return .fetchItem(request: id, kind: kind, itemId: state.config.itemId)
    }

    static func hasMutationInFlight(_ state: WidgetState) -> Bool {
        state.inFlight.values.contains { $0 == .update || $0 == .mfa } || state.simulatorInFlight
    }

    static func startUpdate(_ state: inout WidgetState, parameters: [String: String]?) -> [Effect] {
        let id = state.nextRequest
        state.nextRequest += 1
        state.inFlight[id] = .update
        state.lastMutation = id
        state.run = RunProgress(startedAt: state.now, withCredentials: parameters != nil, pollInterval: state.config.pollInterval)
        state.lastSubmitted = parameters
        state.prompt = nil
        state.step = .progress
        state.banner = nil
        state.callError = nil
        state.autoSync = nil
        var effects: [Effect] = []
        if parameters != nil {
            effects.append(.emit(WidgetEvent(event: WidgetEvent.submittedLogin, at: state.now)))
        }
        effects.append(.updateItem(request: id, itemId: state.config.itemId, parameters: parameters))
        return effects
    }

    static func showForm(_ state: inout WidgetState, banner: String?, keepValues: Bool = false, keepSecrets: Bool = false) {
        guard let connector = state.item?.connector else { return }
        var form = CredentialsForm(credentials: connector.credentials)
        if keepValues, let old = state.form {
            for index in form.fields.indices {
                guard let previous = old.fields.first(where: { $0.credential.name == form.fields[index].credential.name }) else { continue }
                // Keep what the user typed, except secrets after a refusal (typed again) and MFA values
                // (single-use: Pluggy refuses the last one).
                if previous.credential.mfa != true, !previous.isSecret || banner == nil || keepSecrets {
                    form.fields[index].text = previous.text
                    form.fields[index].cursor = previous.text.count
                    form.fields[index].option = previous.option
                }
            }
            form.focus = form.fields.firstIndex(where: { $0.isSecret && $0.text.isEmpty }) ?? 0
        }
        state.form = form
        state.banner = banner
        state.step = .credentials
    }

    static func submitForm(_ state: inout WidgetState) -> [Effect] {
        guard var form = state.form else { return [] }
        var firstBad: Int?
        for index in form.fields.indices {
            form.fields[index].error = validate(form.fields[index])
            if form.fields[index].error != nil, firstBad == nil { firstBad = index }
        }
        if let firstBad {
            form.focus = firstBad
            state.form = form
            return []
        }
        var parameters: [String: String] = [:]
        for field in form.fields where !(field.credential.isOptional && field.value.isEmpty) {
            parameters[field.credential.name] = field.value
        }
        state.form = form
        return startUpdate(&state, parameters: parameters)
    }

    static func submitPrompt(_ state: inout WidgetState) -> [Effect] {
        guard var prompt = state.prompt else { return [] }
        prompt.field.error = validate(prompt.field)
        state.prompt = prompt
        guard prompt.field.error == nil else { return [] }
        let id = state.nextRequest
        state.nextRequest += 1
        state.inFlight[id] = .mfa
        state.lastMutation = id
        state.run?.mfaSubmitted = true
        state.banner = nil
        state.step = .progress
        let parameters = [prompt.field.credential.name: prompt.field.value]
        return [
            .emit(WidgetEvent(event: WidgetEvent.submittedMFA, at: state.now)),
            .sendMFA(request: id, itemId: state.config.itemId, parameters: parameters),
        ]
    }

    static func simulate(_ state: inout WidgetState, _ action: SimulatorAction) -> [Effect] {
        guard state.config.simulator, !state.simulatorInFlight else { return [] }
        let id = state.nextRequest
        state.nextRequest += 1
        state.lastMutation = id
        state.simulatorInFlight = true
        return [.simulate(request: id, action: action, itemId: state.config.itemId)]
    }

    /// Closes the widget: CLOSE, then the outcome (success, the last error, or closed first).
    static func close(_ state: inout WidgetState) -> [Effect] {
        state.closed = true
        let outcome: Outcome
        switch state.finished {
        case .success(let item):
            outcome = Outcome(.success, item: state.item ?? item)
        case .error(let code, let message, let item):
            outcome = Outcome(.error, item: state.item ?? item, error: Outcome.OutcomeError(code: code, message: message))
        case nil:
            outcome = Outcome(.closed, item: state.item)
        }
        return [.emit(WidgetEvent(event: WidgetEvent.close, at: state.now)), .finish(outcome)]
    }

    /// The problem with a field's value, or nil when it may be sent.
    public static func validate(_ field: Field) -> FieldError? {
        if field.isSelect { return nil }
        let value = field.text
        if value.isEmpty { return field.credential.isOptional ? nil : .required }
        if let pattern = field.credential.validation, let regex = try? Regex(pattern),
            (try? regex.firstMatch(in: value)) == nil
        {
            return .invalid(field.credential.validationMessage)
        }
        return nil
    }

    /// Whether the result on screen offers to start again, and how.
    public static func retryAvailable(_ state: WidgetState) -> Bool {
        guard state.step == .result, case .error(let code, _, _)? = state.finished else { return false }
        if state.callError != nil { return true }
        return Explanations.retryable(ExecutionStatus(rawValue: code))
    }
}
