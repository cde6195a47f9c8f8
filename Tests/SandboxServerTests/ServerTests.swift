import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Pluggy
import PluggyHTTP
import PluggySandbox
import SandboxServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A running `serve` on a free loopback port, and a live client pointed at it.
func withServer(_ body: @escaping @Sendable (PluggyClient, SandboxServer, any TestClientProtocol) async throws -> Void) async throws {
    let clock = SystemClock()
    let sandbox = PluggySandbox(catalogue: Catalogue.builtIn(now: clock.now()), clock: clock, speed: .instant,
                                tokens: ConnectTokenIssuer(secret: "server-tests"))
    let server = SandboxServer(sandbox: sandbox)
    let app = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        let pluggy = PluggyClient(baseURL: "http://127.0.0.1:\(port)", timeout: 5, backoff: { _ in 0.01 })
        try await body(pluggy, server, client)
    }
}

func apiKey(_ client: PluggyClient) async throws -> String {
    try await client.authenticate(clientId: SandboxServer.clientId, clientSecret: SandboxServer.clientSecret)
}

func thrown(_ body: () async throws -> Void) async -> PluggyAPIError? {
    do {
        try await body()
        return nil
    } catch let error as PluggyAPIError {
        return error
    } catch {
        return PluggyAPIError(code: -1, message: "\(error)")
    }
}

let invalidCredentials = "9293c11c-38bc-507d-a789-c1834af2dfe2"
let upToDate = "fe8e3a51-16aa-5ec3-b03f-1af065570cdb"
let xp = "1720001a-3bed-5b58-b2c4-aa56b809fd2b"

@Suite("serve and the live client over loopback HTTP")
struct ServerTests {
    @Test("POST /auth, POST /connect_token, GET /items/{id}: Pluggy's auth and scope")
    func authAndScope() async throws {
        try await withServer { pluggy, _, _ in
            let wrong = await thrown { _ = try await pluggy.authenticate(clientId: "x", clientSecret: "y") }
            #expect(wrong?.code == 401)
            #expect(wrong?.codeDescription == "CLIENT_KEYS_UNAUTHORIZED")
            let key = try await apiKey(pluggy)
            let token = try await pluggy.connectToken(apiKey: key, itemId: invalidCredentials)
            let item = try await pluggy.item(invalidCredentials, key: token)
            #expect(item.status == .loginError)
            #expect(item.connector.name == "Pluggy Bank")
            // An API key reaches every item; a connect token only its own.
            #expect(try await pluggy.item(upToDate, key: key).status == .updated)
            let other = await thrown { _ = try await pluggy.item(upToDate, key: token) }
            #expect(other?.code == 403)
            #expect(other?.codeDescription == "TOKEN_NOT_VALID_FOR_ITEM")
            let tampered = await thrown { _ = try await pluggy.item(invalidCredentials, key: String(token.dropLast(2)) + "zz") }
            #expect(tampered?.code == 401)
            let missing = await thrown { _ = try await pluggy.item("nope", key: key) }
            #expect(missing?.code == 404)
            let byToken = await thrown { _ = try await pluggy.connectToken(apiKey: token, itemId: upToDate) }
            #expect(byToken?.code == 403)
            let unknownItem = await thrown { _ = try await pluggy.connectToken(apiKey: key, itemId: "nope") }
            #expect(unknownItem?.code == 404)
        }
    }

    @Test("the invalid-credentials fix through the live backend")
    func invalidCredentialsFlow() async throws {
        try await withServer { pluggy, _, _ in
            let token = try await pluggy.connectToken(apiKey: try await apiKey(pluggy), itemId: invalidCredentials)
            let backend = LiveBackend(client: pluggy, connectToken: token, pollInterval: 0.02)
            let bad = await thrown { _ = try await backend.updateItem(id: invalidCredentials, parameters: ["user": "user-ok", "password": ""]) }
            #expect(bad?.code == 400)
            #expect(bad?.details?.first?.parameter == "password")
            let started = try await backend.updateItem(id: invalidCredentials, parameters: ["user": "user-ok", "password": "password-ok"])
            #expect(started.status == .updating)
            let final = try await backend.settle(from: started)
            #expect(final.status == .updated)
            #expect(final.executionStatus == .success)
        }
    }

