import Foundation
import Testing
import Pluggy
@testable import PluggySandbox

@Suite("Sandbox users")
struct SandboxUserTests {
    /// Every documented sandbox user, logging into the plain Pluggy Bank item.
    static let expectations: [(user: String, execution: ExecutionStatus, status: ItemStatus)] = [
        ("user-ok", .success, .updated),
        ("user-ok-account-error", .partialSuccess, .updated),
        ("user-ok-account-warning", .success, .updated),
        ("user-locked", .accountLocked, .loginError),
        ("user-unavailable", .siteNotAvailable, .outdated),
        ("user-error", .unexpectedError, .outdated),
        ("user-logged", .alreadyLoggedIn, .outdated),
        ("user-account-need-actions", .accountNeedsAction, .outdated),
        ("user-account-need-actions-provider-message", .accountNeedsAction, .outdated),
        ("user-connection-error", .connectionError, .outdated),
        ("user-account-credentials-reset", .accountCredentialsReset, .loginError),
        ("user-not-supported", .userNotSupported, .loginError),
        ("someone-else", .invalidCredentials, .loginError),
    ]

    @Test("each sandbox user ends as Pluggy documents", arguments: expectations.map(\.user))
    func user(name: String) async throws {
        let expected = try #require(Self.expectations.first { $0.user == name })
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open("up-to-date", in: sandbox)
        let seen = try await update(backend, item, ["user": name, "password": "password-ok"])
        let final = try #require(seen.last)
        #expect(final.executionStatus == expected.execution)
        #expect(final.status == expected.status)
        #expect(seen.first?.executionStatus == .loginInProgress)
        #expect(seen.first?.status == .updating)
        #expect(final.updatedAt == clock.now())
        switch expected.status {
        case .updated:
            #expect(final.error == nil)
            #expect(final.lastUpdatedAt == final.updatedAt)
            #expect(final.nextAutoSyncAt == final.updatedAt.addingTimeInterval(86_400))
            #expect(final.consecutiveFailedLoginAttempts == 0)
            #expect(seen.map(\.executionStatus).contains(.accountsInProgress))
            #expect(seen.map(\.executionStatus).contains(.transactionsInProgress))
        case .loginError:
            #expect(final.error?.code == expected.execution)
            #expect(final.nextAutoSyncAt == nil)
            #expect(final.consecutiveFailedLoginAttempts == item.consecutiveFailedLoginAttempts + 1)
            #expect(final.lastUpdatedAt == item.lastUpdatedAt)
        default:
            #expect(final.error?.code == expected.execution)
            #expect(final.error?.message == ExecutionOutcomes.message(for: expected.execution))
            #expect(final.nextAutoSyncAt != nil)
            #expect(final.lastUpdatedAt == item.lastUpdatedAt)
        }
        if name == "user-account-need-actions-provider-message" {
            #expect(final.error?.providerMessage?.isEmpty == false)
        }
        if name == "user-ok-account-error" {
            #expect(final.statusDetail?.failedProducts == ["accounts"])
            #expect(final.statusDetail?.products["accounts"]??.lastUpdatedAt == item.lastUpdatedAt)
        }
        if name == "user-ok-account-warning" {
            #expect(final.statusDetail?.warnings.count == 1)
            #expect(final.statusDetail?.failedProducts == [])
        }
        if name == "user-ok" { #expect(final.statusDetail == nil) }
    }

    @Test("a wrong password is INVALID_CREDENTIALS for every user")
    func wrongPassword() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("up-to-date", in: sandbox)
        let final = try #require(try await update(backend, item, ["user": "user-ok", "password": "hunter2"]).last)
        #expect(final.executionStatus == .invalidCredentials)
        #expect(final.status == .loginError)
        #expect(final.error?.message == "Invalid credentials.")
        // The typed password appears nowhere in the item or its events.
        let text = try PluggyJSON.string(final) + (try PluggyJSON.string(await sandbox.events))
        #expect(!text.contains("hunter2"))
    }

