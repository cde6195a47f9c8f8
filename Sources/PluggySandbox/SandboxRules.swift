#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy

/// How fast executions move. The sandbox is deterministic at either speed: only the spacing differs.
public enum SandboxSpeed: String, Sendable, CaseIterable, Codable {
    /// Steps a millisecond apart: tests and tapes (with a `VirtualClock`, no real waiting at all).
    case instant
    /// Steps about a second apart, as a real bank feels: demos.
    case realistic

    /// Seconds for a step that takes `realisticSeconds` at realistic speed.
    func duration(_ realisticSeconds: Double) -> Double {
        switch self {
        case .instant: return 0.001
        case .realistic: return realisticSeconds
        }
    }
}

/// Pluggy's sandbox users and what each one does (password `password-ok`; anything else is
/// INVALID_CREDENTIALS). Source: Pluggy's sandbox documentation, in ../shared/reference/pluggy-api.md §4.
public enum SandboxUsers {
    public static let password = "password-ok"
    /// The MFA code that passes, for MFA 2-step (and the first MFA 1-step code).
    public static let mfaCode = "123456"
    /// The codes the sandbox authenticator shows for MFA 1-step, in turn: each must differ from the last
    /// execution's, so consecutive updates use 123456, then 654321, then 123456 again.
    public static let authenticatorCodes = ["123456", "654321"]

    /// What happens after the data is collected, for a user whose login is accepted.
    public enum Collection: Hashable, Sendable {
        case success
        case successWithWarnings
        case partialSuccess
    }

    /// What a login with these credentials does.
    public enum Login: Hashable, Sendable {
        case accepted(Collection)
        case rejected(ExecutionStatus, providerMessage: String?)
    }

    /// Every user with a documented behaviour, and that behaviour.
    public static let table: [(user: String, login: Login)] = [
        ("user-ok", .accepted(.success)),
        ("user-ok-account-error", .accepted(.partialSuccess)),
        ("user-ok-account-warning", .accepted(.successWithWarnings)),
        ("user-locked", .rejected(.accountLocked, providerMessage: nil)),
        ("user-unavailable", .rejected(.siteNotAvailable, providerMessage: nil)),
        ("user-error", .rejected(.unexpectedError, providerMessage: nil)),
        ("user-logged", .rejected(.alreadyLoggedIn, providerMessage: nil)),
        ("user-account-need-actions", .rejected(.accountNeedsAction, providerMessage: nil)),
        ("user-account-need-actions-provider-message",
         .rejected(.accountNeedsAction, providerMessage: "Para continuar, acesse o internet banking e aceite os novos termos de uso.")),
        ("user-connection-error", .rejected(.connectionError, providerMessage: nil)),
        ("user-account-credentials-reset", .rejected(.accountCredentialsReset, providerMessage: nil)),
        ("user-not-supported", .rejected(.userNotSupported, providerMessage: nil)),
    ]

    /// The outcome of logging in as `user` with `password`.
    public static func login(user: String?, password: String?) -> Login {
        guard let user, password == Self.password, let entry = table.first(where: { $0.user == user }) else {
            return .rejected(.invalidCredentials, providerMessage: nil)
        }
        return entry.login
    }
}

/// Pluggy's words for each way an execution ends, and the item status it leaves.
public enum ExecutionOutcomes {
    /// The message of `item.error` for `code` (Pluggy's sandbox descriptions where Pluggy gives one).
    public static func message(for code: ExecutionStatus) -> String {
        switch code {
        case .invalidCredentials: return "Invalid credentials."
        case .invalidCredentialsMFA: return "The MFA parameter provided was incorrect."
        case .alreadyLoggedIn: return "The user already has an opened login session (needs to manually log out)."
        case .accountLocked: return "User account is locked, needs manual action to be unlocked."
        case .unexpectedError: return "Connector had a random error."
        case .siteNotAvailable: return "Provider site was not available."
        case .accountNeedsAction:
            return "Provider is requesting some manual action from the user (ie. accept new terms of use)."
        case .connectionError: return "There was an internal connection error with the provider (ie. Proxy issue)."
        case .accountCredentialsReset: return "The user needs to update some of their credentials in the institution."
        case .userNotSupported: return "The user is not allowed to perform login in this institution."
        case .userInputTimeout: return "The user did not provide the requested input before it expired."
        case .userAuthorizationPending: return "The access is pending authorization by the user."
        case .userAuthorizationNotGranted: return "The user did not grant the authorization."
        case .error: return "An unexpected error occurred."
        case .mergeError: return "The collected data could not be merged."
        default: return code.rawValue
        }
    }

    /// The item status an execution that ended with `code` leaves.
    ///
    /// Sourced pairs (pluggy-api.md §1.4): SUCCESS → UPDATED, INVALID_CREDENTIALS → LOGIN_ERROR,
    /// institution down / another session → OUTDATED, ERROR → OUTDATED, USER_AUTHORIZATION_PENDING → OUTDATED.
    /// The rest follow Pluggy's definitions: LOGIN_ERROR when the login itself is refused and retrying with
    /// the same parameters is pointless or harmful (wrong MFA, locked account, credentials reset at the
    /// bank, user not supported); OUTDATED when the parameters are fine and a retry may work.
    public static func itemStatus(for code: ExecutionStatus) -> ItemStatus {
        switch code {
        case .success, .partialSuccess: return .updated
        case .invalidCredentials, .invalidCredentialsMFA, .accountLocked, .accountCredentialsReset, .userNotSupported:
            return .loginError
        default: return .outdated
        }
    }

    /// `statusDetail` product key for each product (Pluggy's spelling).
    static func statusDetailKey(_ product: ProductType) -> String? {
        switch product {
        case .accounts: return "accounts"
        case .creditCards: return "creditCards"
        case .transactions: return "transactions"
        case .investments: return "investments"
        case .investmentsTransactions: return "investmentTransactions"
        case .identity: return "identity"
        case .paymentData: return "paymentData"
        case .loans: return "loans"
        case .accountStatements: return "accountStatements"
        default: return nil
        }
    }

    /// The execution step that collects `product`.
    static func step(for product: ProductType) -> ExecutionStatus? {
        switch product {
        case .accounts: return .accountsInProgress
        case .creditCards: return .creditCardsInProgress
        case .transactions: return .transactionsInProgress
        case .investments: return .investmentsInProgress
        case .investmentsTransactions: return .investmentsTransactionsInProgress
        case .identity: return .identityInProgress
        case .paymentData: return .paymentDataInProgress
        case .loans: return .loansInProgress
        case .accountStatements: return .accountStatementsInProgress
        default: return nil
        }
    }
}