    @Test("XP MFA through the live backend: wait for the parameter, answer it")
    func mfaFlow() async throws {
        try await withServer { pluggy, _, _ in
            let token = try await pluggy.connectToken(apiKey: try await apiKey(pluggy), itemId: xp)
            let backend = LiveBackend(client: pluggy, connectToken: token, pollInterval: 0.02)
            let waiting = try await backend.settle(from: try await backend.updateItem(id: xp, parameters: nil))
            #expect(waiting.status == .waitingUserInput)
            #expect(waiting.parameter?.name == "token")
            let conflict = await thrown { _ = try await backend.updateItem(id: xp, parameters: nil) }
            #expect(conflict?.code == 409)
            #expect(conflict?.codeDescription == "ITEM_ALREADY_UPDATING")
            let final = try await backend.settle(from: try await backend.sendMFA(itemId: xp, parameters: ["token": "123456"]))
            #expect(final.status == .updated)
        }
    }

    @Test("GET /connectors, GET /connectors/{id}, POST /connectors/{id}/validate")
    func connectors() async throws {
        try await withServer { pluggy, _, client in
            let key = try await apiKey(pluggy)
            let headers: HTTPFields = [HTTPField.Name("X-API-KEY")!: key, .contentType: "application/json"]
            let list = try await client.execute(uri: "/connectors", method: .get, headers: headers)
            #expect(list.status == .ok)
            let page = try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [String: Any]
            #expect((page?["results"] as? [Any])?.count == 9)
            let one = try await client.execute(uri: "/connectors/208", method: .get, headers: headers)
            #expect(String(buffer: one.body).contains("XP Investimentos"))
            let validate = try await client.execute(uri: "/connectors/234/validate", method: .post, headers: headers,
                                                    body: ByteBuffer(string: #"{"user":"user-ok","password":"x","token":"12"}"#))
            let reply = try JSONSerialization.jsonObject(with: Data(validate.body.readableBytesView)) as? [String: Any]
            let errors = reply?["errors"] as? [[String: Any]]
            #expect(errors?.first?["parameter"] as? String == "token")
            #expect(errors?.first?["code"] as? String == "002")
            #expect(!String(buffer: validate.body).contains("\"x\""))
            let unauthenticated = try await client.execute(uri: "/connectors", method: .get)
            #expect(unauthenticated.status == .unauthorized)
        }
    }

    @Test("PATCH is limited to 20 a minute per item, with Pluggy's 429 body and headers")
    func rateLimit() async throws {
        try await withServer { pluggy, _, client in
            let key = try await apiKey(pluggy)
            let headers: HTTPFields = [HTTPField.Name("X-API-KEY")!: key, .contentType: "application/json"]
            var statuses: [Int] = []
            for _ in 0..<21 {
                let response = try await client.execute(uri: "/items/\(upToDate)", method: .patch, headers: headers, body: ByteBuffer(string: "{}"))
                statuses.append(response.status.code)
                if response.status == .tooManyRequests {
                    #expect(response.headers[.retryAfter] == "60")
                    #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "20")
                    #expect(String(buffer: response.body).contains("Too many requests"))
                }
            }
            #expect(statuses.last == 429)
            #expect(!statuses.dropLast().contains(429))
        }
    }

    @Test("simulator controls: approve a device, run the daily auto-sync")
    func simulator() async throws {
        try await withServer { pluggy, _, client in
            let key = try await apiKey(pluggy)
            let device = "27b3804f-6375-54e7-a33f-f9f10dabca94"
            let backend = LiveBackend(client: pluggy, connectToken: try await pluggy.connectToken(apiKey: key, itemId: device), pollInterval: 0.02)
            let waiting = try await backend.settle(from: try await backend.updateItem(id: device, parameters: nil))
            #expect(waiting.status == .waitingUserAction)
            let headers: HTTPFields = [HTTPField.Name("X-API-KEY")!: key]
            let approved = try await client.execute(uri: "/simulator/items/\(device)/approve", method: .post, headers: headers)
            #expect(approved.status == .ok)
            let final = try await backend.settle(from: try await backend.fetchItem(id: device))
            #expect(final.status == .updated)
            let sync = try await client.execute(uri: "/simulator/items/\(device)/auto-sync", method: .post, headers: headers)
            #expect(String(buffer: sync.body).contains("\"outcome\":\"synced\""))
        }
    }
}

@Suite("live client error mapping")
struct ErrorMappingTests {
    /// A test server that answers each path with one failure.
    func withFailingServer(_ body: @escaping @Sendable (PluggyClient) async throws -> Void) async throws {
        let router = Router()
        for code in [400, 401, 403, 404, 409, 500] {
            router.get("/items/status-\(code)") { _, _ in
                Response(status: HTTPResponse.Status(code: code), headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(string: #"{"code":\#(code),"codeDescription":"TEST_\#(code)","message":"test \#(code)"}"#)))
            }
        }
        router.get("/items/plain-502") { _, _ in Response(status: .badGateway, body: .init(byteBuffer: ByteBuffer(string: "<html>bad gateway</html>"))) }
        router.get("/items/slow-429") { _, _ in
            Response(status: .tooManyRequests, headers: [.retryAfter: "0"], body: .init(byteBuffer: ByteBuffer(string: #"{"code":429,"message":"Too many requests."}"#)))
        }
        router.get("/items/stall") { _, _ -> Response in
            try await Task.sleep(for: .seconds(6))
            return Response(status: .ok)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(PluggyClient(baseURL: "http://127.0.0.1:\(port)", timeout: 3, maxRetries: 1, backoff: { _ in 0.01 }))
        }
    }

    @Test("each HTTP failure keeps Pluggy's code and message")
    func statuses() async throws {
        try await withFailingServer { client in
            for code in [400, 401, 403, 404, 409, 500] {
                let error = await thrown { _ = try await client.item("status-\(code)", key: "k") }
                #expect(error?.code == code)
                #expect(error?.codeDescription == "TEST_\(code)")
                #expect(error?.message == "test \(code)")
            }
            let plain = await thrown { _ = try await client.item("plain-502", key: "k") }
            #expect(plain?.code == 502)
            #expect(plain?.message.contains("server error") == true)
            let limited = await thrown { _ = try await client.item("slow-429", key: "k") }
            #expect(limited?.code == 429)
            #expect(limited?.retryAfterSeconds == 0)
        }
    }

    @Test("a 404 without Pluggy's body names what was missing: an item, or a path the server does not have")
    func notFoundSaysWhat() async throws {
        try await withFailingServer { client in
            // The test server has no /auth: as when PLUGGY_API_URL points somewhere else.
            let auth = await thrown { _ = try await client.authenticate(clientId: "id", clientSecret: "secret") }
            #expect(auth?.code == 404)
            #expect(auth?.message.contains("POST /auth") == true)
            #expect(auth?.message.contains("item") == false)
            #expect(auth?.message.contains("secret") == false)
            let item = await thrown { _ = try await client.item("nobody", key: "k") }
            #expect(item?.message == "Pluggy has no such item.")
        }
    }

    @Test("a stalled answer is a timeout; a refused connection is a connection error")
    func transport() async throws {
        try await withFailingServer { client in
            let stalled = await thrown { _ = try await client.item("stall", key: "k") }
            #expect(stalled?.code == 0)
            #expect(stalled?.codeDescription == "TIMEOUT")
        }
        let closed = PluggyClient(baseURL: "http://127.0.0.1:1", timeout: 1, maxRetries: 0)
        let refused = await thrown { _ = try await closed.item("x", key: "k") }
        #expect(refused?.code == 0)
        #expect(refused?.codeDescription == "CONNECTION_ERROR")
        #expect(refused?.message.contains("127.0.0.1:1") == true)
    }

    @Test("a server that closes the connection without answering")
    func closedConnection() async throws {
        // A bare TCP listener that accepts and hangs up at once.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 16)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread {
            for _ in 0..<4 {
                let connection = accept(listener, nil, nil)
                if connection < 0 { break }
                close(connection)
            }
        }
        thread.start()
        defer { close(listener) }
        let client = PluggyClient(baseURL: "http://127.0.0.1:\(port)", timeout: 2, maxRetries: 0)
        let error = await thrown { _ = try await client.item("x", key: "k") }
        #expect(error?.code == 0)
        #expect(["CONNECTION_CLOSED", "CONNECTION_ERROR"].contains(error?.codeDescription ?? ""))
    }

    @Test("never more than 20 PATCH a minute from one client")
    func localPatchLimit() async throws {
        let client = PluggyClient(baseURL: "http://127.0.0.1:1", timeout: 0.2, maxRetries: 0)
        for _ in 0..<20 { _ = await thrown { _ = try await client.updateItem("x", parameters: nil, key: "k") } }
        let refused = await thrown { _ = try await client.updateItem("x", parameters: ["password": "secret-value"], key: "k") }
        #expect(refused?.code == 429)
        #expect(refused?.codeDescription == "TOO_MANY_UPDATES")
        #expect(refused?.description.contains("secret-value") == false)
    }
}
