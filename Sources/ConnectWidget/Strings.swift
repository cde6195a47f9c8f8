#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy

/// What the widget says, in English and Brazilian Portuguese.
public struct Strings: Sendable {
    public let language: Language
    public init(_ language: Language) { self.language = language }

    public func t(_ en: String, _ pt: String) -> String { language == .pt ? pt : en }

    var title: String { t("Update your connection", "Atualize sua conexão") }
    var opening: String { t("Checking your access…", "Verificando seu acesso…") }
    var openingFailed: String { t("This connection can't be opened", "Não foi possível abrir esta conexão") }
    var status: String { t("Status", "Situação") }
    var lastUpdate: String { t("Last update", "Última atualização") }
    var never: String { t("never", "nunca") }
    var submit: String { t("Continue", "Continuar") }
    var required: String { t("Required", "Obrigatório") }
    var invalidValue: String { t("Check this value", "Confira este valor") }
    var progressTitle: String { t("Updating your data", "Atualizando seus dados") }
    var elapsed: String { t("elapsed", "decorridos") }
    var expiresIn: String { t("Expires in", "Expira em") }
    var expired: String { t("Expired", "Expirado") }
    var simulator: String { t("Simulator", "Simulador") }
    var approve: String { t("approve on the phone", "aprovar no celular") }
    var approveConsent: String { t("approve on the bank's page", "aprovar na página do banco") }
    var deny: String { t("deny", "negar") }
    var waitingApproval: String { t("Waiting for your authorization", "Aguardando sua autorização") }
    var consentPage: String { t("Consent page", "Página de consentimento") }
    var successTitle: String { t("Connection updated", "Conexão atualizada") }
    var partialTitle: String { t("Updated, with gaps", "Atualizada, com pendências") }
    var errorTitle: String { t("The update did not finish", "A atualização não terminou") }
    var nextAutoSync: String { t("Next auto-sync", "Próxima sincronização") }
    var notUpdated: String { t("Not updated", "Não atualizado") }
    var whatToDo: String { t("What you can do", "O que fazer") }
    var bankSays: String { t("The bank says", "O banco diz") }
    var code: String { t("Code", "Código") }
    var autoSyncTitle: String { t("Next daily auto-sync", "Próxima sincronização diária") }
    var tooSmall: String { t("terminal too small (need 40x12)", "terminal pequeno demais (mínimo 40x12)") }
    var helpTitle: String { t("Keys", "Teclas") }
    var show: String { t("show", "mostrar") }
    var hide: String { t("hide", "ocultar") }

    func lockWarning(_ attempts: Int) -> String {
        t("\(attempts) failed logins in a row: another may lock your account at the bank.",
          "\(attempts) tentativas seguidas falharam: outra pode bloquear sua conta no banco.")
    }

    func itemStatus(_ status: ItemStatus) -> String {
        switch status {
        case .updated: return t("Up to date", "Atualizada")
        case .updating: return t("Updating", "Atualizando")
        case .merging: return t("Processing", "Processando")
        case .loginError: return t("Login failed", "Falha no login")
        case .outdated: return t("Out of date", "Desatualizada")
        case .waitingUserInput, .waitingUserAction: return t("Waiting for you", "Aguardando você")
        default: return status.rawValue
        }
    }

    func connectorType(_ type: ConnectorType) -> String {
        switch type {
        case .personalBank: return t("Personal bank", "Banco pessoal")
        case .businessBank: return t("Business bank", "Banco empresarial")
        case .investment: return t("Investments", "Investimentos")
        case .invoice: return t("Invoices", "Faturas")
        case .paymentAccount: return t("Payment account", "Conta de pagamento")
        case .digitalEconomy: return t("Digital economy", "Economia digital")
        case .telecommunication: return t("Telecom", "Telecomunicações")
        default: return type.rawValue
        }
    }

