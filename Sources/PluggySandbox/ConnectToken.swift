#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Pluggy

/// Mints and verifies the sandbox's connect tokens, mirroring `POST /connect_token {itemId}`.
///
/// A token is a JWT signed with HMAC-SHA256 (swift-crypto): `{"iss":"connect-tui-sandbox",
/// "sub":"connect_token","itemId":…,"iat":…,"exp":…}`. The signing key is the sandbox's built-in key,
/// or `CONNECT_TUI_TOKEN_SECRET` when set, so tokens minted by one process verify in another.
public struct ConnectTokenIssuer: Sendable {
    /// Pluggy's connect tokens live 30 minutes.
    public static let defaultLifetime: Int = 30 * 60
    /// The longest a sandbox token may live: one year.
    public static let maximumLifetime: Int = 365 * 86_400
    static let issuer = "connect-tui-sandbox"
    static let builtInSecret = "connect-tui offline sandbox: not a secret, tokens here guard nothing real"

    private let key: SymmetricKey

    /// An issuer signing with `secret`.
    public init(secret: String) { key = SymmetricKey(data: Array(secret.utf8)) }

    /// The issuer every connect-tui process uses: `CONNECT_TUI_TOKEN_SECRET` or the built-in key.
    public static func standard(environment: [String: String]) -> ConnectTokenIssuer {
        let secret = environment["CONNECT_TUI_TOKEN_SECRET"].flatMap { $0.isEmpty ? nil : $0 } ?? builtInSecret
        return ConnectTokenIssuer(secret: secret)
    }

    /// A token for `itemId`, valid from `now` for `lifetime` seconds.
    public func mint(itemId: String, now: Date, lifetime: Int = defaultLifetime) -> String {
        mint(subject: "connect_token", itemId: itemId, now: now, lifetime: lifetime)
    }

    private func mint(subject: String, itemId: String, now: Date, lifetime: Int) -> String {
        let seconds = now.timeIntervalSince1970
        let issuedAt = seconds.isFinite ? Int64(min(max(seconds, 0), 253_402_300_799).rounded(.down)) : 0
        let life = Int64(min(max(lifetime, 1), Self.maximumLifetime))
        let claims = ConnectTokenClaims(
            iss: Self.issuer, sub: subject, itemId: itemId, iat: issuedAt, exp: issuedAt + life)
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(Array(((try? PluggyJSON.string(claims)) ?? "{}").utf8))
        let signingInput = header + "." + payload
        let signature = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Array(signature))
    }

    /// The token's claims when it is well-formed, signed with this key, not expired at `now`, and issued
    /// for `itemId`; otherwise the reason it is refused.
    public func verify(_ token: String, itemId: String, now: Date) throws(ConnectTokenError) -> ConnectTokenClaims {
        let claims = try verifySignature(token)
        if Double(claims.exp) <= now.timeIntervalSince1970 {
            throw .expired(at: Date(timeIntervalSince1970: Double(claims.exp)))
        }
        guard claims.isAPIKey || claims.itemId == itemId else { throw .issuedForAnotherItem(tokenItemId: claims.itemId) }
        return claims
    }

    /// An API key (what `POST /auth` returns): reaches every item, lives `lifetime` seconds (Pluggy: 2 h).
    public func mintAPIKey(now: Date, lifetime: Int = 2 * 3600) -> String {
        mint(subject: "api_key", itemId: "", now: now, lifetime: lifetime)
    }

    /// The claims of a well-formed token signed with this key, whatever its expiry and item.
    public func verifySignature(_ token: String) throws(ConnectTokenError) -> ConnectTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw .malformed("expected three dot-separated parts (header.payload.signature), found \(parts.count)")
        }
        guard let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { throw .malformed("a part is not base64url") }
        let decoder = PluggyJSON.decoder()
        guard let header = try? decoder.decode(JWTHeader.self, from: Data(headerBytes)) else {
            throw .malformed("the header is not JSON")
        }
        guard header.alg == "HS256" else { throw .malformed("unsupported algorithm '\(header.alg)'; expected HS256") }
        let signingInput = Array((String(parts[0]) + "." + String(parts[1])).utf8)
        // The signature must be exactly the canonical encoding (no alternative spellings of its last bits).
        guard Base64URL.encode(signature) == parts[2],
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: key)
        else {
            throw .badSignature
        }
        guard let claims = try? decoder.decode(ConnectTokenClaims.self, from: Data(payloadBytes)) else {
            throw .malformed("the payload lacks itemId, iat or exp")
        }
        guard claims.iss == Self.issuer, claims.sub == "connect_token" || claims.sub == "api_key" else {
            throw .malformed("it is not a connect token of the connect-tui sandbox")
        }
        return claims
    }
}

/// The sandbox's documented API credentials for `POST /auth` (`connect-tui serve`).
public enum SandboxAPICredentials {
    public static let clientId = "connect-tui-sandbox"
    public static let clientSecret = "connect-tui-sandbox-secret"
}

/// What a sandbox connect token says.
public struct ConnectTokenClaims: Codable, Hashable, Sendable {
    public var iss: String
    public var sub: String
    public var itemId: String
    /// Issued at, seconds since 1970.
    public var iat: Int64
    /// Expires at, seconds since 1970.
    public var exp: Int64

    public var expiresAt: Date { Date(timeIntervalSince1970: Double(exp)) }
    /// An API key reaches every item; a connect token only its own.
    public var isAPIKey: Bool { sub == "api_key" }
}

private struct JWTHeader: Decodable {
    var alg: String
}

/// Why a connect token was refused. Each reason has its own message and Pluggy-style error.
public enum ConnectTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    case expired(at: Date)
    case issuedForAnotherItem(tokenItemId: String)

    public var description: String {
        switch self {
        case .malformed(let why): return "The connect token is malformed: \(why)."
        case .badSignature: return "The connect token's signature does not match: it was altered or signed with another key."
        case .expired(let at): return "The connect token expired at \(ISO8601.format(at)); mint a new one."
        case .issuedForAnotherItem(let other): return "The connect token was issued for item \(other), not this one."
        }
    }

    /// The error Pluggy's API answers with: 401 for a token that is not valid, 403 for another item's.
    public var apiError: PluggyAPIError {
        switch self {
        case .malformed: return PluggyAPIError(code: 401, codeDescription: "TOKEN_MALFORMED", message: description)
        case .badSignature: return PluggyAPIError(code: 401, codeDescription: "TOKEN_INVALID_SIGNATURE", message: description)
        case .expired: return PluggyAPIError(code: 401, codeDescription: "TOKEN_EXPIRED", message: description)
        case .issuedForAnotherItem:
            return PluggyAPIError(code: 403, codeDescription: "TOKEN_NOT_VALID_FOR_ITEM",
                                  message: "The connect token is not valid for this item: " + description)
        }
    }
}

/// Base64 with the URL alphabet and no padding (RFC 7515).
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacing("+", with: "-")
            .replacing("/", with: "_")
            .replacing("=", with: "")
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.allSatisfy({ $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" || $0 == "_" })
        else { return nil }
        var base64 = String(text).replacing("-", with: "+").replacing("_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