    @Test("consecutive failed logins count up, and a successful login resets them")
    func failedAttempts() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("invalid-credentials", in: sandbox)
        #expect(item.consecutiveFailedLoginAttempts == 1)
        var last = try #require(try await update(backend, item, ["user": "user-ok", "password": "x"]).last)
        #expect(last.consecutiveFailedLoginAttempts == 2)
        last = try #require(try await update(backend, last, ["user": "user-ok", "password": "y"]).last)
        #expect(last.consecutiveFailedLoginAttempts == 3)
        last = try #require(try await update(backend, last, ok).last)
        #expect(last.consecutiveFailedLoginAttempts == 0)
        #expect(last.status == .updated)
    }
}

@Suite("Sandbox executions")
struct ExecutionTests {
    @Test("realistic speed walks the execution steps a second or so apart, deterministically")
    func realisticTimeline() async throws {
        func run() async throws -> [(ExecutionStatus, Date)] {
            let (sandbox, clock) = makeSandbox(speed: .realistic)
            let start = clock.now()
            let (backend, item) = try await open("up-to-date", in: sandbox)
            let seen = try await update(backend, item, nil)
            #expect(clock.now().timeIntervalSince(start) > 4)
            return seen.map { ($0.executionStatus, $0.updatedAt) }
        }
        let first = try await run()
        #expect(first.map(\.0) == [.loginInProgress, .accountsInProgress, .creditCardsInProgress, .transactionsInProgress, .identityInProgress, .success])
        let gaps = zip(first.dropFirst(), first).map { $0.1.timeIntervalSince($1.1) }
        #expect(gaps.allSatisfy { $0 >= 0.5 && $0 <= 3 })
        let second = try await run()
        #expect(first.map(\.1) == second.map(\.1))
    }

    @Test("an investment connector collects investments too")
    func investmentProducts() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("xp-mfa", in: sandbox)
        let waiting = try #require(try await update(backend, item, nil).last)
        let started = try await backend.sendMFA(itemId: item.id, parameters: ["token": "123456"])
        let seen = try await follow(backend, started).map(\.executionStatus)
        #expect(waiting.status == .waitingUserInput)
        #expect(seen.contains(.investmentsInProgress))
        #expect(seen.contains(.investmentsTransactionsInProgress))
        #expect(seen.last == .success)
    }

    @Test("a second update while one runs is refused with 409 ITEM_ALREADY_UPDATING")
    func concurrentUpdates() async throws {
        let (sandbox, _) = makeSandbox(speed: .realistic)
        let (backend, item) = try await open("up-to-date", in: sandbox)
        let results = await withTaskGroup(of: Result<Item, PluggyAPIError>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do throws(PluggyAPIError) {
                        return .success(try await backend.updateItem(id: item.id, parameters: nil))
                    } catch { return .failure(error) }
                }
            }
            var all: [Result<Item, PluggyAPIError>] = []
            for await result in group { all.append(result) }
            return all
        }
        let successes = results.filter { if case .success = $0 { return true } else { return false } }
        let conflicts = results.compactMap { if case .failure(let e) = $0 { return e } else { return nil } }
        #expect(successes.count == 1)
        #expect(conflicts.count == 7)
        #expect(conflicts.allSatisfy { $0.code == 409 && $0.codeDescription == "ITEM_ALREADY_UPDATING" })
        // Still refused while waiting for the user, and allowed again once it ends.
        let (mfaBackend, mfaItem) = try await open("xp-mfa", in: sandbox)
        let waiting = try #require(try await update(mfaBackend, mfaItem, nil).last)
        #expect(waiting.status == .waitingUserInput)
        let refused = await apiError { _ = try await mfaBackend.updateItem(id: mfaItem.id, parameters: nil) }
        #expect(refused?.code == 409)
        let autoSync = await apiError { _ = try await sandbox.runDailyAutoSync(itemId: mfaItem.id) }
        #expect(autoSync?.code == 409)
    }

    @Test("parameters are validated before anything starts: missing, rule, select option")
    func validation() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("invalid-credentials", in: sandbox)
        let missing = await apiError { _ = try await backend.updateItem(id: item.id, parameters: ["user": "user-ok", "password": ""]) }
        #expect(missing?.code == 400)
        #expect(missing?.details?.first?.code == "001")
        #expect(missing?.details?.first?.parameter == "password")
        #expect(try await backend.fetchItem(id: item.id) == item)
        // Unknown parameters are ignored, not stored.
        let final = try #require(try await update(backend, item, ok.merging(["favouriteColour": "blue"]) { a, _ in a }).last)
        #expect(final.status == .updated)
    }

    @Test("answering MFA when nothing waits is refused")
    func mfaWhenNotWaiting() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("up-to-date", in: sandbox)
        let error = await apiError { _ = try await backend.sendMFA(itemId: item.id, parameters: ["token": "123456"]) }
        #expect(error?.codeDescription == "ITEM_NOT_WAITING_USER_INPUT")
        let approve = await apiError { _ = try await sandbox.approveAuthorization(itemId: item.id) }
        #expect(approve?.codeDescription == "ITEM_NOT_WAITING_USER_ACTION")
    }
}

