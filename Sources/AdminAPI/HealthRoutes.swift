import Billing

/// Liveness, readiness, Prometheus metrics and the OpenAPI document: public, no key.
extension AdminAPI {
    static let healthRoutes: [Route] = [
        Route("GET", "/healthz", scope: nil) { api, _ in api.ok(200, [("status", .string("ok"))]) },
        // Ready when SIP is bound and the store answers a query (admin-api.md).
        Route("GET", "/readyz", scope: nil) { api, _ in
            let snap = await api.runtime.snapshot()
            let storeOK = (try? api.store.pendingDeliveryCount()) != nil
            let ready = snap.sipListening && storeOK
            return api.ok(ready ? 200 : 503, [("status", .string(ready ? "ready" : "not_ready")),
                                              ("sip", .bool(snap.sipListening)), ("store", .bool(storeOK))])
        },
        Route("GET", "/metrics", scope: nil) { api, _ in
            let snap = await api.runtime.snapshot()
            let depth = (try? api.store.pendingDeliveryCount()) ?? -1
            return APIResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")],
                               body: Array(Metrics.exposition(snap, webhookQueueDepth: depth).utf8))
        },
        Route("GET", "/openapi.json", scope: nil) { _, _ in
            APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: OpenAPIDocument.bytes)
        },
    ]
}

/// Prometheus text exposition format 0.0.4.
enum Metrics {
    static func exposition(_ s: RuntimeSnapshot, webhookQueueDepth: Int) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("sautipbx_active_calls", "gauge", "Calls in progress.", String(s.activeCalls))
        metric("sautipbx_calls_offered_total", "counter", "INVITEs for new calls received (rate() gives the call rate).", String(s.callsOffered))
        metric("sautipbx_calls_answered_total", "counter", "Calls answered.", String(s.callsAnswered))
        metric("sautipbx_rtp_packets_received_total", "counter", "RTP packets received on ended calls.", String(s.rtpPacketsReceived))
        metric("sautipbx_rtp_packets_lost_total", "counter", "RTP packets lost (RFC 3550 §6.4.1) on ended calls.", String(s.rtpPacketsLost))
        metric("sautipbx_webhook_queue_depth", "gauge", "Webhook deliveries waiting to be sent.", String(webhookQueueDepth))
        metric("sautipbx_sip_listening", "gauge", "1 when the SIP sockets are bound.", s.sipListening ? "1" : "0")
        metric("sautipbx_voice_calls", "gauge", "Calls run by a voice app right now.", String(s.voiceCalls))
        metric("sautipbx_callback_failures_total", "counter", "Voice-app callback requests that failed.", String(s.callbackFailures))
        out += s.callbackLatency.exposition(name: "sautipbx_callback_latency_seconds",
                                            help: "Voice-app callback requests: from the interpreter's request to the document applied.")
        out += s.callbackExchange.exposition(name: "sautipbx_callback_exchange_seconds",
                                             help: "The HTTP exchange of voice-app callback requests (request sent to document decoded).")
        return out
    }
}
