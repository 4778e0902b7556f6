import AsyncHTTPClient
import Logging

/// The long-running worker that drains a `DeliveryOutbox`: it POSTs each due delivery, signed,
/// and records every attempt with its retry time from `RetrySchedule`.
///
/// Isolation: the actor owns only bookkeeping (what is in flight, per-receiver counts, stats).
/// Each HTTP attempt runs in its own child task, so a receiver that hangs, resets or answers
/// garbage costs at most one slot for at most `requestTimeout`, and never more than
/// `perReceiverConcurrency` slots, while other receivers keep flowing.
public actor WebhookDeliverer {
    /// Totals since this deliverer was created.
    public private(set) var stats = DeliveryStats()

    private let outbox: any DeliveryOutbox
    private let configuration: DelivererConfiguration
    private let attempt: DeliveryAttempt
    private let client: HTTPClient
    private let ownsClient: Bool
    private let now: @Sendable () -> Int64
    private let jitter: @Sendable () -> Double
    private let logger: Logger

    /// Nudges for the run loop: wake(), the poll ticker, and finished attempts. Buffering only
    /// the newest means any number of nudges while the loop is busy collapse into one poll.
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    private enum Phase { case idle, running, stopping, stopped }
    private var phase = Phase.idle
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var clientShutDown = false

    /// Delivery id → receiver key, for every attempt in flight.
    private var inFlight: [String: String] = [:]
    /// Receiver key → attempts in flight to it.
    private var perReceiver: [String: Int] = [:]
    /// Set while `claim` awaits `outbox.due`; see `release` for why.
    private var claiming = false
    private var releasedWhileClaiming: Set<String> = []

    /// Creates a deliverer.
    ///
    /// - Parameters:
    ///   - outbox: where due deliveries come from and attempts go.
    ///   - httpClient: a client to share, configured with `configuration.httpClientConfiguration()`
    ///     (the caller shuts it down); nil creates a private one that `shutdown()` closes.
    ///   - now: the clock, milliseconds since the epoch.
    ///   - jitter: a random fraction in 0..<1 per retry.
    public init(
        outbox: any DeliveryOutbox,
        httpClient: HTTPClient? = nil,
        configuration: DelivererConfiguration = DelivererConfiguration(),
        now: @escaping @Sendable () -> Int64,
        jitter: @escaping @Sendable () -> Double,
        logger: Logger = Logger(label: "sautipbx.webhooks")
    ) {
        self.outbox = outbox
        self.configuration = configuration
        self.client = httpClient ?? HTTPClient(configuration: configuration.httpClientConfiguration())
        self.ownsClient = httpClient == nil
        self.attempt = DeliveryAttempt(
            client: client,
            timeout: configuration.requestTimeout,
            maxResponseBodyBytes: configuration.maxResponseBodyBytes,
            userAgent: configuration.userAgent
        )
        self.now = now
        self.jitter = jitter
        self.logger = logger
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a poll now (e.g. right after the store enqueued an event). Cheap; never blocks.
    public nonisolated func wake() {
        signal.yield()
    }

    /// Delivers until the calling task is cancelled (in-flight attempts are abandoned unrecorded,
    /// so they stay due and are sent again later) or `shutdown()` is called (in-flight attempts
    /// finish and are recorded). Call once; later calls return at once.
    public func run() async {
        guard phase == .idle else { return }
        phase = .running
        let ticker = Task.detached { [signal, interval = configuration.pollInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if case .terminated = signal.yield() { return }
            }
        }
        defer { ticker.cancel() }
        signal.yield()  // first poll right away
        await withDiscardingTaskGroup { group in
            for await _ in signals {
                guard phase == .running, !Task.isCancelled else { break }
                for (delivery, receiver) in await claim() {
                    group.addTask { await self.deliver(delivery, receiver: receiver) }
                }
            }
            // Leaving the body waits for the children: on shutdown they run to their end.
        }
        phase = .stopped
        for waiter in stopWaiters { waiter.resume() }
        stopWaiters.removeAll()
    }

    /// Stops polling, waits for attempts in flight to finish (at most `requestTimeout`) and
    /// closes the HTTP client if the deliverer created it.
    public func shutdown() async {
        switch phase {
        case .idle:
            phase = .stopped
            signal.finish()
        case .running, .stopping:
            phase = .stopping
            signal.finish()
            await withCheckedContinuation { stopWaiters.append($0) }
        case .stopped:
            break
        }
        if ownsClient && !clientShutDown {
            clientShutDown = true
            do {
                try await client.shutdown()
            } catch {
                logger.debug("webhook http client shutdown failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - Claiming work

    /// Fetches due deliveries and takes as many as free slots and per-receiver limits allow.
    /// The rest stay due in the outbox and are fetched again on the next nudge.
    private func claim() async -> [(PendingDelivery, String)] {
        guard inFlight.count < configuration.concurrency else { return [] }
        claiming = true
        defer {
            claiming = false
            releasedWhileClaiming.removeAll()
        }
        let due: [PendingDelivery]
        do {
            due = try await outbox.due(now: now(), limit: configuration.batchSize)
        } catch {
            logger.error("webhook outbox poll failed", metadata: ["error": "\(error)"])
            return []
        }
        var claimed: [(PendingDelivery, String)] = []
        for delivery in due where inFlight.count < configuration.concurrency {
            let id = delivery.deliveryID
            guard inFlight[id] == nil, !releasedWhileClaiming.contains(id) else { continue }
            let receiver = Self.receiverKey(delivery.url)
            guard perReceiver[receiver, default: 0] < configuration.perReceiverConcurrency else { continue }
            inFlight[id] = receiver
            perReceiver[receiver, default: 0] += 1
            claimed.append((delivery, receiver))
        }
        return claimed
    }

    /// `scheme://host:port` (lower-cased) of a URL: the unit that gets a fair share of slots.
    static func receiverKey(_ url: String) -> String {
        let utf8 = url.utf8
        var start = utf8.startIndex
        if let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
            utf8[colon...].starts(with: "://".utf8)
        {
            start = utf8.index(colon, offsetBy: 3)
        }
        let end =
            utf8[start...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? utf8.endIndex
        return String(decoding: utf8[..<end], as: UTF8.self).lowercased()
    }

    // MARK: - One delivery

    /// Runs one attempt off the actor, then books it.
    private nonisolated func deliver(_ delivery: PendingDelivery, receiver: String) async {
        let startedAt = now()
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await attempt.perform(delivery, timestampSeconds: Self.floorSeconds(startedAt))
        let elapsed = started.duration(to: clock.now)
        let durationMs = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        await finish(delivery, receiver: receiver, outcome: outcome, startedAt: startedAt, durationMs: durationMs)
    }

    /// Applies the retry policy, updates stats and logs, records the attempt, frees the slot.
    private func finish(
        _ delivery: PendingDelivery, receiver: String, outcome: AttemptOutcome, startedAt: Int64, durationMs: Int64
    ) async {
        defer { release(delivery.deliveryID, receiver: receiver) }
        guard !outcome.cancelled else { return }
        var nextAttemptAt: Int64?
        if outcome.delivered {
            stats.delivered += 1
        } else {
            stats.failedAttempts += 1
            if !outcome.permanent {
                nextAttemptAt = configuration.schedule.nextAttempt(
                    afterAttempt: delivery.attempts + 1,
                    firstAttemptAt: delivery.firstAttemptAt,
                    now: now(),
                    jitter: jitter(),
                    retryAfterSeconds: RetrySchedule.retryAfterSeconds(
                        statusCode: outcome.statusCode, headerValue: outcome.retryAfter)
                )
            }
            var metadata: Logger.Metadata = [
                "delivery_id": "\(delivery.deliveryID)",
                "event_id": "\(delivery.eventID)",
                "receiver": "\(receiver)",  // not the full URL: its path or query may hold a token
                "attempt": "\(delivery.attempts + 1)",
                "error": "\(outcome.error ?? "unknown")",
            ]
            if let nextAttemptAt {
                metadata["next_attempt_at"] = "\(nextAttemptAt)"
                logger.debug("webhook delivery attempt failed", metadata: metadata)
            } else {
                stats.givenUp += 1
                logger.warning("webhook delivery given up", metadata: metadata)
            }
        }
        let result = AttemptResult(
            deliveryID: delivery.deliveryID,
            at: startedAt,
            statusCode: outcome.statusCode,
            error: outcome.error,
            durationMs: max(durationMs, 0),
            nextAttemptAt: nextAttemptAt
        )
        do {
            try await outbox.record(result)
        } catch {
            // The delivery stays due in the outbox and is attempted again: at least once.
            logger.error(
                "webhook attempt could not be recorded",
                metadata: ["delivery_id": "\(delivery.deliveryID)", "error": "\(error)"])
        }
    }

    /// Frees the slot only after `record` finished, so the next poll sees the new state.
    private func release(_ deliveryID: String, receiver: String) {
        inFlight[deliveryID] = nil
        let remaining = perReceiver[receiver, default: 1] - 1
        perReceiver[receiver] = remaining > 0 ? remaining : nil
        // A `due` query already running may have read this delivery before it was recorded;
        // its stale copy must not be sent again.
        if claiming { releasedWhileClaiming.insert(deliveryID) }
        signal.yield()  // a slot is free: look for more work
    }

    /// Attempts in flight right now (for tests and diagnostics).
    var inFlightCount: Int { inFlight.count }

    /// Unix seconds for a millisecond time, rounding toward the past.
    static func floorSeconds(_ milliseconds: Int64) -> Int64 {
        milliseconds / 1_000 - (milliseconds % 1_000 < 0 ? 1 : 0)
    }
}
