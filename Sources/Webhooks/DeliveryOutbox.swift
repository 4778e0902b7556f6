// The seam between the persistent webhook outbox (owned by the store, `Billing`) and the
// delivery worker (`WebhookDeliverer`). The store keeps every delivery until it is delivered
// or given up, so delivery is at least once: a crash between the HTTP answer and `record`
// means the receiver sees the event again, and receivers dedupe by the event `id`.

/// One delivery the outbox says is due: an event body bound for one subscriber URL.
public struct PendingDelivery: Sendable, Equatable {
    /// The outbox's id of this (event, subscription) delivery.
    public var deliveryID: String
    /// The event's id; sent as `X-Sautikit-Event-Id` and the `id` receivers dedupe by.
    public var eventID: String
    /// Attempts made so far.
    public var attempts: Int
    /// Milliseconds since the epoch when the event was created; the 24 h give-up clock starts here.
    public var firstAttemptAt: Int64
    /// The receiver's URL (http or https).
    public var url: String
    /// The JSON body `{id, type, created_at, workspace_id, data}`, already encoded.
    public var body: [UInt8]
    /// Signing secrets: the current one first, then a previous one during a rotation overlap.
    public var secrets: [String]

    /// Creates a pending delivery.
    public init(
        deliveryID: String,
        eventID: String,
        attempts: Int,
        firstAttemptAt: Int64,
        url: String,
        body: [UInt8],
        secrets: [String]
    ) {
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
        self.url = url
        self.body = body
        self.secrets = secrets
    }
}

/// The outcome of one delivery attempt, as the worker reports it to the outbox.
public struct AttemptResult: Sendable, Equatable {
    /// The delivery this attempt belongs to.
    public var deliveryID: String
    /// Milliseconds since the epoch when the attempt started.
    public var at: Int64
    /// The HTTP status, or nil when no HTTP response arrived (connect error, timeout).
    public var statusCode: Int?
    /// Short stable text: "timeout", "connect_failed: refused", "http_500"; nil when delivered.
    public var error: String?
    /// How long the attempt took, in milliseconds.
    public var durationMs: Int64
    /// When to try again; nil when delivered (2xx) or given up.
    public var nextAttemptAt: Int64?

    /// Creates an attempt result.
    public init(
        deliveryID: String,
        at: Int64,
        statusCode: Int?,
        error: String?,
        durationMs: Int64,
        nextAttemptAt: Int64?
    ) {
        self.deliveryID = deliveryID
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.durationMs = durationMs
        self.nextAttemptAt = nextAttemptAt
    }
}

/// The persistent outbox the delivery worker drains; implemented by the store.
public protocol DeliveryOutbox: Sendable {
    /// Up to `limit` deliveries whose next attempt is at or before `now` (ms), oldest first.
    func due(now: Int64, limit: Int) async throws -> [PendingDelivery]
    /// Stores one attempt: attempts += 1; 2xx → delivered; nextAttemptAt nil → failed; else pending.
    func record(_ result: AttemptResult) async throws
}
