import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Pluggy
import PluggySandbox
import Synchronization

/// The offline sandbox behind Pluggy's paths, bodies, status codes and error shapes, so the live client
/// (and a user's own backend tests) can run against it without a network.
///
/// Auth as Pluggy: `POST /auth` with the sandbox's client id and secret gives an API key that reaches
/// everything; a connect token reaches only its item (403 elsewhere); malformed, tampered or expired keys
/// get 401. `PATCH /items/{id}` is limited to 20 a minute per item with Pluggy's 429 body and headers.
/// Simulator controls live under `/simulator/`.
public struct SandboxServer: Sendable {
    /// The sandbox's documented API credentials for `POST /auth`.
    public static let clientId = SandboxAPICredentials.clientId
    public static let clientSecret = SandboxAPICredentials.clientSecret

    public let sandbox: PluggySandbox
    let limiter = PatchLimiter()
    /// The last JSON sent for each item: an unchanged item is not encoded again (GET /items is the hot path).
    let encoded = ItemJSONCache()
    public let webhooks: WebhookDispatcher

    public init(sandbox: PluggySandbox, webhooks: WebhookDispatcher = WebhookDispatcher()) {
        self.sandbox = sandbox
        self.webhooks = webhooks
    }

    /// Starts delivering item events to each item's `webhookUrl`.
    public func startWebhooks() async {
        let dispatcher = webhooks
        await sandbox.onEvent { event, item in
            guard let url = item.webhookUrl else { return }
            Task { await dispatcher.deliver(WebhookPayload(event), to: url) }
        }
    }