    /// Why the item needs the user, in a bank customer's words.
    func reason(_ code: ExecutionStatus, bank: String) -> String {
        switch code {
        case .invalidCredentials:
            return t("The bank did not accept your user or password. Type them again.",
                     "O banco não aceitou seu usuário ou senha. Digite novamente.")
        case .invalidCredentialsMFA:
            return t("The verification code was not accepted.", "O código de verificação não foi aceito.")
        case .userInputTimeout:
            return t("\(bank) asks for a verification code at every login, and it was not answered in time.",
                     "\(bank) pede um código de verificação a cada acesso, e ele não foi respondido a tempo.")
        case .userAuthorizationPending:
            return t("\(bank) is waiting for you to authorize access.", "\(bank) aguarda sua autorização de acesso.")
        case .userAuthorizationNotGranted:
            return t("Access was not authorized.", "O acesso não foi autorizado.")
        case .accountLocked:
            return t("Your account is locked at the bank.", "Sua conta está bloqueada no banco.")
        case .accountNeedsAction:
            return t("The bank needs you to do something in its app or website, such as accepting new terms.",
                     "O banco precisa que você faça algo no app ou site dele, como aceitar novos termos.")
        case .accountCredentialsReset:
            return t("The bank asks you to update your credentials on its website.",
                     "O banco pede que você atualize suas credenciais no site dele.")
        case .userNotSupported:
            return t("This kind of account cannot connect through this service.",
                     "Este tipo de conta não pode se conectar por este serviço.")
        case .alreadyLoggedIn:
            return t("You are logged in to the bank somewhere else.", "Você está conectado ao banco em outro lugar.")
        case .siteNotAvailable:
            return t("The bank's website is unavailable right now.", "O site do banco está indisponível agora.")
        case .connectionError:
            return t("We could not reach the bank.", "Não conseguimos falar com o banco.")
        case .success:
            return t("Your connection is up to date.", "Sua conexão está em dia.")
        case .partialSuccess:
            return t("Some of your data could not be updated.", "Parte dos seus dados não pôde ser atualizada.")
        default:
            return t("Something went wrong while updating.", "Algo deu errado na atualização.")
        }
    }

    /// What the user can do about an error.
    func advice(_ code: ExecutionStatus) -> String {
        switch code {
        case .accountLocked:
            return t("Unlock your account with the bank (app, website or branch), then update again.",
                     "Desbloqueie sua conta com o banco (app, site ou agência) e atualize de novo.")
        case .accountNeedsAction:
            return t("Open the bank's app or website and do what it asks, then update again.",
                     "Abra o app ou site do banco, faça o que ele pede e atualize de novo.")
        case .accountCredentialsReset:
            return t("Reset your credentials on the bank's website, then update with the new ones.",
                     "Redefina suas credenciais no site do banco e atualize com as novas.")
        case .userNotSupported:
            return t("Contact the bank or use another account.", "Fale com o banco ou use outra conta.")
        case .alreadyLoggedIn:
            return t("Log out of the bank's app or website, then try again.", "Saia do app ou site do banco e tente de novo.")
        case .siteNotAvailable, .connectionError, .unexpectedError, .error, .mergeError:
            return t("Try again in a few minutes.", "Tente de novo em alguns minutos.")
        case .userInputTimeout:
            return t("Start again and answer the code while it is valid.", "Comece de novo e responda o código enquanto ele vale.")
        case .userAuthorizationNotGranted, .userAuthorizationPending:
            return t("Start again and authorize access when asked.", "Comece de novo e autorize o acesso quando pedido.")
        default:
            return t("Try again.", "Tente de novo.")
        }
    }

    func step(_ status: ExecutionStatus) -> String {
        switch status {
        case .loginInProgress: return t("Logging in", "Entrando")
        case .loginMFAInProgress: return t("Checking the code", "Verificando o código")
        case .waitingUserInput: return t("Waiting for the code", "Aguardando o código")
        case .waitingUserAction: return t("Waiting for authorization", "Aguardando autorização")
        case .accountsInProgress: return t("Accounts", "Contas")
        case .creditCardsInProgress: return t("Credit cards", "Cartões de crédito")
        case .transactionsInProgress: return t("Transactions", "Transações")
        case .investmentsInProgress: return t("Investments", "Investimentos")
        case .investmentsTransactionsInProgress: return t("Investment transactions", "Movimentações de investimentos")
        case .identityInProgress: return t("Identity", "Identidade")
        case .loansInProgress: return t("Loans", "Empréstimos")
        case .paymentDataInProgress: return t("Payment data", "Dados de pagamento")
        case .accountStatementsInProgress: return t("Statements", "Extratos")
        case .success: return t("Done", "Concluído")
        case .partialSuccess: return t("Done, with gaps", "Concluído, com pendências")
        default: return status.rawValue
        }
    }

