import AsyncHTTPClient
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

/// What a loopback webhook receiver got (raw JSON bodies).
actor Inbox {
    var bodies: [String] = []
    var failuresLeft: Int
    init(failFirst: Int) { failuresLeft = failFirst }

    func receive(_ data: Data) -> Bool {
        if failuresLeft > 0 {
            failuresLeft -= 1
            return false
        }
        bodies.append(String(decoding: data, as: UTF8.self))
        return true
    }

    func events() -> [String] {
        bodies.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["event"] as? String }
    }

    func all() -> [String] { bodies }
}

@Suite("serve: webhooks and concurrent clients")
struct WebhookTests {
    func withReceiver(failFirst: Int, _ body: @escaping @Sendable (String, Inbox) async throws -> Void) async throws {
        let inbox = Inbox(failFirst: failFirst)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 16)
            let ok = await inbox.receive(Data(buffer.readableBytesView))
            return Response(status: ok ? .ok : .internalServerError)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))/hook", inbox)
        }
    }

    func eventually(_ condition: @Sendable () async -> Bool) async -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    @Test("item events are POSTed to the item's webhookUrl, with Pluggy's body")
    func delivered() async throws {
        try await withReceiver(failFirst: 0) { hook, inbox in
            try await withServer { pluggy, server, _ in
                await server.startWebhooks()
                let key = try await apiKey(pluggy)
                let item = try await pluggy.item(invalidCredentials, key: key)
                #expect(item.webhookUrl == nil)
                // PATCH with webhookUrl, as Pluggy's UpdateItem allows.
                var request = HTTPClientRequestBuilder.patch(url: pluggy.baseURL + "/items/\(invalidCredentials)", key: key,
                    body: #"{"webhookUrl":"\#(hook)","parameters":{"user":"user-ok","password":"password-ok"}}"#)
                _ = try await request.send()
                let arrived = await eventually { await inbox.events().contains("item/updated") }
                #expect(arrived)
                let events = await inbox.events()
                #expect(events.contains("item/login_succeeded"))
                let bodies = await inbox.all()
                let raw = try #require(bodies.first { $0.contains("\"item/updated\"") })
                let updated = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
                #expect(updated["itemId"] as? String == invalidCredentials)
                #expect(updated["triggeredBy"] as? String == "CLIENT")
                #expect(updated["eventId"] as? String != nil)
                let everything = bodies.joined()
                #expect(!everything.contains("password-ok"))
                let failedSync = try await pluggy.item(invalidCredentials, key: key)
                #expect(failedSync.webhookUrl == hook)
            }
        }
    }

    @Test("a receiver that fails is retried, a bounded number of times")
    func retried() async throws {
        try await withReceiver(failFirst: 1) { hook, inbox in
            try await withServer { pluggy, server, _ in
                await server.startWebhooks()
                let key = try await apiKey(pluggy)
                var request = HTTPClientRequestBuilder.patch(url: pluggy.baseURL + "/items/\(upToDate)", key: key, body: #"{"webhookUrl":"\#(hook)"}"#)
                _ = try await request.send()
                let arrived = await eventually { await inbox.events().contains("item/updated") }
                #expect(arrived)
                let deliveries = await server.webhooks.deliveries
                #expect(deliveries.first?.attempts == 2)
                #expect(deliveries.allSatisfy { $0.delivered })
            }
        }
    }

    @Test("many clients at once: one update wins, the rest get 409, nothing is lost or torn")
    func concurrentClients() async throws {
        try await withServer { pluggy, _, _ in
            let key = try await apiKey(pluggy)
            // A client with a generous timeout: under a loaded machine a slow answer is not a lost update.
            let patient = PluggyClient(baseURL: pluggy.baseURL, timeout: 60, maxRetries: 0)
            let results = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        do throws(PluggyAPIError) {
                            _ = try await patient.updateItem(xp, parameters: nil, key: key)
                            return 200
                        } catch {
                            return error.code
                        }
                    }
                }
                var codes: [Int] = []
                for await code in group { codes.append(code) }
                return codes
            }
            #expect(results.filter { $0 == 200 }.count == 1)
            #expect(results.filter { $0 == 409 }.count == 15, "codes: \(results.sorted())")
            let reads = await withTaskGroup(of: ItemStatus?.self) { group in
                for _ in 0..<32 { group.addTask { try? await pluggy.item(xp, key: key).status } }
                var statuses: [ItemStatus?] = []
                for await status in group { statuses.append(status) }
                return statuses
            }
            #expect(reads.allSatisfy { $0 != nil })
        }
    }
}

/// A raw PATCH with a JSON body, for what the typed client does not send (webhookUrl).
struct HTTPClientRequestBuilder {
    var url: String
    var key: String
    var body: String

    static func patch(url: String, key: String, body: String) -> Self { Self(url: url, key: key, body: body) }

    mutating func send() async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .PATCH
        request.headers.add(name: "X-API-KEY", value: key)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
