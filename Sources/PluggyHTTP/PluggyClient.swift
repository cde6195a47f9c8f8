import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Pluggy

/// Pluggy's REST API over HTTPS (`https://api.pluggy.ai`, or `PLUGGY_API_URL`), with `X-API-KEY`.
///
/// Every failure becomes a `PluggyAPIError`: Pluggy's own body for 4xx/5xx, and code 0 with a
/// `codeDescription` (`TIMEOUT`, `CONNECTION_ERROR`, …) when no answer came. Only idempotent calls (GET)
/// and 429s are retried, with backoff, honouring `Retry-After`. No credential or MFA value is ever put
/// in an error, a log line or an event.
public actor PluggyClient {
    public static let defaultBaseURL = "https://api.pluggy.ai"
    /// Pluggy allows 20 PATCH /items/{id} per minute.
    public static let patchLimitPerMinute = 20

    public nonisolated let baseURL: String
    let http: HTTPClient
    let timeout: TimeAmount
    let maxRetries: Int
    /// Seconds to wait before retry `n` (n from 1); tests shorten it.
    let backoff: @Sendable (Int) -> Double
    private var patches: [ContinuousClock.Instant] = []

    public init(baseURL: String = PluggyClient.defaultBaseURL, http: HTTPClient = .shared, timeout: Double = 30,
                maxRetries: Int = 2, backoff: @escaping @Sendable (Int) -> Double = { Double(1 << ($0 - 1)) }) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
        self.timeout = .milliseconds(Int64(timeout * 1000))
        self.maxRetries = maxRetries
        self.backoff = backoff
    }

    /// The base URL from `PLUGGY_API_URL`, else Pluggy's.
    public static func baseURL(environment: [String: String]) -> String {
        environment["PLUGGY_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBaseURL
    }

    // MARK: - Endpoints

    /// `POST /auth {clientId, clientSecret}` → the API key.
    public func authenticate(clientId: String, clientSecret: String) async throws(PluggyAPIError) -> String {
        struct Body: Encodable { var clientId: String; var clientSecret: String; var nonExpiring = false }
        struct Reply: Decodable { var apiKey: String }
        let reply: Reply = try await send(.POST, "/auth", key: nil, body: Body(clientId: clientId, clientSecret: clientSecret))
        return reply.apiKey
    }

    /// `POST /connect_token {itemId}` → a connect token for that item.
    public func connectToken(apiKey: String, itemId: String) async throws(PluggyAPIError) -> String {
        struct Body: Encodable { var itemId: String }
        struct Reply: Decodable { var accessToken: String }
        let reply: Reply = try await send(.POST, "/connect_token", key: apiKey, body: Body(itemId: itemId))
        return reply.accessToken
    }

    /// `GET /items/{id}`.
    public func item(_ id: String, key: String) async throws(PluggyAPIError) -> Item {
        try await send(.GET, "/items/\(Self.escape(id))", key: key, body: Optional<Empty>.none)
    }

    /// `PATCH /items/{id}` with `{"parameters": …}` or `{}`. Refused locally (429) past 20 a minute.
    public func updateItem(_ id: String, parameters: [String: String]?, key: String) async throws(PluggyAPIError) -> Item {
        let now = ContinuousClock.now
        patches.removeAll { now - $0 > .seconds(60) }
        guard patches.count < Self.patchLimitPerMinute else {
            let wait = 60 - Int((now - patches[0]).components.seconds)
            throw PluggyAPIError(code: 429, codeDescription: "TOO_MANY_UPDATES",
                                 message: "Pluggy allows \(Self.patchLimitPerMinute) updates of an item a minute; wait \(wait) s.",
                                 retryAfterSeconds: wait)
        }
        patches.append(now)
        struct Body: Encodable { var parameters: [String: String]? }
        return try await send(.PATCH, "/items/\(Self.escape(id))", key: key, body: Body(parameters: parameters))
    }

    /// `POST /items/{id}/mfa` with `{"<parameter.name>": value}`.
    public func sendMFA(_ id: String, parameters: [String: String], key: String) async throws(PluggyAPIError) -> Item {
        try await send(.POST, "/items/\(Self.escape(id))/mfa", key: key, body: parameters)
    }

    // MARK: - Transport

    struct Empty: Encodable {}

    func send<Body: Encodable, Reply: Decodable>(_ method: HTTPMethod, _ path: String, key: String?, body: Body?) async throws(PluggyAPIError) -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "connect-tui")
        if let key { request.headers.add(name: "X-API-KEY", value: key) }
        if let body {
            guard let data = try? PluggyJSON.encoder().encode(body) else {
                throw PluggyAPIError(code: 0, codeDescription: "ENCODING_ERROR", message: "The request could not be encoded.")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (status, headers, bytes) = try await exchange(request)
                if (200..<300).contains(status) {
                    do {
                        return try PluggyJSON.decoder().decode(Reply.self, from: bytes)
                    } catch {
                        throw PluggyAPIError(code: status, codeDescription: "UNEXPECTED_RESPONSE",
                                             message: "Pluggy's answer to \(method) \(Self.redact(path)) could not be read: \(Self.describe(error)).")
                    }
                }
                var error = Self.apiError(status: status, body: bytes, call: "\(method) \(Self.redact(path))")
                if status == 429 {
                    error.retryAfterSeconds = headers.first(name: "Retry-After").flatMap { Int($0) } ?? 60
                }
                let retryable = status == 429 || (method == .GET && status >= 500)
                if retryable, attempt <= maxRetries {
                    try await pause(status == 429 ? Double(min(error.retryAfterSeconds ?? 1, 60)) : backoff(attempt))
                    continue
                }
                throw error
            } catch let error as PluggyAPIError {
                throw error
            } catch {
                let mapped = Self.transportError(error, method: method, path: path, baseURL: baseURL)
                if method == .GET, attempt <= maxRetries {
                    try await pause(backoff(attempt))
                    continue
                }
                throw mapped
            }
        }
    }

    private func pause(_ seconds: Double) async throws(PluggyAPIError) {
        do {
            try await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
        } catch {
            throw PluggyAPIError(code: 0, codeDescription: "CANCELLED", message: "The request was cancelled.")
        }
    }

    private func exchange(_ request: HTTPClientRequest) async throws -> (Int, HTTPHeaders, Data) {
        let response = try await http.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), response.headers, Data(buffer.readableBytesView))
    }

    /// Pluggy's error body, or a plain description of the status when the body is not Pluggy's.
    /// - Parameter call: the method and (redacted) path, for the statuses whose meaning depends on them.
    static func apiError(status: Int, body: Data, call: String = "") -> PluggyAPIError {
        if var error = try? PluggyJSON.decoder().decode(PluggyAPIError.self, from: body), !error.message.isEmpty {
            error.code = status
            return error
        }
        let message: String
        switch status {
        case 400: message = "Pluggy refused the request as invalid."
        case 401: message = "The API key or connect token is not valid (wrong, expired or revoked)."
        case 403: message = "The connect token is not valid for this item."
        case 404 where call.contains(" /items/") || call.isEmpty: message = "Pluggy has no such item."
        case 404: message = "Pluggy has no \(call) (is PLUGGY_API_URL Pluggy's API?)."
        case 409: message = "An update is already in progress, wait until the last execution ends."
        case 429: message = "Too many requests. Please try again later."
        case 500...599: message = "Pluggy had a server error (HTTP \(status)); try again in a few minutes."
        default: message = "Pluggy answered HTTP \(status)."
        }
        return PluggyAPIError(code: status, message: message)
    }

    /// A failure with no HTTP answer, in one line (never the request body, which may hold secrets).
    static func transportError(_ error: any Error, method: HTTPMethod, path: String, baseURL: String) -> PluggyAPIError {
        let text = String(describing: error)
        let call = "\(method) \(baseURL)\(redact(path))"
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return PluggyAPIError(code: 0, codeDescription: "TIMEOUT", message: "No answer from Pluggy in time (\(call)).")
            case .remoteConnectionClosed:
                return PluggyAPIError(code: 0, codeDescription: "CONNECTION_CLOSED", message: "Pluggy closed the connection before answering (\(call)).")
            default:
                break
            }
        }
        if text.lowercased().contains("tls") || text.lowercased().contains("certificate") || text.lowercased().contains("handshake") {
            return PluggyAPIError(code: 0, codeDescription: "TLS_ERROR", message: "A secure connection to Pluggy could not be made (\(call)): \(describe(error)).")
        }
        if text.contains("lookup") || text.contains("resolve") || text.contains("DNS") || text.contains("NXDOMAIN") {
            return PluggyAPIError(code: 0, codeDescription: "DNS_ERROR", message: "Pluggy's address could not be resolved (\(call)).")
        }
        return PluggyAPIError(code: 0, codeDescription: "CONNECTION_ERROR", message: "Pluggy could not be reached (\(call)): \(describe(error)).")
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    static func escape(_ component: String) -> String {
        component.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? component
    }

    static func redact(_ path: String) -> String { path }
}

