import Foundation
import GRDB

/// A webhook subscription: where to POST which event types, and the secrets that sign them.
public struct Webhook: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webhooks"

    public var id: String
    public var workspaceID: String
    public var url: String
    /// Subscribed event types, a subset of `WebhookEvent.allTypes`.
    public var events: [String]
    /// The current signing secret ("whsec_" + 64 hex digits).
    public var secret: String
    /// The secret before the last rotation, still signing until `previousSecretExpiresAt`.
    public var previousSecret: String?
    public var previousSecretExpiresAt: Int64?
    public var createdAt: Int64
    /// Soft delete: the row stays so past deliveries can still be listed.
    public var deletedAt: Int64?

    public init(id: String, workspaceID: String, url: String, events: [String], secret: String,
                previousSecret: String? = nil, previousSecretExpiresAt: Int64? = nil, createdAt: Int64, deletedAt: Int64? = nil) {
        self.id = id
        self.workspaceID = workspaceID
        self.url = url
        self.events = events
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.createdAt = createdAt
        self.deletedAt = deletedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workspaceID = "workspace_id"
        case url, events, secret
        case previousSecret = "previous_secret"
        case previousSecretExpiresAt = "previous_secret_expires_at"
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
    }

    /// The secrets to sign with at `now`: the current one first, then the previous one
    /// while its rotation overlap lasts (receivers accept either).
    public func signingSecrets(now: Int64) -> [String] {
        guard let previousSecret, let expires = previousSecretExpiresAt, now < expires else { return [secret] }
        return [secret, previousSecret]
    }
}

extension Store {
    /// Subscribes `url` to `events` (each in `WebhookEvent.allTypes`, else
    /// `.invalid(field: "events")`, which the API reports as `webhooks.event_unsupported`).
    public func createWebhook(workspaceID: String, url: String, events: [String]) throws -> Webhook {
        try Store.validateWebhookURL(url)
        guard !events.isEmpty else { throw StoreError.invalid(field: "events", message: "subscribe to at least one event type") }
        for type in events where !WebhookEvent.allTypes.contains(type) {
            throw StoreError.invalid(field: "events", message: "unsupported event type \"\(type)\"; supported: \(WebhookEvent.allTypes.joined(separator: ", "))")
        }
        var unique: [String] = []
        for type in events where !unique.contains(type) { unique.append(type) }
        let hook = Webhook(id: ids(), workspaceID: workspaceID, url: url, events: unique,
                           secret: Secrets.signingSecret(), createdAt: clock())
        try write { db in
            _ = try Store.workspace(db, id: workspaceID)
            try hook.insert(db)
        }
        return hook
    }

    /// The live (not deleted) webhooks of `workspaceID`, newest first.
    public func webhooks(workspaceID: String, after: PageKey? = nil, limit: Int = 25) throws -> Page<Webhook> {
        try read { db in
            var q = KeysetQuery(select: "SELECT * FROM webhooks", sortColumn: "created_at")
            q.filter("workspace_id = ?", workspaceID)
            q.filter("deleted_at IS NULL")
            return try q.page(db, after: after, limit: limit) { PageKey(at: $0.createdAt, id: $0.id) }
        }
    }

    /// A live webhook of `workspaceID`, or `notFound("webhooks.not_found")`.
    public func webhook(workspaceID: String, id: String) throws -> Webhook {
        try read { db in try Store.liveWebhook(db, workspaceID: workspaceID, id: id) }
    }

    /// Soft-deletes a webhook; its pending deliveries become failed (nothing more is sent).
    @discardableResult
    public func deleteWebhook(workspaceID: String, id: String) throws -> Webhook {
        try write { db in
            var hook = try Store.liveWebhook(db, workspaceID: workspaceID, id: id)
            let now = clock()
            hook.deletedAt = now
            try db.execute(sql: "UPDATE webhooks SET deleted_at = ? WHERE id = ?", arguments: [now, id])
            try db.execute(sql: """
                UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = 'webhook_deleted'
                WHERE webhook_id = ? AND status = 'pending'
                """, arguments: [id])
            return hook
        }
    }

    /// Replaces the signing secret; the old one keeps signing (second signature) until
    /// `now + overlapSeconds`, so receivers can roll over without dropping events.
    @discardableResult
    public func rotateWebhookSecret(workspaceID: String, id: String, overlapSeconds: Int64 = 86_400, now: Int64) throws -> Webhook {
        guard (0...30 * 86_400).contains(overlapSeconds) else {
            throw StoreError.invalid(field: "overlap_seconds", message: "must be 0-2592000")
        }
        return try write { db in
            var hook = try Store.liveWebhook(db, workspaceID: workspaceID, id: id)
            hook.previousSecret = hook.secret
            hook.previousSecretExpiresAt = now + overlapSeconds * 1000
            hook.secret = Secrets.signingSecret()
            try db.execute(sql: """
                UPDATE webhooks SET secret = ?, previous_secret = ?, previous_secret_expires_at = ? WHERE id = ?
                """, arguments: [hook.secret, hook.previousSecret, hook.previousSecretExpiresAt, id])
            return hook
        }
    }

    static func liveWebhook(_ db: Database, workspaceID: String, id: String) throws -> Webhook {
        guard let hook = try Webhook.fetchOne(db, sql: """
            SELECT * FROM webhooks WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL
            """, arguments: [id, workspaceID]) else {
            throw StoreError.notFound("webhooks.not_found")
        }
        return hook
    }

    /// Webhook targets are absolute http(s) URLs with a host.
    static func validateWebhookURL(_ url: String) throws {
        guard url.utf8.count <= 2_048, let parsed = URL(string: url),
              let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = parsed.host, !host.isEmpty else {
            throw StoreError.invalid(field: "url", message: "must be an absolute http or https URL")
        }
    }
}
