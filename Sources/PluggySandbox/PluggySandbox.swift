#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy

/// An offline re-creation of Pluggy's sandbox: items, their executions, MFA, device and consent
/// authorizations, connect tokens and the daily auto-sync, deterministic under an injected clock.
///
/// Executions are timelines: each step has a due time, and the item is advanced to the clock's present
/// whenever it is read, so nothing runs in the background and the same clock gives the same history.
/// Waits for the user (MFA, authorization) end in a timeout once the clock passes their `expiresAt`.
public actor PluggySandbox {
    public nonisolated let clock: any TimeSource
    public nonisolated let speed: SandboxSpeed
    public nonisolated let tokens: ConnectTokenIssuer
    public nonisolated let catalogue: Catalogue

    private var records: [String: ItemRecord] = [:]
    /// Tokens whose signature was already checked, with their claims.
    private var verifiedTokens: [String: ConnectTokenClaims] = [:]
    /// Webhook-style events (`item/updated`, `item/error`, …), in order.
    public private(set) var events: [ItemEvent] = []
    /// Called with every event as it happens (the HTTP server delivers them to `webhookUrl`).
    private var eventHandler: (@Sendable (ItemEvent, Item) -> Void)?

    /// Sets the function told about every event, with the item as it is then.
    public func onEvent(_ handler: @escaping @Sendable (ItemEvent, Item) -> Void) { eventHandler = handler }

    /// Sets where the item's webhooks go (`PATCH /items/{id}` or `POST /connect_token` with `webhookUrl`).
    public func setWebhookURL(itemId: String, url: String?) throws(PluggyAPIError) {
        var record = try advanced(itemId)
        if let url {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw .parameterValidation([ParameterValidationError(
                    code: ParameterValidationError.ruleValidationError, message: "webhookUrl must be an http(s) URL.", parameter: "webhookUrl")])
            }
        }
        record.item.webhookUrl = url
        records[itemId] = record
    }

    public init(catalogue: Catalogue, clock: any TimeSource = SystemClock(), speed: SandboxSpeed = .realistic,
                tokens: ConnectTokenIssuer = .standard(environment: [:])) {
        self.catalogue = catalogue
        self.clock = clock
        self.speed = speed
        self.tokens = tokens
        for scenario in catalogue.scenarios {
            let behavior = catalogue.connector(id: scenario.item.connector.id)?.sandbox ?? SandboxBehavior()
            records[scenario.item.id] = ItemRecord(item: scenario.item, behavior: behavior, stored: scenario.stored)
        }
    }

    // MARK: - Pluggy's API, as a connect token reaches it

    /// `POST /connect_token {itemId}`: a token for `itemId`, valid `lifetime` seconds from now.
    public func mintConnectToken(itemId: String, lifetime: Int = ConnectTokenIssuer.defaultLifetime) throws(PluggyAPIError) -> String {
        guard records[itemId] != nil else { throw .itemNotFound(itemId) }
        guard (1...ConnectTokenIssuer.maximumLifetime).contains(lifetime) else {
            throw PluggyAPIError(code: 400, codeDescription: "INVALID_EXPIRATION",
                                 message: "A token lives from 1 second to one year (\(ConnectTokenIssuer.maximumLifetime) seconds).")
        }
        return tokens.mint(itemId: itemId, now: clock.now(), lifetime: lifetime)
    }

    /// `GET /items/{id}`.
    public func item(id: String, connectToken: String) throws(PluggyAPIError) -> Item {
        try authorize(connectToken, itemId: id)
        return try current(id)
    }

    /// `PATCH /items/{id}`: starts an execution with `parameters` merged over the stored credentials, or
    /// the stored ones alone when nil. Refused with 409 while another execution runs, with 400 when a
    /// parameter is missing or invalid (an MFA 1-step value must be new).
    public func update(id: String, parameters: [String: String]?, connectToken: String,
                       triggeredBy: TriggeredBy = .user) throws(PluggyAPIError) -> Item {
        try authorize(connectToken, itemId: id)
        return try startExecution(id: id, parameters: parameters, trigger: triggeredBy)
    }

    /// `POST /items/{id}/mfa`: answers the parameter the item waits for.
    public func sendMFA(id: String, parameters: [String: String], connectToken: String) throws(PluggyAPIError) -> Item {
        try authorize(connectToken, itemId: id)
        var record = try advanced(id)
        guard var run = record.run, case .mfa(let stepIndex, _)? = run.waiting, let mfa = record.behavior.mfa,
            stepIndex < mfa.steps.count
        else { throw .itemNotWaitingUserInput }
        let parameter = mfa.steps[stepIndex]
        if let problem = Validation.problem(with: parameters[parameter.name], for: parameter) {
            throw .parameterValidation([problem])
        }
        let answer = parameters[parameter.name] ?? ""
        let isLast = stepIndex == mfa.steps.count - 1
        var plan: [Planned] = [Planned(0, .progress(.loginMFAInProgress))]
        let check = speed.duration(1.2)
        if !isLast {
            plan.append(Planned(check, .waitMFA(stepIndex + 1)))
        } else if answer == SandboxUsers.mfaCode {
            plan += postLogin(record).delayed(by: check)
        } else {
            plan.append(Planned(check, .finish(.invalidCredentialsMFA)))
        }
        run.waiting = nil
        run.steps = schedule(plan, from: clock.now())
        record.run = run
        records[id] = record
        return try current(id)
    }

    /// Waits until the item differs from `after`, or returns it at once when it is not running.
    public func nextSnapshot(after item: Item, connectToken: String) async throws(PluggyAPIError) -> Item {
        try authorize(connectToken, itemId: item.id)
        while true {
            let now = try current(item.id)
            guard now == item, now.isRunning, let due = records[item.id]?.run?.steps.first?.at else { return now }
            do {
                try await clock.sleep(until: due)
            } catch {
                return now
            }
        }
    }

    // MARK: - Simulator controls (what the user does outside the widget, and what Pluggy does daily)

    /// The item as it is now, without a token: for the simulator and tests.
    public func snapshot(itemId: String) throws(PluggyAPIError) -> Item { try current(itemId) }

    /// The user approves on their device, or grants consent on the bank's page.
    public func approveAuthorization(itemId: String) throws(PluggyAPIError) -> Item {
        var record = try advanced(itemId)
        guard var run = record.run, case .authorization? = run.waiting else { throw .itemNotWaitingUserAction }
        record.stored.authorizationGranted = true
        if record.behavior.authorization?.kind == .oauth {
            record.item.consentExpiresAt = clock.now().addingTimeInterval(365 * 86_400)
        }
        run.waiting = nil
        let plan = [Planned(0, .progress(.loginInProgress))] + dataCollection(record).delayed(by: speed.duration(1.0))
        run.steps = schedule(plan, from: clock.now())
        record.run = run
        records[itemId] = record
        return try current(itemId)
    }

    /// The user refuses on their device or on the bank's page.
    public func denyAuthorization(itemId: String) throws(PluggyAPIError) -> Item {
        var record = try advanced(itemId)
        guard var run = record.run, case .authorization? = run.waiting else { throw .itemNotWaitingUserAction }
        run.waiting = nil
        run.steps = schedule([Planned(0, .finish(.userAuthorizationNotGranted))], from: clock.now())
        record.run = run
        records[itemId] = record
        return try current(itemId)
    }

    /// The user changes their password at the bank: the stored one stops working.
    public func changePasswordAtBank(itemId: String) throws(PluggyAPIError) {
        var record = try advanced(itemId)
        record.stored.passwordChangedAtBank = true
        records[itemId] = record
    }

    /// Runs the next daily auto-sync of the item now, to its end, as Pluggy would with nobody present.
    ///
    /// An item in LOGIN_ERROR is skipped until new credentials arrive. Otherwise the stored credentials
    /// log in; when the institution asks for the user (an MFA code, a new MFA 1-step value, a first
    /// device authorization) nobody answers and the wait expires: USER_INPUT_TIMEOUT (or
    /// USER_AUTHORIZATION_PENDING), item OUTDATED. OUTDATED rather than LOGIN_ERROR because the
    /// credentials were accepted and a later update can succeed ("the parameters were correctly
    /// validated, but there was an error in the last execution. It can be retried").
    public func runDailyAutoSync(itemId: String) throws(PluggyAPIError) -> AutoSyncReport {
        var record = try advanced(itemId)
        guard record.run == nil else { throw .itemAlreadyUpdating }
        if record.item.connector.health?.status == .offline {
            return AutoSyncReport(
                outcome: .skipped, path: [],
                reason: "Skipped: \(record.item.connector.name) is offline and Pluggy refuses connections to it for now.",
                item: record.item)
        }
        if record.item.status == .loginError {
            return AutoSyncReport(
                outcome: .skipped, path: [],
                reason: "Skipped: the item is in LOGIN_ERROR, and Pluggy does not auto-sync it until new credentials are provided.",
                item: record.item)
        }
        let connector = record.item.connector
        var run = Run(trigger: .sync, credentials: record.stored.parameters, newCredentials: false,
                      collection: .success)
        let plan: [Planned]
        if let mfa = connector.oneStepMFACredential {
            plan = [Planned(0, .progress(.loginInProgress)),
                    Planned(0, .finish(.userInputTimeout, message: "\(connector.name) needs a new \(mfa.label) at every login; the automatic sync cannot provide one."))]
        } else {
            (plan, run.collection) = loginPlan(record, credentials: run.credentials, newCredentials: false)
        }
        let now = clock.now()
        run.steps = plan.map { Step(at: now, action: $0.action) }
        record.run = run
        var path: [ExecutionStatus] = []
        while let current = record.run {
            if let wait = current.waiting {
                let (code, message) = unattendedTimeout(wait, connectorName: connector.name)
                record.run?.waiting = nil
                apply(.finish(code, message: message), at: now, to: &record)
                path.append(record.item.executionStatus)
                break
            }
            guard let step = current.steps.first else { break }
            record.run?.steps.removeFirst()
            apply(step.action, at: now, to: &record)
            if path.last != record.item.executionStatus { path.append(record.item.executionStatus) }
        }
        records[itemId] = record
        let item = record.item
        let outcome: AutoSyncReport.Outcome = item.status == .updated ? .synced : .failed
        let reason: String
        switch outcome {
        case .synced: reason = "Synced with the stored credentials: \(item.executionStatus)."
        default: reason = "Failed: \(item.executionStatus): \(item.error?.message ?? "")"
        }
        return AutoSyncReport(outcome: outcome, path: path, reason: reason, item: item)
    }

    // MARK: - Executions

    private func startExecution(id: String, parameters: [String: String]?, trigger: TriggeredBy) throws(PluggyAPIError) -> Item {
        var record = try advanced(id)
        guard record.run == nil else { throw .itemAlreadyUpdating }
        let connector = record.item.connector
        if connector.health?.status == .offline {
            throw PluggyAPIError(code: 400, codeDescription: "CONNECTOR_OFFLINE",
                                 message: "\(connector.name) is offline: Pluggy refuses all connections to it for now.")
        }
        let given = (parameters ?? [:]).filter { name, _ in connector.credentials.contains { $0.name == name } }
        var merged = record.stored.parameters
        for (name, value) in given where connector.credentials.first(where: { $0.name == name })?.mfa != true {
            merged[name] = value
        }
        var problems: [ParameterValidationError] = []
        for credential in connector.credentials {
            if credential.mfa == true {
                let value = given[credential.name]
                if value == nil || value?.isEmpty == true {
                    problems.append(ParameterValidationError(
                        code: ParameterValidationError.missingRequiredParameter,
                        message: "The parameter \(credential.name) is required to be renewed for item update.",
                        parameter: credential.name))
                } else if let problem = Validation.problem(with: value, for: credential) {
                    problems.append(problem)
                } else if value == record.stored.lastMFAValue {
                    problems.append(ParameterValidationError(
                        code: ParameterValidationError.ruleValidationError,
                        message: "The parameter \(credential.name) must be different from the one used in the last execution.",
                        parameter: credential.name))
                }
            } else if given[credential.name] != nil || !credential.isOptional {
                if let problem = Validation.problem(with: merged[credential.name], for: credential) {
                    problems.append(problem)
                }
            }
        }
        guard problems.isEmpty else { throw .parameterValidation(problems) }

        var credentials = merged
        if let mfa = connector.oneStepMFACredential, let value = given[mfa.name] {
            credentials[mfa.name] = value
            record.stored.lastMFAValue = value
        }
        // New credentials: the user typed a password (not just an MFA value or the user name).
        let newCredentials = given.keys.contains { name in
            connector.credentials.contains { $0.name == name && $0.type == .password && $0.mfa != true }
        }
        let (plan, collection) = loginPlan(record, credentials: credentials, newCredentials: newCredentials)
        var run = Run(trigger: trigger, credentials: merged, newCredentials: newCredentials, collection: collection)
        run.steps = schedule(plan, from: clock.now())
        record.run = run
        records[id] = record
        return try current(id)
    }

    /// The login: LOGIN_IN_PROGRESS, then refused, or accepted and on to MFA / authorization / data.
    private func loginPlan(_ record: ItemRecord, credentials: [String: String], newCredentials: Bool)
        -> ([Planned], SandboxUsers.Collection)
    {
        var plan = [Planned(0, .progress(.loginInProgress))]
        let loginTime = speed.duration(1.6)
        if record.stored.passwordChangedAtBank, !newCredentials {
            plan.append(Planned(loginTime, .finish(.invalidCredentials,
                message: "Invalid credentials: the institution no longer accepts the stored password.")))
            return (plan, .success)
        }
        // Connectors with no login form (Open Finance) log in by consent, not by sandbox user.
        let byConsent = record.item.connector.credentials.isEmpty && record.behavior.authorization?.kind == .oauth
        let login = !byConsent
            ? SandboxUsers.login(user: credentials["user"], password: credentials["password"]) : .accepted(.success)
        switch login {
        case .rejected(let code, let providerMessage):
            plan.append(Planned(loginTime, .finish(code, providerMessage: providerMessage)))
            return (plan, .success)
        case .accepted(let collection):
            if let mfa = record.item.connector.oneStepMFACredential, !SandboxUsers.authenticatorCodes.contains(credentials[mfa.name] ?? "") {
                plan.append(Planned(loginTime, .finish(.invalidCredentialsMFA)))
                return (plan, collection)
            }
            plan.append(Planned(loginTime, .credentialsAccepted))
            if record.behavior.mfa != nil {
                plan.append(Planned(0, .waitMFA(0)))
            } else {
                plan += postLogin(record)
            }
            return (plan, collection)
        }
    }

    /// After the login (and its MFA): a wait for authorization when one is due, else the data.
    private func postLogin(_ record: ItemRecord) -> [Planned] {
        if let authorization = record.behavior.authorization, !authorizationStillValid(record, authorization) {
            return [Planned(0, .waitAuthorization)]
        }
        return dataCollection(record)
    }

    /// A first-time authorization holds once granted; an Open Finance consent only until it expires.
    private func authorizationStillValid(_ record: ItemRecord, _ authorization: SandboxBehavior.Authorization) -> Bool {
        guard authorization.firstTimeOnly, record.stored.authorizationGranted else { return false }
        if authorization.kind == .oauth, let expiry = record.item.consentExpiresAt, expiry <= clock.now() { return false }
        return true
    }

    /// Collecting each product, then SUCCESS or PARTIAL_SUCCESS.
    private func dataCollection(_ record: ItemRecord) -> [Planned] {
        var plan = [Planned(0, .loginComplete)]
        for product in products(of: record.item) {
            if let step = ExecutionOutcomes.step(for: product) { plan.append(Planned(speed.duration(0.9), .progress(step))) }
        }
        plan.append(Planned(speed.duration(0.9), .collected))
        return plan
    }

    private func products(of item: Item) -> [ProductType] {
        let chosen = item.products ?? item.connector.products ?? [.accounts, .creditCards, .transactions, .identity]
        return ProductType.known.filter { chosen.contains($0) }
    }

    private func schedule(_ plan: [Planned], from start: Date) -> [Step] {
        var at = start
        return plan.map { planned in
            at = at.addingTimeInterval(planned.delay)
            return Step(at: at, action: planned.action)
        }
    }

    private func unattendedTimeout(_ wait: Wait, connectorName: String) -> (ExecutionStatus, String) {
        switch wait {
        case .mfa:
            return (.userInputTimeout, "\(connectorName) asked for an MFA code during the automatic sync and nobody was there to answer it.")
        case .authorization:
            return (.userAuthorizationPending, "\(connectorName) asked the user to authorize access during the automatic sync and nobody did.")
        }
    }

    // MARK: - State

    private func authorize(_ token: String, itemId: String) throws(PluggyAPIError) {
        let now = clock.now()
        // A token's signature is checked once; its expiry and scope at every call.
        if let claims = verifiedTokens[token] {
            if claims.expiresAt <= now { throw ConnectTokenError.expired(at: claims.expiresAt).apiError }
            guard claims.isAPIKey || claims.itemId == itemId else {
                throw ConnectTokenError.issuedForAnotherItem(tokenItemId: claims.itemId).apiError
            }
            return
        }
        do {
            let claims = try tokens.verify(token, itemId: itemId, now: now)
            if verifiedTokens.count >= 4096 { verifiedTokens.removeAll(keepingCapacity: true) }
            verifiedTokens[token] = claims
        } catch {
            throw error.apiError
        }
    }

    private func current(_ id: String) throws(PluggyAPIError) -> Item { try advanced(id).item }

    /// The record, with every step due by now applied and expired waits timed out.
    private func advanced(_ id: String) throws(PluggyAPIError) -> ItemRecord {
        guard var record = records[id] else { throw .itemNotFound(id) }
        let now = clock.now()
        while let run = record.run {
            if let wait = run.waiting {
                guard now >= wait.expiresAt else { break }
                record.run?.waiting = nil
                switch wait {
                case .mfa: apply(.finish(.userInputTimeout), at: wait.expiresAt, to: &record)
                case .authorization: apply(.finish(.userAuthorizationPending), at: wait.expiresAt, to: &record)
                }
                break
            }
            guard let step = run.steps.first, step.at <= now else { break }
            record.run?.steps.removeFirst()
            apply(step.action, at: step.at, to: &record)
        }
        records[id] = record
        return record
    }

    private func apply(_ action: Action, at: Date, to record: inout ItemRecord) {
        guard let run = record.run else { return }
        switch action {
        case .progress(let status):
            record.item.status = .updating
            record.item.executionStatus = status
            record.item.error = nil
            record.item.parameter = nil
            record.item.userAction = nil
            record.item.statusDetail = nil
            record.item.updatedAt = at

        case .credentialsAccepted:
            record.stored.parameters = run.credentials
            record.stored.passwordChangedAtBank = false
            record.item.consecutiveFailedLoginAttempts = 0

        case .loginComplete:
            emit("item/login_succeeded", record: record, trigger: run.trigger, at: at)

        case .waitMFA(let index):
            guard let mfa = record.behavior.mfa, index < mfa.steps.count else { return }
            let expiresAt = at.addingTimeInterval(Double(mfa.expiresInSeconds))
            var parameter = mfa.steps[index]
            parameter.expiresAt = expiresAt
            record.item.status = .waitingUserInput
            record.item.executionStatus = .waitingUserInput
            record.item.parameter = parameter
            record.item.updatedAt = at
            record.run?.steps = []
            record.run?.waiting = .mfa(step: index, expiresAt: expiresAt)
            emit("item/waiting_user_input", record: record, trigger: run.trigger, at: at)

        case .waitAuthorization:
            guard let authorization = record.behavior.authorization else { return }
            let expiresAt = at.addingTimeInterval(Double(authorization.expiresInSeconds))
            var attributes: [String: String]? = nil
            if authorization.kind == .oauth, let url = authorization.consentUrl ?? record.item.connector.oauthUrl {
                attributes = ["consentUrl": url]
            }
            record.item.status = .waitingUserAction
            record.item.executionStatus = .waitingUserAction
            record.item.userAction = UserAction(
                instructions: authorization.instructions, type: .authorizeAccess, attributes: attributes, expiresAt: expiresAt)
            record.item.updatedAt = at
            record.run?.steps = []
            record.run?.waiting = .authorization(expiresAt: expiresAt)
            emit("item/waiting_user_action", record: record, trigger: run.trigger, at: at)

        case .collected:
            let previous = record.item.lastUpdatedAt
            var detail: [String: ItemProductState?] = [:]
            for product in products(of: record.item) {
                guard let key = ExecutionOutcomes.statusDetailKey(product) else { continue }
                detail[key] = ItemProductState(isUpdated: true, lastUpdatedAt: at)
            }
            let code: ExecutionStatus
            switch run.collection {
            case .success:
                code = .success
                record.item.statusDetail = nil
            case .successWithWarnings:
                code = .success
                detail["accounts"] = ItemProductState(isUpdated: true, lastUpdatedAt: at, warnings: [
                    ItemProductWarning(code: "001", message: "Some account fields could not be collected.",
                                       providerMessage: "Saldo bloqueado indisponível no momento."),
                ])
                record.item.statusDetail = ItemProductsStatusDetail(detail)
            case .partialSuccess:
                code = .partialSuccess
                detail["accounts"] = ItemProductState(isUpdated: false, lastUpdatedAt: previous)
                record.item.statusDetail = ItemProductsStatusDetail(detail)
            }
            finish(&record, code: code, error: nil, at: at)

        case .finish(let code, let message, let providerMessage):
            let error = ExecutionErrorResult(
                code: code, message: message ?? ExecutionOutcomes.message(for: code), providerMessage: providerMessage)
            record.item.statusDetail = nil
            finish(&record, code: code, error: error, at: at)
        }
    }

    private func finish(_ record: inout ItemRecord, code: ExecutionStatus, error: ExecutionErrorResult?, at: Date) {
        let trigger = record.run?.trigger ?? .user
        let status = ExecutionOutcomes.itemStatus(for: code)
        record.item.status = status
        record.item.executionStatus = code
        record.item.error = error
        record.item.parameter = nil
        record.item.userAction = nil
        record.item.updatedAt = at
        switch status {
        case .updated:
            record.item.lastUpdatedAt = at
            record.item.nextAutoSyncAt = at.addingTimeInterval(86_400)
        case .loginError:
            record.item.consecutiveFailedLoginAttempts += 1
            record.item.nextAutoSyncAt = nil
        default:
            record.item.nextAutoSyncAt = at.addingTimeInterval(86_400)
        }
        record.run = nil
        if let error {
            emit("item/error", record: record, trigger: trigger, at: at, error: ItemEvent.EventError(code: error.code, message: error.message))
        } else {
            emit("item/updated", record: record, trigger: trigger, at: at)
        }
    }

    private func emit(_ name: String, record: ItemRecord, trigger: TriggeredBy, at: Date, error: ItemEvent.EventError? = nil) {
        let number = events.count + 1
        let digits = String(number)
        let eventId = "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        let event = ItemEvent(
            event: name, eventId: eventId, itemId: record.item.id, triggeredBy: trigger, error: error,
            clientUserId: record.item.clientUserId, at: at)
        events.append(event)
        eventHandler?(event, record.item)
    }
}