@Suite("MFA")
struct MFATests {
    @Test("2-step: 123456 continues to SUCCESS, with the parameter and its expiry while waiting")
    func twoStepRight() async throws {
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open("xp-mfa", in: sandbox)
        let waiting = try #require(try await update(backend, item, nil).last)
        #expect(waiting.status == .waitingUserInput)
        #expect(waiting.executionStatus == .waitingUserInput)
        let parameter = try #require(waiting.parameter)
        #expect(parameter.name == "token")
        #expect(parameter.validation == "^\\d{6}$")
        #expect(parameter.validationMessage != nil && parameter.placeholder != nil && parameter.assistiveText != nil)
        #expect(parameter.expiresAt == clock.now().addingTimeInterval(300))
        #expect(await sandbox.events.map(\.event).contains("item/waiting_user_input"))
        let started = try await backend.sendMFA(itemId: item.id, parameters: ["token": "123456"])
        #expect(started.executionStatus == .loginMFAInProgress)
        #expect(started.parameter == nil)
        let final = try #require(try await follow(backend, started).last)
        #expect(final.executionStatus == .success)
        #expect(final.status == .updated)
    }

    @Test("2-step: another code ends INVALID_CREDENTIALS_MFA; a badly shaped one is a 400 and keeps waiting")
    func twoStepWrong() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("rico-mfa", in: sandbox)
        let waiting = try #require(try await update(backend, item, nil).last)
        let shape = await apiError { _ = try await backend.sendMFA(itemId: item.id, parameters: ["token": "12ab"]) }
        #expect(shape?.code == 400)
        #expect(shape?.details?.first?.message == "O token deve ter 6 números.")
        let missing = await apiError { _ = try await backend.sendMFA(itemId: item.id, parameters: [:]) }
        #expect(missing?.details?.first?.code == "001")
        #expect(try await backend.fetchItem(id: item.id) == waiting)
        let final = try #require(try await follow(backend, try await backend.sendMFA(itemId: item.id, parameters: ["token": "000000"])).last)
        #expect(final.executionStatus == .invalidCredentialsMFA)
        #expect(final.status == .loginError)
        #expect(final.error?.message == "The MFA parameter provided was incorrect.")
        // The user can start again and get a new prompt.
        let again = try #require(try await update(backend, final, nil).last)
        #expect(again.status == .waitingUserInput)
    }

    @Test("2-step: no answer before expiresAt ends USER_INPUT_TIMEOUT at that moment")
    func twoStepTimeout() async throws {
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open("mfa-timeout", in: sandbox)
        let waiting = try #require(try await update(backend, item, nil).last)
        let expiresAt = try #require(waiting.parameter?.expiresAt)
        #expect(expiresAt == clock.now().addingTimeInterval(30))
        clock.advance(by: 29)
        #expect(try await backend.fetchItem(id: item.id).status == .waitingUserInput)
        clock.advance(by: 1)
        let timedOut = try await backend.fetchItem(id: item.id)
        #expect(timedOut.executionStatus == .userInputTimeout)
        #expect(timedOut.status == .outdated)
        #expect(timedOut.updatedAt == expiresAt)
        #expect(timedOut.parameter == nil)
        let late = await apiError { _ = try await backend.sendMFA(itemId: item.id, parameters: ["token": "123456"]) }
        #expect(late?.codeDescription == "ITEM_NOT_WAITING_USER_INPUT")
        // Start again and answer in time.
        _ = try await update(backend, timedOut, nil)
        let final = try #require(try await follow(backend, try await backend.sendMFA(itemId: item.id, parameters: ["token": "123456"])).last)
        #expect(final.status == .updated)
    }

    @Test("2-step select then token: choose where to send the code, then type it")
    func selectThenToken() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("bradesco-mfa", in: sandbox)
        let select = try #require(try await update(backend, item, nil).last)
        #expect(select.parameter?.type == .select)
        #expect(select.parameter?.options?.map(\.value) == ["sms", "email", "app"])
        let badOption = await apiError { _ = try await backend.sendMFA(itemId: item.id, parameters: ["destination": "pigeon"]) }
        #expect(badOption?.details?.first?.code == "002")
        let token = try #require(try await follow(backend, try await backend.sendMFA(itemId: item.id, parameters: ["destination": "sms"])).last)
        #expect(token.status == .waitingUserInput)
        #expect(token.parameter?.name == "token")
        let final = try #require(try await follow(backend, try await backend.sendMFA(itemId: item.id, parameters: ["token": "123456"])).last)
        #expect(final.executionStatus == .success)
    }

    @Test("1-step: the token goes in the form, must be present, new, and right")
    func oneStep() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("easynvest-mfa", in: sandbox)
        #expect(item.updateModeAsksForParameters)
        let without = await apiError { _ = try await backend.updateItem(id: item.id, parameters: nil) }
        #expect(without?.code == 400)
        #expect(without?.details?.first?.message == "The parameter token is required to be renewed for item update.")
        let reused = await apiError { _ = try await backend.updateItem(id: item.id, parameters: ok.merging(["token": "654321"]) { a, _ in a }) }
        #expect(reused?.details?.first?.message == "The parameter token must be different from the one used in the last execution.")
        let shape = await apiError { _ = try await backend.updateItem(id: item.id, parameters: ok.merging(["token": "12"]) { a, _ in a }) }
        #expect(shape?.details?.first?.code == "002")
        #expect(try await backend.fetchItem(id: item.id) == item)
        let wrong = try #require(try await update(backend, item, ok.merging(["token": "111111"]) { a, _ in a }).last)
        #expect(wrong.executionStatus == .invalidCredentialsMFA)
        let right = try #require(try await update(backend, wrong, ok.merging(["token": "123456"]) { a, _ in a }).last)
        #expect(right.executionStatus == .success)
        #expect(right.parameter == nil)
        let again = await apiError { _ = try await backend.updateItem(id: item.id, parameters: ["token": "123456"]) }
        #expect(again?.code == 400)
        // The authenticator has moved on: the next update takes the other code.
        let next = try #require(try await update(backend, right, ["token": "654321"]).last)
        #expect(next.executionStatus == .success)
    }

    @Test("the MFA 1-step value alone does not count as new credentials after a password change")
    func mfaValueIsNotNewCredentials() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("easynvest-mfa", in: sandbox)
        try await sandbox.changePasswordAtBank(itemId: item.id)
        let stale = try #require(try await update(backend, item, ["token": "123456"]).last)
        #expect(stale.executionStatus == .invalidCredentials)
    }
}

