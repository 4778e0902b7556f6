import AdminAPI
import Billing
import CallControl
import Dispatch
import Foundation
import Logging

/// Writes call-record updates to the store on its own serial queue, in the order call
/// control produced them, so the signalling queue never waits on SQLite. Whatever has queued
/// up is written in one transaction (`Store.batch`), so the writer keeps pace at any call
/// rate. Billing happens in the store's `endCall`; after the commit the routing table is
/// refreshed when a wallet crossed zero, and the webhook deliverer is nudged.
final class CallRecorder: @unchecked Sendable {
    let store: Store
    let queue = DispatchQueue(label: "sautipbx.store", qos: .utility)
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let lock = NSLock()
    /// Updates waiting for the next batch, with the time each was taken.
    private var pending: [(CallRecordUpdate, Int64)] = []
    private var flushScheduled = false
    /// At most this many updates per transaction, so one commit stays short.
    static let maxBatch = 2_000
    /// New routing snapshot after numbers or wallets changed (hop to the signalling queue).
    var routesChanged: (@Sendable (RouteTable) -> Void)?
    /// Something entered the webhook outbox.
    var webhooksEnqueued: (@Sendable () -> Void)?

    init(store: Store, logger: Logger, clock: @escaping @Sendable () -> Int64 = Store.wallClockMs) {
        self.store = store
        self.logger = logger
        self.clock = clock
    }

    /// Called on the signalling queue: the time is taken now, the write happens later.
    func record(_ update: CallRecordUpdate) {
        let at = clock()
        let schedule = lock.withLock {
            pending.append((update, at))
            defer { flushScheduled = true }
            return !flushScheduled
        }
        if schedule { queue.async { [self] in flush() } }
    }

    /// Runs `body` on the store queue once every update recorded before this call is
    /// written (a recording's row is ready before its URL goes to the voice app).
    func afterWrites(_ body: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            while lock.withLock({ !pending.isEmpty }) { flush() }
            body()
        }
    }

    /// Takes what has queued (up to `maxBatch`) and writes it. The flag stays set while more
    /// waits, so exactly one flush is ever scheduled; `record` schedules the next otherwise.
    private func flush() {
        let (batch, more): ([(CallRecordUpdate, Int64)], Bool) = lock.withLock {
            let n = min(pending.count, Self.maxBatch)
            let head = Array(pending.prefix(n))
            pending.removeFirst(n)
            flushScheduled = !pending.isEmpty
            return (head, flushScheduled)
        }
        write(batch)
        if more { queue.async { [self] in flush() } }
    }

    /// One transaction for the batch; if the transaction itself fails (disk full, lock
    /// timeout), each update is tried again on its own so one bad moment loses nothing.
    private func write(_ batch: [(CallRecordUpdate, Int64)]) {
        var effects = Effects()
        do {
            try store.batch { for (u, at) in batch { apply(u, at: at, &effects) } }
        } catch {
            logger.error("batched call-record write failed; retrying one by one", metadata: ["updates": "\(batch.count)", "error": "\(error)"])
            effects = Effects()
            for (u, at) in batch { apply(u, at: at, &effects) }
        }
        if effects.webhooks { webhooksEnqueued?() }
        if effects.routes { reloadRoutes() }
    }

    /// What a batch asks for after it commits.
    private struct Effects {
        var webhooks = false
        var routes = false
    }

    private func apply(_ update: CallRecordUpdate, at: Int64, _ effects: inout Effects) {
        do {
            switch update {
            case .started(let s):
                try store.startCall(CallStart(id: s.id, workspaceID: s.workspaceID, sessionID: s.sessionID, direction: s.direction,
                                              localE164: s.localNumber, remoteE164: s.remoteNumber, numberID: s.numberID,
                                              ratePerMinuteMinor: s.ratePerMinuteMinor, clientRequestID: nil, at: at))
                effects.webhooks = true
            case .answered(let id):
                try store.answerCall(id: id, at: at)
                effects.webhooks = true
            case .event(let id, let type, let payload):
                try store.appendCallEvent(callID: id, type: type, payload: Self.json(payload), at: at)
            case .recordingStarted(let id, let callID, let workspaceID):
                try store.startRecording(id: id, callID: callID, workspaceID: workspaceID, at: at)
            case .recordingFinished(let id, let path, let ms, let bytes):
                try store.finishRecording(id: id, path: path, durationSeconds: Int64((ms + 500) / 1000), bytes: Int64(bytes), at: at)
                effects.webhooks = true
            case .recordingFailed(let id):
                try store.failRecording(id: id)
            case .ended(let e):
                let outcome = try store.endCall(CallEnd(id: e.id, at: at, status: e.status, failureCode: e.failureCode,
                                                        sipStatus: e.sipStatus, reason: e.reason))
                if !outcome.alreadyEnded {
                    logger.info("call billed", metadata: [
                        "record": "\(e.id)", "status": "\(e.status)", "duration_s": "\(outcome.call.durationSeconds ?? 0)",
                        "cost_minor": "\(outcome.call.costMinor ?? 0)", "ledger_entry": "\(outcome.ledgerEntry?.id ?? "-")"])
                }
                effects.webhooks = true
                // A debit that took the wallet below zero blocks the workspace's billable calls.
                if let entry = outcome.ledgerEntry, entry.balanceAfterMinor < 0, entry.balanceAfterMinor - entry.amountMinor >= 0 {
                    effects.routes = true
                }
            }
        } catch {
            logger.error("cannot write call record", metadata: ["update": "\(update)", "error": "\(error)"])
        }
    }

    /// Keeps live calls' last activity fresh so a crash closes them near when it happened.
    func touch(_ ids: [String]) {
        guard !ids.isEmpty else { return }
        let at = clock()
        queue.async { [self] in
            do { try store.touchLiveCalls(ids: ids, at: at) } catch {
                logger.warning("cannot touch live calls", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Rebuilds the routing snapshot from the store (after API changes, top-ups, debits).
    func reloadRoutes() {
        queue.async { [self] in
            do {
                routesChanged?(try Self.routeTable(store, demoURL: demoURL))
            } catch {
                logger.error("cannot load numbers", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The demo voice app's first document (numbers routed `app:demo` run it).
    var demoURL: String?

    static func routeTable(_ store: Store, demoURL: String?) throws -> RouteTable {
        RouteTable(try store.routeTable().map { e in
            let handler: RoutedNumber.Handler
            switch e.route {
            case "echo": handler = .builtin(.echo)
            case "app:demo": handler = demoURL.map { .callback(url: $0, fallbackURL: nil) } ?? .builtin(.hold)
            case "callback": handler = .callback(url: e.voiceCallbackURL ?? "", fallbackURL: e.fallbackURL)
            default: handler = .builtin(.hold)
            }
            return RoutedNumber(number: e.e164, handler: handler, account: .init(
                workspaceID: e.workspaceID, numberID: e.numberID, inboundRateMinor: e.inboundRateMinor, blocked: e.workspaceBlocked,
                signingSecret: e.signingSecret, playAllowedHosts: e.playAllowedHosts))
        })
    }

    /// A flat payload as a JSON object (keys sorted, so the text is stable).
    static func json(_ payload: [String: String]) -> String {
        String(decoding: JSONWriter.encode(.object(payload.keys.sorted().map { ($0, .string(payload[$0] ?? "")) })), as: UTF8.self)
    }
}