// MARK: - Values

/// The outcome of one daily auto-sync.
public struct AutoSyncReport: Codable, Hashable, Sendable {
    public enum Outcome: String, Codable, Hashable, Sendable {
        /// The item synced alone (UPDATED).
        case synced
        /// The sync ran and ended in an error.
        case failed
        /// The sync did not run (LOGIN_ERROR).
        case skipped
    }
    public var outcome: Outcome
    /// The execution statuses the sync went through, in order.
    public var path: [ExecutionStatus]
    /// One sentence saying what happened and why.
    public var reason: String
    public var item: Item
}

/// A webhook-style notification the sandbox emits: Pluggy's item events.
public struct ItemEvent: Codable, Hashable, Sendable {
    public struct EventError: Codable, Hashable, Sendable {
        public var code: ExecutionStatus
        public var message: String
    }
    /// `item/updated`, `item/error`, `item/waiting_user_input`, `item/waiting_user_action`, `item/login_succeeded`.
    public var event: String
    public var eventId: String
    public var itemId: String
    public var triggeredBy: TriggeredBy?
    public var error: EventError?
    public var clientUserId: String?
    /// When it happened (not part of Pluggy's payload).
    public var at: Date
}

struct ItemRecord: Sendable {
    var item: Item
    var behavior: SandboxBehavior
    var stored: StoredState
    var run: Run?
}