@Suite("Device authorization and Open Finance consent")
struct AuthorizationTests {
    @Test("device: waits with userAction; approve syncs; later updates do not ask again")
    func deviceApprove() async throws {
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open("device-authorization", in: sandbox)
        let waiting = try #require(try await update(backend, item, nil).last)
        #expect(waiting.status == .waitingUserAction)
        #expect(waiting.executionStatus == .waitingUserAction)
        #expect(waiting.userAction?.type == .authorizeAccess)
        #expect(waiting.userAction?.instructions.contains("CAIXA") == true)
        #expect(waiting.userAction?.expiresAt == clock.now().addingTimeInterval(300))
        let final = try #require(try await follow(backend, try await sandbox.approveAuthorization(itemId: item.id)).last)
        #expect(final.executionStatus == .success)
        #expect(final.userAction == nil)
        let second = try #require(try await update(backend, final, nil).last)
        #expect(second.executionStatus == .success)
        #expect(!(try await follow(backend, second)).contains { $0.status == .waitingUserAction })
    }

    @Test("device: deny ends USER_AUTHORIZATION_NOT_GRANTED; no answer ends USER_AUTHORIZATION_PENDING")
    func deviceDenyAndExpire() async throws {
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open("device-authorization", in: sandbox)
        _ = try await update(backend, item, nil)
        let denied = try await sandbox.denyAuthorization(itemId: item.id)
        #expect(denied.executionStatus == .userAuthorizationNotGranted)
        #expect(denied.status == .outdated)
        let waiting = try #require(try await update(backend, denied, nil).last)
        #expect(waiting.status == .waitingUserAction)
        clock.advance(by: 301)
        let expired = try await backend.fetchItem(id: item.id)
        #expect(expired.executionStatus == .userAuthorizationPending)
        #expect(expired.status == .outdated)
    }

