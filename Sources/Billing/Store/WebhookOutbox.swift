import GRDB

/// Something that happened in a workspace, stored once and delivered to every subscribed
/// webhook (the outbox: written in the same transaction as the change it reports).
public struct WebhookEvent: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webhook_events"

    /// Every event type a webhook can subscribe to (admin-api.md "Webhooks").
    public static let allTypes: [String] = [
        "call.started", "call.answered", "call.completed", "call.failed", "call.recording.ready",
        "number.provisioned", "number.released", "wallet.low_balance", "wallet.top_up",
    ]

    /// Receivers dedupe by this id (delivery is at least once).
    public var id: String
    public var workspaceID: String
    public var type: String
    public var createdAt: Int64
    /// The event's `data` object as JSON text (snake_case keys, RFC 3339 times).
    public var data: String

    public init(id: String, workspaceID: String, type: String, createdAt: Int64, data: String) {
        self.id = id
        self.workspaceID = workspaceID
        self.type = type
        self.createdAt = createdAt
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workspaceID = "workspace_id"
        case type
        case createdAt = "created_at"
        case data
    }

    /// The POST body `{"created_at", "data", "id", "type", "workspace_id"}` (keys sorted),
    /// with `data` embedded verbatim.
    public var body: [UInt8] {
        var out = "{\"created_at\":" + EventJSON.time(createdAt).text
        out += ",\"data\":" + data
        out += ",\"id\":" + EventJSON.string(id).text
        out += ",\"type\":" + EventJSON.string(type).text
        out += ",\"workspace_id\":" + EventJSON.string(workspaceID).text + "}"
        return Array(out.utf8)
    }
}

/// One event on its way to one webhook.
public struct WebhookDelivery: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webhook_deliveries"

    public var id: String
    public var eventID: String
    public var webhookID: String
    /// "pending", "delivered" or "failed" (given up, or the webhook was deleted).
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Int64?
    public var lastAttemptAt: Int64?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Int64

    public init(id: String, eventID: String, webhookID: String, status: String, attempts: Int, nextAttemptAt: Int64?,
                lastAttemptAt: Int64? = nil, lastStatusCode: Int? = nil, lastError: String? = nil, createdAt: Int64) {
        self.id = id
        self.eventID = eventID
        self.webhookID = webhookID
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case eventID = "event_id"
        case webhookID = "webhook_id"
        case status, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastAttemptAt = "last_attempt_at"
        case lastStatusCode = "last_status_code"
        case lastError = "last_error"
        case createdAt = "created_at"
    }
}

/// One HTTP attempt of a delivery (kept for the deliveries view and debugging).
public struct DeliveryAttempt: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "delivery_attempts"

    public var id: Int64?
    public var deliveryID: String
    public var at: Int64
    public var statusCode: Int?
    public var error: String?
    public var durationMs: Int64

    public init(id: Int64? = nil, deliveryID: String, at: Int64, statusCode: Int?, error: String?, durationMs: Int64) {
        self.id = id
        self.deliveryID = deliveryID
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.durationMs = durationMs
    }

    enum CodingKeys: String, CodingKey {
        case id
        case deliveryID = "delivery_id"
        case at
        case statusCode = "status_code"
        case error
        case durationMs = "duration_ms"
    }
}

/// Everything the delivery worker needs to make one attempt.
public struct DueDelivery: Sendable, Equatable {
    public var delivery: WebhookDelivery
    public var event: WebhookEvent
    public var url: String
    /// Signing secrets: the current one first, then the previous one if not expired.
    public var secrets: [String]

    public init(delivery: WebhookDelivery, event: WebhookEvent, url: String, secrets: [String]) {
        self.delivery = delivery
        self.event = event
        self.url = url
        self.secrets = secrets
    }
}

extension Store {
    /// Stores an event and one pending delivery (due at `at`) per live webhook of the
    /// workspace subscribed to `type`; runs inside the caller's transaction.
    @discardableResult
    func enqueueEvent(_ db: Database, workspaceID: String, type: String, data: String, at: Int64) throws -> WebhookEvent {
        let event = WebhookEvent(id: ids(), workspaceID: workspaceID, type: type, createdAt: at, data: data)
        try event.insert(db)
        let hooks = try Webhook.fetchAll(db, sql: "SELECT * FROM webhooks WHERE workspace_id = ? AND deleted_at IS NULL",
                                         arguments: [workspaceID])
        for hook in hooks where hook.events.contains(type) {
            try WebhookDelivery(id: ids(), eventID: event.id, webhookID: hook.id, status: "pending", attempts: 0,
                                nextAttemptAt: at, createdAt: at).insert(db)
        }
        return event
    }

    /// Enqueues an event from outside the store (e.g. the API); `data` must be JSON text.
    @discardableResult
    public func enqueueEvent(workspaceID: String, type: String, data: String) throws -> WebhookEvent {
        guard !type.isEmpty, type.utf8.count <= 100 else { throw StoreError.invalid(field: "type", message: "must be 1-100 characters") }
        guard EventJSON.isValid(data) else { throw StoreError.invalid(field: "data", message: "must be JSON text") }
        return try write { db in
            _ = try Store.workspace(db, id: workspaceID)
            return try enqueueEvent(db, workspaceID: workspaceID, type: type, data: data, at: clock())
        }
    }