    func product(_ key: String) -> String {
        switch key {
        case "accounts": return t("Accounts", "Contas")
        case "creditCards": return t("Credit cards", "Cartões de crédito")
        case "transactions": return t("Transactions", "Transações")
        case "investments": return t("Investments", "Investimentos")
        case "investmentTransactions": return t("Investment transactions", "Movimentações de investimentos")
        case "identity": return t("Identity", "Identidade")
        case "paymentData": return t("Payment data", "Dados de pagamento")
        case "loans": return t("Loans", "Empréstimos")
        case "accountStatements": return t("Statements", "Extratos")
        default: return key
        }
    }

    func autoSyncNote(needsUser: Bool, bank: String) -> String {
        needsUser
            ? t("\(bank) asks for you at every login, so it can't update on its own: open this again when it is out of date.",
                "\(bank) pede você a cada acesso, então não atualiza sozinho: abra isto de novo quando estiver desatualizado.")
            : t("Pluggy will keep it updated every day on its own.", "A Pluggy vai mantê-la atualizada todo dia, sozinha.")
    }

    func autoSyncOutcome(_ outcome: SimulatorResult.AutoSyncOutcome) -> String {
        switch outcome {
        case .synced: return t("Synced on its own, with the stored credentials.", "Sincronizou sozinha, com as credenciais guardadas.")
        case .failed: return t("Could not finish on its own.", "Não conseguiu terminar sozinha.")
        case .skipped: return t("Skipped: Pluggy waits for new credentials before syncing again.",
                                "Pulada: a Pluggy espera novas credenciais antes de sincronizar de novo.")
        }
    }

    /// `date` as "Jan 14, 16:00 UTC" / "14 jan, 16:00 UTC", with "(2 h ago)" relative to `now`.
    func date(_ date: Date?, now: Date) -> String {
        guard let date else { return never }
        let iso = ISO8601.format(date)  // YYYY-MM-DDTHH:MM:SS.mmmZ
        let parts = Array(iso)
        guard parts.count >= 16 else { return iso }
        let year = String(parts[0..<4])
        let month = Int(String(parts[5..<7])) ?? 1
        let day = Int(String(parts[8..<10])) ?? 1
        let time = String(parts[11..<16])
        let monthsEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let monthsPT = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]
        let m = max(0, min(11, month - 1))
        let sameYear = ISO8601.format(now).hasPrefix(year)
        let base = language == .pt
            ? "\(day) \(monthsPT[m])\(sameYear ? "" : " " + year), \(time) UTC"
            : "\(monthsEN[m]) \(day)\(sameYear ? "" : " " + year), \(time) UTC"
        return base + " (" + relative(date, now: now) + ")"
    }

    func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let future = seconds < 0
        let magnitude = abs(seconds)
        let amount: String
        if magnitude < 60 {
            return t("just now", "agora")
        } else if magnitude < 3600 {
            amount = "\(Int((magnitude / 60).rounded())) min"
        } else if magnitude < 86_400 * 2 {
            amount = "\(Int((magnitude / 3600).rounded())) h"
        } else {
            let days = Int((magnitude / 86_400).rounded())
            amount = t("\(days) days", "\(days) dias")
        }
        return future ? t("in \(amount)", "em \(amount)") : t("\(amount) ago", "há \(amount)")
    }

    /// "4:59" for a countdown.
    func countdown(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded(.up)))
        let rest = whole % 60
        return "\(whole / 60):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}

/// Which errors are worth retrying as they are.
enum Explanations {
    static func retryable(_ code: ExecutionStatus) -> Bool {
        switch code {
        case .siteNotAvailable, .connectionError, .unexpectedError, .error, .mergeError, .alreadyLoggedIn,
            .userInputTimeout, .userAuthorizationNotGranted, .userAuthorizationPending, .invalidCredentialsMFA:
            return true
        case .accountLocked, .accountNeedsAction, .accountCredentialsReset, .userNotSupported, .invalidCredentials:
            return false
        default:
            // Call failures (429, 5xx, unreachable) carry codes that are not execution statuses.
            return !ExecutionStatus.known.contains(code)
        }
    }
}