struct Run: Sendable {
    var trigger: TriggeredBy
    /// The credentials this execution logs in with (stored once the bank accepts them).
    var credentials: [String: String]
    var newCredentials: Bool
    var collection: SandboxUsers.Collection
    var steps: [Step] = []
    var waiting: Wait?
}

enum Wait: Sendable {
    case mfa(step: Int, expiresAt: Date)
    case authorization(expiresAt: Date)

    var expiresAt: Date {
        switch self {
        case .mfa(_, let at), .authorization(let at): return at
        }
    }
}

struct Step: Sendable {
    var at: Date
    var action: Action
}

enum Action: Sendable {
    case progress(ExecutionStatus)
    case credentialsAccepted
    case loginComplete
    case waitMFA(Int)
    case waitAuthorization
    case collected
    case finish(ExecutionStatus, message: String? = nil, providerMessage: String? = nil)
}

struct Planned: Sendable {
    var delay: Double
    var action: Action
    init(_ delay: Double, _ action: Action) {
        self.delay = delay
        self.action = action
    }
}

extension [Planned] {
    /// The plan with `seconds` more before its first step.
    func delayed(by seconds: Double) -> [Planned] {
        guard var first = self.first else { return self }
        first.delay += seconds
        return [first] + dropFirst()
    }
}