/// Pluggy's live API as the widget sees it: a `Backend` bound to one connect token.
public struct LiveBackend: Backend {
    public let client: PluggyClient
    public let connectToken: String
    /// Seconds between polls while an execution runs.
    public let pollInterval: Double

    public init(client: PluggyClient, connectToken: String, pollInterval: Double = 2) {
        self.client = client
        self.connectToken = connectToken
        self.pollInterval = pollInterval
    }

    public func fetchItem(id: String) async throws(PluggyAPIError) -> Item {
        try await client.item(id, key: connectToken)
    }

    public func updateItem(id: String, parameters: [String: String]?) async throws(PluggyAPIError) -> Item {
        try await client.updateItem(id, parameters: parameters, key: connectToken)
    }

    public func sendMFA(itemId: String, parameters: [String: String]) async throws(PluggyAPIError) -> Item {
        try await client.sendMFA(itemId, parameters: parameters, key: connectToken)
    }

    /// Polls `GET /items/{id}` until the item changes or stops running.
    public func nextSnapshot(after item: Item) async throws(PluggyAPIError) -> Item {
        while true {
            let now = try await fetchItem(id: item.id)
            if now != item || !now.isRunning { return now }
            do {
                try await Task.sleep(for: .milliseconds(Int64(pollInterval * 1000)))
            } catch {
                return now
            }
        }
    }
}

/// What `connect-tui serve`'s simulator routes answer.
public struct SimulatorAnswer: Decodable, Sendable {
    public struct Report: Decodable, Sendable {
        public var outcome: String
        public var path: [ExecutionStatus]
    }
    public var item: Item
    public var report: Report?
}

extension PluggyClient {
    /// `POST /simulator/items/{id}/{action}` on `connect-tui serve` (approve, deny, auto-sync).
    public func simulate(_ action: String, itemId: String, apiKey: String) async throws(PluggyAPIError) -> SimulatorAnswer {
        try await send(.POST, "/simulator/items/\(Self.escape(itemId))/\(action)", key: apiKey, body: Optional<Empty>.none)
    }
}
