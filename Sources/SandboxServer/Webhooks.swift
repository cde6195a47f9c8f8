import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Pluggy
import PluggySandbox

/// Pluggy's item webhook body: `{event, eventId, itemId, triggeredBy, error?, clientUserId?}`.
public struct WebhookPayload: Codable, Sendable, Equatable {
    public var event: String
    public var eventId: String
    public var id: String
    public var itemId: String
    public var triggeredBy: TriggeredBy?
    public var error: ItemEvent.EventError?
    public var clientUserId: String?

    public init(_ event: ItemEvent) {
        self.event = event.event
        self.eventId = event.eventId
        self.id = event.itemId
        self.itemId = event.itemId
        self.triggeredBy = event.triggeredBy
        self.error = event.error
        self.clientUserId = event.clientUserId
    }
}

/// Delivers webhooks with bounded retries (3 attempts, 0.5 s then 1 s apart, 5 s timeout each), in the
/// order events happen for each URL. A receiver must answer 2xx.
public actor WebhookDispatcher {
    public struct Delivery: Sendable, Equatable {
        public var url: String
        public var event: String
        public var attempts: Int
        public var delivered: Bool
    }

    let http: HTTPClient
    let attempts: Int
    let pause: Double
    /// Every delivery tried, for `serve`'s log and tests.
    public private(set) var deliveries: [Delivery] = []
    private var queue: [(WebhookPayload, String)] = []
    private var draining = false

    public init(http: HTTPClient = .shared, attempts: Int = 3, pause: Double = 0.5) {
        self.http = http
        self.attempts = attempts
        self.pause = pause
    }

    public func deliver(_ payload: WebhookPayload, to url: String) async {
        queue.append((payload, url))
        guard !draining else { return }
        draining = true
        while !queue.isEmpty {
            let (next, target) = queue.removeFirst()
            await send(next, to: target)
        }
        draining = false
    }

    private func send(_ payload: WebhookPayload, to url: String) async {
        guard let body = try? PluggyJSON.encoder().encode(payload) else { return }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "connect-tui-sandbox-webhooks")
        request.body = .bytes(ByteBuffer(bytes: body))
        var tried = 0
        var delivered = false
        while tried < attempts, !delivered {
            tried += 1
            if let response = try? await http.execute(request, timeout: .seconds(5)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
                delivered = (200..<300).contains(Int(response.status.code))
            }
            if !delivered, tried < attempts {
                try? await Task.sleep(for: .milliseconds(Int64(pause * 1000 * Double(1 << (tried - 1)))))
            }
        }
        deliveries.append(Delivery(url: url, event: payload.event, attempts: tried, delivered: delivered))
    }
}
