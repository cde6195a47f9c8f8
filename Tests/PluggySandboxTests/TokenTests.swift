import Foundation
import Testing
import Pluggy
@testable import PluggySandbox

@Suite("Connect tokens")
struct TokenTests {
    let issuer = ConnectTokenIssuer(secret: "k1")
    let now = Date(timeIntervalSince1970: 1_768_478_400)

    @Test("a minted token verifies for its item and carries a 30-minute expiry")
    func mintAndVerify() throws {
        let token = issuer.mint(itemId: "item-1", now: now)
        let claims = try issuer.verify(token, itemId: "item-1", now: now.addingTimeInterval(1799))
        #expect(claims.itemId == "item-1")
        #expect(claims.exp - claims.iat == 1800)
        #expect(token.split(separator: ".").count == 3)
    }

    @Test("a token minted by one issuer verifies in another with the same key (another process)")
    func acrossProcesses() throws {
        let token = ConnectTokenIssuer.standard(environment: [:]).mint(itemId: "x", now: now)
        _ = try ConnectTokenIssuer.standard(environment: [:]).verify(token, itemId: "x", now: now)
        let custom = ConnectTokenIssuer.standard(environment: ["CONNECT_TUI_TOKEN_SECRET": "other"]).mint(itemId: "x", now: now)
        #expect(throws: ConnectTokenError.badSignature) {
            try ConnectTokenIssuer.standard(environment: [:]).verify(custom, itemId: "x", now: now)
        }
    }

    @Test("malformed tokens are refused as malformed", arguments: [
        "", "abc", "a.b", "a.b.c.d", "!!!.???.***", "eyJhbGciOiJIUzI1NiJ9..sig",
        "bm90IGpzb24.eyJ9.c2ln",
    ])
    func malformed(token: String) {
        #expect {
            try issuer.verify(token, itemId: "item-1", now: now)
        } throws: { error in
            if case ConnectTokenError.malformed = error { return true }
            return false
        }
    }

    @Test("a token signed with another algorithm name is malformed")
    func otherAlgorithm() {
        let header = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8))
        let parts = issuer.mint(itemId: "item-1", now: now).split(separator: ".")
        let token = header + "." + parts[1] + "." + parts[2]
        #expect(throws: ConnectTokenError.malformed("unsupported algorithm 'none'; expected HS256")) {
            try issuer.verify(token, itemId: "item-1", now: now)
        }
    }

    @Test("a tampered payload or signature is refused as a bad signature")
    func tampered() throws {
        let token = issuer.mint(itemId: "item-1", now: now)
        let parts = token.split(separator: ".").map(String.init)
        let forged = Base64URL.encode(Array(#"{"iss":"connect-tui-sandbox","sub":"connect_token","itemId":"item-2","iat":1,"exp":99999999999}"#.utf8))
        #expect(throws: ConnectTokenError.badSignature) {
            try issuer.verify(parts[0] + "." + forged + "." + parts[2], itemId: "item-2", now: now)
        }
        var signature = Array(parts[2])
        signature[3] = signature[3] == "A" ? "B" : "A"
        #expect(throws: ConnectTokenError.badSignature) {
            try issuer.verify(parts[0] + "." + parts[1] + "." + String(signature), itemId: "item-1", now: now)
        }
        #expect(throws: ConnectTokenError.badSignature) {
            try ConnectTokenIssuer(secret: "k2").verify(token, itemId: "item-1", now: now)
        }
    }

    @Test("only the canonical token verifies: no surrounding spaces, no alternative signature spelling, right issuer")
    func strictForm() throws {
        let token = issuer.mint(itemId: "item-1", now: now)
        #expect(throws: (any Error).self) { try issuer.verify(" " + token + "\n", itemId: "item-1", now: now) }
        let parts = token.split(separator: ".").map(String.init)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for c in alphabet where c != parts[2].last {
            let altered = parts[0] + "." + parts[1] + "." + String(parts[2].dropLast()) + String(c)
            #expect(throws: (any Error).self) { try issuer.verify(altered, itemId: "item-1", now: now) }
        }
        #expect(throws: (any Error).self) { try issuer.verify(token, itemId: "item-1", now: now.addingTimeInterval(.infinity)) }
        #expect(issuer.mint(itemId: "x", now: now, lifetime: .max).isEmpty == false)
    }

    @Test("an expired token is refused with its expiry")
    func expired() {
        let token = issuer.mint(itemId: "item-1", now: now, lifetime: 60)
        #expect(throws: ConnectTokenError.expired(at: now.addingTimeInterval(60))) {
            try issuer.verify(token, itemId: "item-1", now: now.addingTimeInterval(60))
        }
    }

    @Test("a token for another item is refused, naming that item")
    func otherItem() {
        let token = issuer.mint(itemId: "item-1", now: now)
        #expect(throws: ConnectTokenError.issuedForAnotherItem(tokenItemId: "item-1")) {
            try issuer.verify(token, itemId: "item-2", now: now)
        }
    }

    @Test("each refusal maps to its own Pluggy error: 401 for a bad token, 403 for another item's")
    func apiErrors() {
        let errors: [ConnectTokenError] = [.malformed("x"), .badSignature, .expired(at: now), .issuedForAnotherItem(tokenItemId: "a")]
        #expect(errors.map(\.apiError.code) == [401, 401, 401, 403])
        #expect(Set(errors.map(\.apiError.codeDescription)).count == 4)
        #expect(Set(errors.map(\.description)).count == 4)
    }

    @Test("the sandbox refuses bad tokens and changes nothing")
    func sandboxRefusesAndChangesNothing() async throws {
        let (sandbox, clock) = makeSandbox()
        let id = try requireScenario("invalid-credentials", sandbox)
        let other = try requireScenario("up-to-date", sandbox)
        let before = try await sandbox.snapshot(itemId: id)
        let expired = try await sandbox.mintConnectToken(itemId: id, lifetime: 10)
        let otherToken = try await sandbox.mintConnectToken(itemId: other)
        let good = try await sandbox.mintConnectToken(itemId: id)
        clock.advance(by: 11)
        let goodStill = try await sandbox.item(id: id, connectToken: good)
        #expect(goodStill == before)
        let cases: [(String, Int, String)] = [
            ("not-a-token", 401, "TOKEN_MALFORMED"),
            (good.dropLast(2) + "xx", 401, "TOKEN_INVALID_SIGNATURE"),
            (expired, 401, "TOKEN_EXPIRED"),
            (otherToken, 403, "TOKEN_NOT_VALID_FOR_ITEM"),
        ]
        for (token, code, description) in cases {
            let error = await apiError { _ = try await sandbox.update(id: id, parameters: ok, connectToken: token) }
            #expect(error?.code == code)
            #expect(error?.codeDescription == description)
            let error2 = await apiError { _ = try await sandbox.item(id: id, connectToken: token) }
            #expect(error2?.code == code)
        }
        #expect(try await sandbox.snapshot(itemId: id) == before)
        #expect(await sandbox.events.isEmpty)
    }

    @Test("the sandbox refuses lifetimes outside one second to one year")
    func lifetimes() async throws {
        let (sandbox, _) = makeSandbox()
        let id = try requireScenario("up-to-date", sandbox)
        for lifetime in [0, -5, Int.max, 365 * 86_400 + 1] {
            let error = await apiError { _ = try await sandbox.mintConnectToken(itemId: id, lifetime: lifetime) }
            #expect(error?.codeDescription == "INVALID_EXPIRATION")
        }
    }

    @Test("minting for an unknown item is a 404; an unknown item with a valid token too")
    func unknownItem() async throws {
        let (sandbox, clock) = makeSandbox()
        let error = await apiError { _ = try await sandbox.mintConnectToken(itemId: "nope") }
        #expect(error?.code == 404)
        let token = ConnectTokenIssuer(secret: "test-secret").mint(itemId: "nope", now: clock.now())
        let error2 = await apiError { _ = try await sandbox.item(id: "nope", connectToken: token) }
        #expect(error2?.code == 404)
        #expect(error2?.codeDescription == "ITEM_NOT_FOUND")
    }
}