    @Test("OAuth: the consent URL is in userAction; approve renews the consent; deny refuses")
    func oauth() async throws {
        let (sandbox, clock) = makeSandbox()
        let (backend, item) = try await open("open-finance", in: sandbox)
        #expect(item.connector.oauth == true)
        #expect(item.connector.isOpenFinance == true)
        let waiting = try #require(try await update(backend, item, nil).last)
        #expect(waiting.status == .waitingUserAction)
        #expect(waiting.userAction?.attributes?["consentUrl"] == item.connector.oauthUrl)
        let denied = try await sandbox.denyAuthorization(itemId: item.id)
        #expect(denied.executionStatus == .userAuthorizationNotGranted)
        _ = try await update(backend, denied, nil)
        let final = try #require(try await follow(backend, try await sandbox.approveAuthorization(itemId: item.id)).last)
        #expect(final.status == .updated)
        let consent = try #require(final.consentExpiresAt)
        #expect(consent > clock.now().addingTimeInterval(364 * 86_400))
        #expect(consent > item.consentExpiresAt!)
    }
}

@Suite("Daily auto-sync")
struct AutoSyncTests {
    @Test("LOGIN_ERROR items are skipped until new credentials arrive; after the fix auto-sync resumes")
    func loginErrorSkipped() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("invalid-credentials", in: sandbox)
        let skipped = try await sandbox.runDailyAutoSync(itemId: item.id)
        #expect(skipped.outcome == .skipped)
        #expect(skipped.item == item)
        let fixed = try #require(try await update(backend, item, ok).last)
        #expect(fixed.status == .updated)
        let report = try await sandbox.runDailyAutoSync(itemId: item.id)
        #expect(report.outcome == .synced)
        #expect(report.item.executionStatus == .success)
        #expect(report.path.first == .loginInProgress)
        #expect(await sandbox.events.last?.triggeredBy == .sync)
    }

    @Test("a password changed at the bank: auto-sync ends INVALID_CREDENTIALS / LOGIN_ERROR; new credentials fix it")
    func passwordChanged() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("up-to-date", in: sandbox)
        try await sandbox.changePasswordAtBank(itemId: item.id)
        let report = try await sandbox.runDailyAutoSync(itemId: item.id)
        #expect(report.outcome == .failed)
        #expect(report.item.executionStatus == .invalidCredentials)
        #expect(report.item.status == .loginError)
        #expect(report.item.nextAutoSyncAt == nil)
        let events = await sandbox.events
        #expect(events.last?.event == "item/error")
        #expect(events.last?.error?.code == .invalidCredentials)
        #expect(events.last?.triggeredBy == .sync)
        // The stored credentials alone keep failing, and so does the user name without a password;
        // the user's new password works and auto-sync resumes.
        let stale = try #require(try await update(backend, report.item, nil).last)
        #expect(stale.executionStatus == .invalidCredentials)
        let userOnly = try #require(try await update(backend, stale, ["user": "user-ok"]).last)
        #expect(userOnly.executionStatus == .invalidCredentials)
        let fixed = try #require(try await update(backend, stale, ok).last)
        #expect(fixed.status == .updated)
        #expect(try await sandbox.runDailyAutoSync(itemId: item.id).outcome == .synced)
    }

    @Test("the password-changed scenario: the form fixes it, then auto-sync resumes")
    func passwordChangedScenario() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("password-changed", in: sandbox)
        #expect(item.updateModeAsksForParameters)
        #expect(item.lastUpdatedAt != nil)
        #expect(try await sandbox.runDailyAutoSync(itemId: item.id).outcome == .skipped)
        let fixed = try #require(try await update(backend, item, ok).last)
        #expect(fixed.status == .updated)
        #expect(try await sandbox.runDailyAutoSync(itemId: item.id).outcome == .synced)
    }

    @Test("MFA-every-login connectors cannot complete without the user: OUTDATED, USER_INPUT_TIMEOUT",
          arguments: ["xp-mfa", "bradesco-mfa", "easynvest-mfa", "rico-mfa", "mfa-timeout"])
    func mfaEveryLogin(scenario: String) async throws {
        let (sandbox, _) = makeSandbox()
        let id = try requireScenario(scenario, sandbox)
        let report = try await sandbox.runDailyAutoSync(itemId: id)
        #expect(report.outcome == .failed)
        #expect(report.item.status == .outdated)
        #expect(report.item.executionStatus == .userInputTimeout)
        #expect(report.item.error?.message.contains("automatic sync") == true)
        #expect(report.item.nextAutoSyncAt != nil)
        #expect(report.item.parameter == nil)
    }

    @Test("first-time device authorization: pending until approved once, then auto-sync works alone")
    func deviceFirstTimeOnly() async throws {
        let (sandbox, _) = makeSandbox()
        let (backend, item) = try await open("device-authorization", in: sandbox)
        let before = try await sandbox.runDailyAutoSync(itemId: item.id)
        #expect(before.item.executionStatus == .userAuthorizationPending)
        #expect(before.item.status == .outdated)
        _ = try await update(backend, before.item, nil)
        _ = try await follow(backend, try await sandbox.approveAuthorization(itemId: item.id))
        let after = try await sandbox.runDailyAutoSync(itemId: item.id)
        #expect(after.outcome == .synced)
        #expect(after.path == [.loginInProgress, .accountsInProgress, .creditCardsInProgress, .transactionsInProgress, .identityInProgress, .success])
    }

    @Test("plain items sync to UPDATED with the stored credentials", arguments: ["up-to-date", "account-warning", "partial-success"])
    func plain(scenario: String) async throws {
        let (sandbox, _) = makeSandbox()
        let id = try requireScenario(scenario, sandbox)
        let report = try await sandbox.runDailyAutoSync(itemId: id)
        #expect(report.outcome == .synced)
        #expect(report.item.status == .updated)
    }
}