    /// The routes, for an `Application` (or a test).
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let server = self
        router.post("/auth") { request, _ in try await server.auth(request) }
        router.post("/connect_token") { request, _ in try await server.connectToken(request) }
        router.get("/items/:id") { request, context in
            do {
                let id = try server.parameter(context, "id")
                let item = try await server.sandbox.item(id: id, connectToken: try server.key(request))
                return try server.itemResponse(item)
            } catch {
                return Self.failure(error)
            }
        }
        router.patch("/items/:id") { request, context in try await server.update(request, context) }
        router.post("/items/:id/mfa") { request, context in
            let body = try await server.body(request)
            return try await server.answer { () async throws(PluggyAPIError) in
                let parameters = try server.decode([String: String].self, body)
                let id = try server.parameter(context, "id")
                let item = try await server.sandbox.sendMFA(id: id, parameters: parameters, connectToken: try server.key(request))
                server.drive(id)
                return item
            }
        }
        router.get("/connectors") { request, _ in
            try await server.answer { () async throws(PluggyAPIError) in
                try server.requireKey(request)
                let connectors = server.sandbox.catalogue.connectors.map(\.connector)
                return ConnectorPage(results: connectors, page: 1, total: connectors.count, totalPages: 1)
            }
        }
        router.get("/connectors/:id") { request, context in
            try await server.answer { () async throws(PluggyAPIError) in
                try server.requireKey(request)
                guard let id = Int(try server.parameter(context, "id")), let entry = server.sandbox.catalogue.connector(id: id) else {
                    throw PluggyAPIError(code: 404, codeDescription: "CONNECTOR_NOT_FOUND", message: "Connector not found.")
                }
                return entry.connector
            }
        }
        router.post("/connectors/:id/validate") { request, context in
            let body = try await server.body(request)
            return try await server.answer { () async throws(PluggyAPIError) in
                try server.requireKey(request)
                guard let id = Int(try server.parameter(context, "id")) else {
                    throw PluggyAPIError(code: 404, codeDescription: "CONNECTOR_NOT_FOUND", message: "Connector not found.")
                }
                let parameters = try server.decode([String: String].self, body)
                let errors = try server.sandbox.validateParameters(connectorId: id, parameters: parameters)
                return ValidationReply(parameters: parameters.mapValues { _ in "" }, errors: errors)
            }
        }
        for action in ["approve", "deny", "auto-sync", "password-changed"] {
            router.post("/simulator/items/:id/\(action)") { request, context in
                try await server.answer { () async throws(PluggyAPIError) in
                    try server.requireKey(request)
                    let id = try server.parameter(context, "id")
                    defer { server.drive(id) }
                    switch action {
                    case "approve": return SimulatorReply(item: try await server.sandbox.approveAuthorization(itemId: id), report: nil)
                    case "deny": return SimulatorReply(item: try await server.sandbox.denyAuthorization(itemId: id), report: nil)
                    case "auto-sync":
                        let report = try await server.sandbox.runDailyAutoSync(itemId: id)
                        return SimulatorReply(item: report.item, report: report)
                    default:
                        try await server.sandbox.changePasswordAtBank(itemId: id)
                        return SimulatorReply(item: try await server.sandbox.snapshot(itemId: id), report: nil)
                    }
                }
            }
        }
        return router
    }

    /// The whole HTTP application on `host:port` (port 0: any free port, reported to `onRunning`).
    public func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "connect-tui-sandbox"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    // MARK: - Handlers

    func auth(_ request: Request) async throws -> Response {
        struct Body: Decodable { var clientId: String; var clientSecret: String }
        struct Reply: Encodable { var apiKey: String }
        let body = try await self.body(request)
        return try await answer { () async throws(PluggyAPIError) in
            let credentials = try decode(Body.self, body)
            guard credentials.clientId == Self.clientId, credentials.clientSecret == Self.clientSecret else {
                throw PluggyAPIError(code: 401, codeDescription: "CLIENT_KEYS_UNAUTHORIZED",
                                     message: "The client id and secret do not match (the sandbox's are \(Self.clientId) / its documented secret).")
            }
            return Reply(apiKey: sandbox.tokens.mintAPIKey(now: sandbox.clock.now()))
        }
    }

    func connectToken(_ request: Request) async throws -> Response {
        struct Options: Decodable { var webhookUrl: String? }
        struct Body: Decodable { var itemId: String?; var options: Options? }
        struct Reply: Encodable { var accessToken: String }
        let body = try await self.body(request)
        return try await answer { () async throws(PluggyAPIError) in
            let claims = try requireKey(request)
            guard claims.isAPIKey else {
                throw PluggyAPIError(code: 403, codeDescription: "FORBIDDEN", message: "Connect tokens are minted with an API key, not with a connect token.")
            }
            let request = try decode(Body.self, body)
            let itemId = request.itemId ?? ""
            guard !itemId.isEmpty else {
                throw PluggyAPIError.parameterValidation([ParameterValidationError(
                    code: ParameterValidationError.missingRequiredParameter, message: "itemId is required to update an item.", parameter: "itemId")])
            }
            let token = try await sandbox.mintConnectToken(itemId: itemId)
            if let url = request.options?.webhookUrl { try await sandbox.setWebhookURL(itemId: itemId, url: url) }
            return Reply(accessToken: token)
        }
    }

    func update(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        struct Body: Decodable { var parameters: [String: String]?; var webhookUrl: String? }
        let body = try await self.body(request)
        let id = (try? parameter(context, "id")) ?? ""
        do {
            let key = try self.key(request)
            let claims = try verified(key)
            let trigger: TriggeredBy = claims.isAPIKey ? .client : .user
            if let wait = await limiter.admit(itemId: id, now: sandbox.clock.now()) {
                return Self.rateLimited(retryAfter: wait)
            }
            let update = body.isEmpty ? nil : try decode(Body.self, body)
            _ = try await sandbox.item(id: id, connectToken: key)
            if let url = update?.webhookUrl { try await sandbox.setWebhookURL(itemId: id, url: url) }
            let item = try await sandbox.update(id: id, parameters: update?.parameters, connectToken: key, triggeredBy: trigger)
            drive(id)
            return try Self.json(item)
        } catch {
            return Self.failure(error)
        }
    }

    // MARK: - Plumbing

    func itemResponse(_ item: Item) throws -> Response {
        let data = try encoded.json(for: item)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Keeps the item's execution moving in the background, so its webhooks fire on time.
    func drive(_ itemId: String) {
        let sandbox = self.sandbox
        Task { await sandbox.drive(itemId: itemId) }
    }

    func answer<T: Encodable>(_ body: () async throws(PluggyAPIError) -> T) async throws -> Response {
        do {
            return try Self.json(try await body())
        } catch {
            return Self.failure(error)
        }
    }

    func body(_ request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        return Data(buffer.readableBytesView)
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws(PluggyAPIError) -> T {
        do {
            return try PluggyJSON.decoder().decode(T.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw PluggyAPIError(code: 400, codeDescription: "INVALID_BODY", message: "The request body is not the JSON this endpoint expects.")
        }
    }

    func parameter(_ context: BasicRequestContext, _ name: String) throws(PluggyAPIError) -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else {
            throw PluggyAPIError(code: 404, codeDescription: "NOT_FOUND", message: "Not found.")
        }
        return value
    }

    func key(_ request: Request) throws(PluggyAPIError) -> String {
        guard let name = HTTPField.Name("X-API-KEY"), let key = request.headers[name], !key.isEmpty else {
            throw PluggyAPIError(code: 401, codeDescription: "MISSING_API_KEY", message: "Send an API key or a connect token in the X-API-KEY header.")
        }
        return key
    }

    func verified(_ key: String) throws(PluggyAPIError) -> ConnectTokenClaims {
        let claims: ConnectTokenClaims
        do {
            claims = try sandbox.tokens.verifySignature(key)
        } catch {
            throw error.apiError
        }
        if claims.expiresAt <= sandbox.clock.now() { throw ConnectTokenError.expired(at: claims.expiresAt).apiError }
        return claims
    }

    @discardableResult
    func requireKey(_ request: Request) throws(PluggyAPIError) -> ConnectTokenClaims {
        try verified(try key(request))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try PluggyJSON.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func failure(_ error: any Error) -> Response {
        let apiError = (error as? PluggyAPIError)
            ?? PluggyAPIError(code: 500, codeDescription: "INTERNAL_ERROR", message: "The sandbox server failed: \(error)")
        let data = (try? PluggyJSON.encoder().encode(apiError)) ?? Data()
        return Response(status: HTTPResponse.Status(code: apiError.code), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func rateLimited(retryAfter: Int) -> Response {
        let error = PluggyAPIError(code: 429, message: "Too many requests. Please try again later (see Retry-After header in seconds)")
        let data = (try? PluggyJSON.encoder().encode(error)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if let limit = HTTPField.Name("RateLimit-Limit") { headers[limit] = "\(PatchLimiter.limit)" }
        if let reset = HTTPField.Name("RateLimit-Reset") { headers[reset] = "\(retryAfter)" }
        headers[.retryAfter] = "60"
        return Response(status: .tooManyRequests, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `GET /connectors`.
struct ConnectorPage: Encodable {
    var results: [Connector]
    var page: Int
    var total: Int
    var totalPages: Int
}

/// `POST /connectors/{id}/validate`.
struct ValidationReply: Encodable {
    var parameters: [String: String]
    var errors: [ParameterValidationError]
}

/// A simulator control's answer: the item, and the auto-sync report when there is one.
struct SimulatorReply: Encodable {
    var item: Item
    var report: AutoSyncReport?
}

/// Encoded items, reused while the item is unchanged.
final class ItemJSONCache: Sendable {
    private let entries = Mutex<[String: (Item, Data)]>([:])

    func json(for item: Item) throws -> Data {
        if let data = entries.withLock({ cache -> Data? in
            guard let entry = cache[item.id], entry.0 == item else { return nil }
            return entry.1
        }) {
            return data
        }
        let data = try PluggyJSON.encoder().encode(item)
        entries.withLock { $0[item.id] = (item, data) }
        return data
    }
}

/// 20 PATCH /items/{id} per minute per item, as Pluggy.
actor PatchLimiter {
    static let limit = 20
    private var hits: [String: [Date]] = [:]

    /// nil when the call may go ahead; else the seconds until it may.
    func admit(itemId: String, now: Date) -> Int? {
        var recent = (hits[itemId] ?? []).filter { now.timeIntervalSince($0) < 60 }
        guard recent.count < Self.limit else {
            hits[itemId] = recent
            return max(1, Int((60 - now.timeIntervalSince(recent[0])).rounded(.up)))
        }
        recent.append(now)
        hits[itemId] = recent
        return nil
    }
}