    /// Pending deliveries due at `now`, oldest due first. With `leaseMs > 0` the returned rows
    /// are pushed to `now + leaseMs` in the same transaction, so a second poll (or a second
    /// worker) does not send them again while the first attempt is in flight; a crash during
    /// the attempt just means a retry when the lease ends (delivery is at least once).
    public func dueDeliveries(now: Int64, limit: Int, leaseMs: Int64 = 0) throws -> [DueDelivery] {
        let size = min(max(limit, 1), 1_000)
        let fetch = { (db: Database) throws -> [DueDelivery] in
            let deliveries = try WebhookDelivery.fetchAll(db, sql: """
                SELECT d.* FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.deleted_at IS NULL
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """, arguments: [now, size])
            var result: [DueDelivery] = []
            result.reserveCapacity(deliveries.count)
            for var delivery in deliveries {
                guard let event = try WebhookEvent.fetchOne(db, sql: "SELECT * FROM webhook_events WHERE id = ?", arguments: [delivery.eventID]),
                      let hook = try Webhook.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [delivery.webhookID])
                else { continue }
                if leaseMs > 0 {
                    delivery.nextAttemptAt = now + leaseMs
                    try db.execute(sql: "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'",
                                   arguments: [delivery.nextAttemptAt, delivery.id])
                }
                result.append(DueDelivery(delivery: delivery, event: event, url: hook.url, secrets: hook.signingSecrets(now: now)))
            }
            return result
        }
        return leaseMs > 0 ? try write(fetch) : try read(fetch)
    }

    /// Records one attempt: 2xx → delivered; otherwise pending until `nextAttemptAt`, or
    /// failed when `nextAttemptAt` is nil (the worker gave up).
    public func recordAttempt(deliveryID: String, at: Int64, statusCode: Int?, error: String?, durationMs: Int64, nextAttemptAt: Int64?) throws {
        let errorText = error.map { String(decoding: $0.utf8.prefix(500), as: UTF8.self) }
        try write { db in
            guard let current = try WebhookDelivery.fetchOne(db, sql: "SELECT * FROM webhook_deliveries WHERE id = ?", arguments: [deliveryID]) else {
                throw StoreError.notFound("not_found")
            }
            // Once delivered, always delivered: a late duplicate attempt (after a lease ran
            // out) is recorded but cannot make the delivery pending or failed again.
            let delivered = current.status == "delivered" || (statusCode.map { (200..<300).contains($0) } ?? false)
            let status = delivered ? "delivered" : (nextAttemptAt == nil ? "failed" : "pending")
            try DeliveryAttempt(deliveryID: deliveryID, at: at, statusCode: statusCode, error: errorText,
                                durationMs: max(0, durationMs)).insert(db)
            try db.execute(sql: """
                UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?,
                    last_attempt_at = ?, last_status_code = ?, last_error = ?
                WHERE id = ?
                """, arguments: [status, delivered ? nil : nextAttemptAt, at, statusCode, errorText, deliveryID])
        }
    }

    /// Deliveries of one webhook (deleted ones too), newest first; `webhooks.not_found`
    /// when the webhook is not the workspace's.
    public func deliveries(workspaceID: String, webhookID: String, after: PageKey? = nil, limit: Int = 25) throws -> Page<WebhookDelivery> {
        try read { db in
            guard try Webhook.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ? AND workspace_id = ?",
                                       arguments: [webhookID, workspaceID]) != nil else {
                throw StoreError.notFound("webhooks.not_found")
            }
            var q = KeysetQuery(select: "SELECT * FROM webhook_deliveries", sortColumn: "created_at")
            q.filter("webhook_id = ?", webhookID)
            return try q.page(db, after: after, limit: limit) { PageKey(at: $0.createdAt, id: $0.id) }
        }
    }

    /// The attempts of one delivery, oldest first.
    public func deliveryAttempts(workspaceID: String, deliveryID: String) throws -> [DeliveryAttempt] {
        try read { db in
            _ = try Store.delivery(db, workspaceID: workspaceID, id: deliveryID)
            return try DeliveryAttempt.fetchAll(db, sql: "SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY id",
                                                arguments: [deliveryID])
        }
    }

    /// Makes a delivery pending again, due at `now` (manual retry of a failed one).
    /// `not_found` for another workspace's delivery; `webhooks.not_found` if its webhook was deleted.
    @discardableResult
    public func retryDelivery(workspaceID: String, id: String, now: Int64) throws -> WebhookDelivery {
        try write { db in
            var delivery = try Store.delivery(db, workspaceID: workspaceID, id: id)
            _ = try Store.liveWebhook(db, workspaceID: workspaceID, id: delivery.webhookID)
            delivery.status = "pending"
            delivery.nextAttemptAt = now
            try db.execute(sql: "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ?",
                           arguments: [now, id])
            return delivery
        }
    }

    /// How many deliveries are waiting (for /metrics and readiness).
    public func pendingDeliveryCount() throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'") ?? 0
        }
    }

    static func delivery(_ db: Database, workspaceID: String, id: String) throws -> WebhookDelivery {
        guard let delivery = try WebhookDelivery.fetchOne(db, sql: """
            SELECT d.* FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.id = ? AND w.workspace_id = ?
            """, arguments: [id, workspaceID]) else {
            throw StoreError.notFound("not_found")
        }
        return delivery
    }
}
