import Foundation
import Synchronization
import Webhooks

/// A clock the test moves by hand; starts at the real time so receivers' 5-minute window holds.
final class ManualClock: Sendable {
    private let value: Mutex<Int64>

    init(start: Int64 = Int64(Date().timeIntervalSince1970 * 1_000)) {
        value = Mutex(start)
    }

    /// Milliseconds since the epoch.
    var now: Int64 { value.withLock { $0 } }

    func advance(to time: Int64) {
        value.withLock { $0 = max($0, time) }
    }
}

/// The outbox test double: deliveries in memory, applying `record` the way the store does.
actor InMemoryOutbox: DeliveryOutbox {
    enum Status: Equatable { case pending, delivered, failed }

    struct Entry {
        var delivery: PendingDelivery
        var nextAttemptAt: Int64?
        var status: Status
        var order: Int
    }

    private var entries: [String: Entry] = [:]
    private(set) var records: [AttemptResult] = []
    /// Every `due` answer, to check nothing in flight is handed out twice.
    private(set) var dueCalls = 0

    /// When set, `due` calls after the first `n` take their snapshot, then wait for `openDue()`.
    private var holdDueAfter: Int?
    /// When true, `record` waits for `openRecord()` before applying anything.
    private var holdRecord = false
    private(set) var waitingInRecord = 0

    func holdDue(afterCalls n: Int) { holdDueAfter = n }
    func openDue() { holdDueAfter = nil }
    func holdRecords() { holdRecord = true }
    func openRecord() { holdRecord = false }

    func add(_ delivery: PendingDelivery, dueAt: Int64) {
        entries[delivery.deliveryID] = Entry(delivery: delivery, nextAttemptAt: dueAt, status: .pending, order: entries.count)
    }

    func due(now: Int64, limit: Int) async throws -> [PendingDelivery] {
        dueCalls += 1
        let call = dueCalls
        // The snapshot is taken first, like a SELECT that ran before a concurrent UPDATE.
        let snapshot = entries.values
            .filter { $0.status == .pending && ($0.nextAttemptAt ?? .max) <= now }
            .sorted { ($0.nextAttemptAt ?? 0, $0.order) < ($1.nextAttemptAt ?? 0, $1.order) }
            .prefix(limit)
            .map(\.delivery)
        while let after = holdDueAfter, call > after {
            try await Task.sleep(for: .milliseconds(10))
        }
        return snapshot
    }

    func record(_ result: AttemptResult) async throws {
        waitingInRecord += 1
        while holdRecord {
            try await Task.sleep(for: .milliseconds(10))
        }
        waitingInRecord -= 1
        records.append(result)
        guard var entry = entries[result.deliveryID] else { return }
        entry.delivery.attempts += 1
        entry.nextAttemptAt = result.nextAttemptAt
        if let code = result.statusCode, (200..<300).contains(code) {
            entry.status = .delivered
        } else if result.nextAttemptAt == nil {
            entry.status = .failed
        }
        entries[result.deliveryID] = entry
    }

    func status(of deliveryID: String) -> Status? { entries[deliveryID]?.status }
    func attempts(of deliveryID: String) -> Int? { entries[deliveryID]?.delivery.attempts }
    func records(for deliveryID: String) -> [AttemptResult] { records.filter { $0.deliveryID == deliveryID } }
}

struct WaitTimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` until it holds; the limit only keeps a broken build from hanging the suite.
func eventually(limit: Duration = .seconds(60), _ what: String, _ condition: () async -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while !(await condition()) {
        guard clock.now < deadline else { throw WaitTimedOut(description: "never happened: \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

extension InMemoryOutbox {
    /// Waits until at least `count` attempts are recorded. The limit only keeps a broken
    /// deliverer from hanging the suite; nothing asserts on how long it took.
    /// With `deliveryID`, counts only that delivery's attempts and returns only those.
    func waitForRecords(_ count: Int, of deliveryID: String? = nil, limit: Duration = .seconds(60)) async throws -> [AttemptResult] {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var matching: [AttemptResult] { records.filter { deliveryID == nil || $0.deliveryID == deliveryID } }
        while matching.count < count {
            guard clock.now < deadline else {
                throw WaitTimedOut(description: "only \(matching.count) of \(count) attempts recorded")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return matching
    }
}

/// A JSON webhook body as the store encodes it.
func eventBody(id: String, type: String = "call.completed") -> [UInt8] {
    Array(
        #"{"created_at":"2025-01-01T00:00:00.000Z","data":{"call_id":"c1"},"id":"\#(id)","type":"\#(type)","workspace_id":"ws_1"}"#
            .utf8)
}