/// Checks a value against a credential's rules, as Pluggy does on PATCH and MFA.
enum Validation {
    static func problem(with value: String?, for credential: ConnectorCredential) -> ParameterValidationError? {
        guard let value, !value.isEmpty else {
            if credential.isOptional { return nil }
            return ParameterValidationError(
                code: ParameterValidationError.missingRequiredParameter,
                message: "The parameter \(credential.label) is required.", parameter: credential.name)
        }
        if credential.type == .select, let options = credential.options, !options.contains(where: { $0.value == value }) {
            return ParameterValidationError(
                code: ParameterValidationError.ruleValidationError,
                message: "Choose one of: " + options.map(\.label).joined(separator: ", ") + ".",
                parameter: credential.name)
        }
        if let pattern = credential.validation, let regex = try? Regex(pattern), (try? regex.firstMatch(in: value)) == nil {
            return ParameterValidationError(
                code: ParameterValidationError.ruleValidationError,
                message: credential.validationMessage ?? "The parameter \(credential.label) is not valid.",
                parameter: credential.name)
        }
        return nil
    }
}

extension PluggySandbox {
    /// `POST /connectors/{id}/validate`: the problems with these credentials, one per parameter.
    public nonisolated func validateParameters(connectorId: Int, parameters: [String: String]) throws(PluggyAPIError) -> [ParameterValidationError] {
        guard let connector = catalogue.connector(id: connectorId)?.connector else {
            throw PluggyAPIError(code: 404, codeDescription: "CONNECTOR_NOT_FOUND", message: "Connector \(connectorId) was not found.")
        }
        return connector.credentials.compactMap { Validation.problem(with: parameters[$0.name], for: $0) }
    }
}

extension PluggySandbox {
    /// Moves the item's execution along in real time until nothing more will happen by itself (its steps,
    /// and a wait's expiry), so its events fire without anyone reading it: what `serve` needs for webhooks.
    public func drive(itemId: String) async {
        while let record = try? advanced(itemId), let run = record.run {
            let due = run.steps.first?.at ?? run.waiting?.expiresAt
            guard let due else { return }
            do {
                try await clock.sleep(until: due)
            } catch {
                return
            }
        }
    }
}
