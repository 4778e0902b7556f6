import AsyncHTTPClient
import NIOCore

/// Tuning for `WebhookDeliverer`; the defaults are the production values.
public struct DelivererConfiguration: Sendable {
    /// How often the outbox is polled when nobody calls `wake()` (1 s).
    public var pollInterval: Duration
    /// How many due deliveries one poll asks for (32).
    public var batchSize: Int
    /// Requests in flight at once, across all receivers (8).
    public var concurrency: Int
    /// Requests in flight at once to one receiver (scheme://host:port) (4). Keeps one hanging
    /// receiver from holding every slot until its requests time out.
    public var perReceiverConcurrency: Int
    /// Hard limit for one attempt: connect, send, response head and body (10 s).
    public var requestTimeout: Duration
    /// At most this much of a response body is read; the rest is dropped (64 KiB).
    public var maxResponseBodyBytes: Int
    /// The `User-Agent` header.
    public var userAgent: String
    /// When to retry and when to give up.
    public var schedule: RetrySchedule

    /// Creates a configuration; every value has the production default.
    public init(
        pollInterval: Duration = .seconds(1),
        batchSize: Int = 32,
        concurrency: Int = 8,
        perReceiverConcurrency: Int = 4,
        requestTimeout: Duration = .seconds(10),
        maxResponseBodyBytes: Int = 64 * 1024,
        userAgent: String = "SautiPBX-Webhooks/1",
        schedule: RetrySchedule = .standard
    ) {
        self.pollInterval = pollInterval
        self.batchSize = max(batchSize, 1)
        self.concurrency = max(concurrency, 1)
        self.perReceiverConcurrency = max(perReceiverConcurrency, 1)
        self.requestTimeout = requestTimeout
        self.maxResponseBodyBytes = max(maxResponseBodyBytes, 0)
        self.userAgent = userAgent
        self.schedule = schedule
    }

    /// An `HTTPClient.Configuration` fit for webhooks: redirects are never followed (a 3xx is a
    /// failed attempt, so a receiver cannot bounce our signed body elsewhere), a refused connect
    /// fails at once instead of being retried inside the client, and connects time out with
    /// the request. Use it when passing your own client to `WebhookDeliverer`.
    public func httpClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: TimeAmount(requestTimeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return configuration
    }
}

/// Running totals since the deliverer started.
public struct DeliveryStats: Sendable, Equatable {
    /// Attempts answered with 2xx.
    public var delivered: Int
    /// Attempts that did not end in 2xx (including the final one of each given-up delivery).
    public var failedAttempts: Int
    /// Deliveries abandoned: past the 24 h horizon, or a URL that can never work.
    public var givenUp: Int

    /// Creates stats; all zero by default.
    public init(delivered: Int = 0, failedAttempts: Int = 0, givenUp: Int = 0) {
        self.delivered = delivered
        self.failedAttempts = failedAttempts
        self.givenUp = givenUp
    }
}
