import Foundation
import Testing
@testable import Billing

@Suite struct WebhookOutboxTests {
    @Test func eventsFanOutBySubscription() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let other = try store.createWorkspace(name: "B")
            let calls = try store.createWebhook(workspaceID: ws.id, url: "https://a.example/calls", events: ["call.started", "call.completed"])
            let numbers = try store.createWebhook(workspaceID: ws.id, url: "https://a.example/numbers", events: ["number.provisioned"])
            let foreign = try store.createWebhook(workspaceID: other.id, url: "https://b.example/all", events: WebhookEvent.allTypes)
            #expect(calls.secret.hasPrefix("whsec_") && calls.secret != numbers.secret && calls.events == ["call.started", "call.completed"])

            let t = temp.clock.now
            _ = try store.claimNumber(workspaceID: ws.id, e164: "+254711000010", route: "hold")
            let id = try store.placeCall(ws, startedAt: t)                      // call.started, call.answered
            _ = try store.endCall(CallEnd(id: id, at: t + 5_000, status: "completed"))
            let unanswered = try store.placeCall(ws, startedAt: t, answerAfterMs: nil)
            _ = try store.endCall(CallEnd(id: unanswered, at: t + 5_000, status: "busy"))  // call.failed: nobody subscribed

            func types(_ hook: Webhook) throws -> [String] {
                let page = try store.deliveries(workspaceID: hook.workspaceID, webhookID: hook.id, limit: 100)
                return try page.items.map { d in try #require(store.strings("SELECT type FROM webhook_events WHERE id = ?", [d.eventID]).first) }.sorted()
            }
            #expect(try types(calls) == ["call.completed", "call.started", "call.started"])
            #expect(try types(numbers) == ["number.provisioned"])
            #expect(try types(foreign).isEmpty)
            #expect(try store.pendingDeliveryCount() == 4)
            #expect(throws: StoreError.notFound("webhooks.not_found")) { try store.deliveries(workspaceID: other.id, webhookID: calls.id) }

            // Unsupported or missing event types, bad URLs.
            do {
                _ = try store.createWebhook(workspaceID: ws.id, url: "https://a.example", events: ["call.started", "call.exploded"])
                Issue.record("expected an error")
            } catch let error as StoreError {
                guard case .invalid(let field, _) = error else { Issue.record("\(error)"); return }
                #expect(field == "events")
            }
            #expect(throws: StoreError.self) { try store.createWebhook(workspaceID: ws.id, url: "https://a.example", events: []) }
            #expect(throws: StoreError.self) { try store.createWebhook(workspaceID: ws.id, url: "mailto:x@y", events: ["call.started"]) }
            #expect(try store.webhooks(workspaceID: ws.id).items.map(\.id) == [calls.id, numbers.id].sorted().reversed())

            // The public enqueue validates JSON.
            let ping = try store.enqueueEvent(workspaceID: ws.id, type: "call.completed", data: "{\"test\":true}")
            #expect(try store.pendingDeliveryCount() == 5 && ping.createdAt == temp.clock.now)
            #expect(throws: StoreError.self) { try store.enqueueEvent(workspaceID: ws.id, type: "call.completed", data: "{") }
        }
    }

    @Test func dueAttemptBackoffDeliveredFailedRetry() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let hook = try store.createWebhook(workspaceID: ws.id, url: "https://a.example/hook", events: ["wallet.top_up"])
            let t = temp.clock.now
            let entry = try store.topUp(workspaceID: ws.id, amountMinor: 5_000, reference: "r/1")
            let due = try store.dueDeliveries(now: t, limit: 10)
            #expect(due.count == 1)
            let d = try #require(due.first)
            #expect(d.url == hook.url && d.secrets == [hook.secret] && d.delivery.status == "pending" && d.delivery.attempts == 0)
            #expect(d.event.type == "wallet.top_up" && d.event.workspaceID == ws.id)
            #expect(d.event.data == "{\"amount_minor\":5000,\"balance_minor\":5000,\"currency\":\"KES\",\"ledger_entry_id\":\"\(entry.id)\",\"reference\":\"r/1\"}")
            // The POST body embeds data verbatim with RFC 3339 created_at.
            let body = try #require(try JSONSerialization.jsonObject(with: Data(d.event.body)) as? [String: Any])
            #expect(body["id"] as? String == d.event.id && body["type"] as? String == "wallet.top_up")
            #expect(body["created_at"] as? String == "2023-11-14T22:13:20.000Z" && body["workspace_id"] as? String == ws.id)
            #expect((body["data"] as? [String: Any])?["amount_minor"] as? Int == 5_000)
            #expect(try store.dueDeliveries(now: t - 1, limit: 10).isEmpty)

            // 500: pending with backoff; not due before next_attempt_at.
            try store.recordAttempt(deliveryID: d.delivery.id, at: t + 100, statusCode: 500, error: "http_500", durationMs: 42, nextAttemptAt: t + 10_100)
            #expect(try store.dueDeliveries(now: t + 10_099, limit: 10).isEmpty)
            let again = try #require(try store.dueDeliveries(now: t + 10_100, limit: 10).first?.delivery)
            #expect(again.attempts == 1 && again.lastStatusCode == 500 && again.lastError == "http_500" && again.lastAttemptAt == t + 100)
            // Timeout (no status), then 2xx: delivered.
            try store.recordAttempt(deliveryID: d.delivery.id, at: t + 10_200, statusCode: nil, error: "timeout", durationMs: 10_000, nextAttemptAt: t + 40_000)
            try store.recordAttempt(deliveryID: d.delivery.id, at: t + 40_000, statusCode: 204, error: nil, durationMs: 7, nextAttemptAt: nil)
            var stored = try #require(try store.deliveries(workspaceID: ws.id, webhookID: hook.id).items.first)
            #expect(stored.status == "delivered" && stored.attempts == 3 && stored.nextAttemptAt == nil && stored.lastStatusCode == 204)
            #expect(try store.deliveryAttempts(workspaceID: ws.id, deliveryID: d.delivery.id).map(\.statusCode) == [500, nil, 204])
            #expect(try store.pendingDeliveryCount() == 0)
            // A late duplicate attempt cannot undo "delivered".
            try store.recordAttempt(deliveryID: d.delivery.id, at: t + 41_000, statusCode: 500, error: "http_500", durationMs: 1, nextAttemptAt: nil)
            stored = try #require(try store.deliveries(workspaceID: ws.id, webhookID: hook.id).items.first)
            #expect(stored.status == "delivered" && stored.attempts == 4)

            // Giving up: failed; manual retry makes it pending and due now.
            _ = try store.topUp(workspaceID: ws.id, amountMinor: 1)
            let second = try #require(try store.dueDeliveries(now: temp.clock.now, limit: 10).first)
            try store.recordAttempt(deliveryID: second.delivery.id, at: t + 50_000, statusCode: 410, error: "http_410", durationMs: 3, nextAttemptAt: nil)
            #expect(try store.dueDeliveries(now: t + 10_000_000, limit: 10).isEmpty)
            let retried = try store.retryDelivery(workspaceID: ws.id, id: second.delivery.id, now: t + 60_000)
            #expect(retried.status == "pending" && retried.nextAttemptAt == t + 60_000 && retried.attempts == 1)
            #expect(try store.dueDeliveries(now: t + 60_000, limit: 10).map(\.delivery.id) == [second.delivery.id])
            let other = try store.createWorkspace(name: "B")
            #expect(throws: StoreError.notFound("not_found")) { try store.retryDelivery(workspaceID: other.id, id: second.delivery.id, now: t) }
            #expect(throws: StoreError.notFound("not_found")) {
                try store.recordAttempt(deliveryID: "nope", at: t, statusCode: 200, error: nil, durationMs: 1, nextAttemptAt: nil)
            }
        }
    }

    @Test func leaseHidesInFlightDeliveries() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            _ = try store.createWebhook(workspaceID: ws.id, url: "https://a.example/hook", events: ["wallet.top_up"])
            for i in 1...3 { _ = try store.topUp(workspaceID: ws.id, amountMinor: Int64(i)) }
            let t = temp.clock.now
            #expect(try store.dueDeliveries(now: t, limit: 2, leaseMs: 30_000).count == 2)
            #expect(try store.dueDeliveries(now: t, limit: 10, leaseMs: 30_000).count == 1)
            #expect(try store.dueDeliveries(now: t + 29_999, limit: 10).isEmpty)
            #expect(try store.dueDeliveries(now: t + 30_000, limit: 10).count == 3)  // lease over: at least once
        }
    }

    @Test func rotateKeepsPreviousSecretUntilExpiryAndDeleteStopsDeliveries() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let hook = try store.createWebhook(workspaceID: ws.id, url: "https://a.example/hook", events: ["wallet.top_up"])
            let t = temp.clock.now
            let rotated = try store.rotateWebhookSecret(workspaceID: ws.id, id: hook.id, overlapSeconds: 3_600, now: t)
            #expect(rotated.secret != hook.secret && rotated.previousSecret == hook.secret && rotated.previousSecretExpiresAt == t + 3_600_000)
            #expect(try store.webhook(workspaceID: ws.id, id: hook.id) == rotated)
            _ = try store.topUp(workspaceID: ws.id, amountMinor: 100)
            #expect(try store.dueDeliveries(now: t + 3_599_999, limit: 1).first?.secrets == [rotated.secret, hook.secret])
            #expect(try store.dueDeliveries(now: t + 3_600_000, limit: 1).first?.secrets == [rotated.secret])

            let deleted = try store.deleteWebhook(workspaceID: ws.id, id: hook.id)
            #expect(deleted.deletedAt == t)
            #expect(try store.pendingDeliveryCount() == 0)
            #expect(try store.dueDeliveries(now: t + 10_000_000, limit: 10).isEmpty)
            let delivery = try #require(try store.deliveries(workspaceID: ws.id, webhookID: hook.id).items.first)
            #expect(delivery.status == "failed" && delivery.lastError == "webhook_deleted")
            #expect(throws: StoreError.notFound("webhooks.not_found")) { try store.webhook(workspaceID: ws.id, id: hook.id) }
            #expect(throws: StoreError.notFound("webhooks.not_found")) { try store.deleteWebhook(workspaceID: ws.id, id: hook.id) }
            #expect(throws: StoreError.notFound("webhooks.not_found")) { try store.retryDelivery(workspaceID: ws.id, id: delivery.id, now: t) }
            #expect(try store.webhooks(workspaceID: ws.id).items.isEmpty)
            _ = try store.topUp(workspaceID: ws.id, amountMinor: 100)  // no subscriber any more
            #expect(try store.pendingDeliveryCount() == 0)
        }
    }
}
