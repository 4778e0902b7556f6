import Billing
import Webhooks

/// The webhook deliverer's view of the store's outbox (admin-api.md "Webhooks": persisted,
/// at least once, every attempt recorded).
struct StoreOutbox: DeliveryOutbox {
    let store: Store

    /// No lease: one daemon owns its outbox and the deliverer skips what it has in flight,
    /// while a delivery it cannot take yet (all slots for that receiver busy) must stay due
    /// for the next poll. A lease would hold such a delivery back for the whole lease.
    func due(now: Int64, limit: Int) async throws -> [PendingDelivery] {
        try store.dueDeliveries(now: now, limit: limit).map { d in
            PendingDelivery(deliveryID: d.delivery.id, eventID: d.event.id, attempts: d.delivery.attempts,
                            firstAttemptAt: d.event.createdAt, url: d.url, body: d.event.body, secrets: d.secrets)
        }
    }

    func record(_ r: AttemptResult) async throws {
        try store.recordAttempt(deliveryID: r.deliveryID, at: r.at, statusCode: r.statusCode, error: r.error,
                                durationMs: r.durationMs, nextAttemptAt: r.nextAttemptAt)
    }
}
