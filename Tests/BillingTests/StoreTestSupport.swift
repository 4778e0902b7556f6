import Foundation
@testable import Billing

/// A clock tests move by hand (the store reads it where a function has no `now:`).
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64

    init(_ start: Int64) { value = start }

    var now: Int64 { lock.withLock { value } }

    func set(_ ms: Int64) { lock.withLock { value = ms } }

    func advance(_ ms: Int64) { lock.withLock { value += ms } }
}

/// A store on a real SQLite file in its own temporary directory (a nested one, so the
/// store has to create it). `remove()` deletes the directory.
final class TempStore {
    /// A fixed start time: 2023-11-14T22:13:20Z.
    static let t0: Int64 = 1_700_000_000_000

    let directory: URL
    let path: String
    let clock: ManualClock
    private(set) var store: Store

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sautipbx-store-\(UUID().uuidString)")
        path = directory.appendingPathComponent("data/pbx.sqlite").path
        clock = ManualClock(TempStore.t0)
        let clock = self.clock
        store = try Store(path: path, clock: { clock.now })
    }

    /// Opens the file again as a restarted daemon would (a new pool on the same file).
    @discardableResult
    func reopen() throws -> Store {
        try store.close()
        let clock = self.clock
        store = try Store(path: path, clock: { clock.now })
        return store
    }

    func remove() {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh file store and removes it afterwards, even when `body` throws.
func withStore(_ body: (Store, TempStore) throws -> Void) throws {
    let temp = try TempStore()
    defer { temp.remove() }
    try body(temp.store, temp)
}

extension Store {
    /// Test shortcut: starts a call (outbound at the workspace's rate unless told), answers it
    /// `answerAfterMs` later unless nil, and returns its id.
    @discardableResult
    func placeCall(_ ws: Workspace, id: String = UUID().uuidString.lowercased(), direction: String = "outbound",
                   remote: String = "+254711000000", session: String? = nil, startedAt: Int64,
                   answerAfterMs: Int64? = 1_000) throws -> String {
        let rate = direction == "inbound" ? ws.inboundRateMinor : ws.outboundRateMinor
        try startCall(CallStart(id: id, workspaceID: ws.id, sessionID: session ?? "sess-\(id)", direction: direction,
                                localE164: "+254700000001", remoteE164: remote, ratePerMinuteMinor: rate, at: startedAt))
        if let answerAfterMs { try answerCall(id: id, at: startedAt + answerAfterMs) }
        return id
    }

    /// Raw SQL count, for checking what the public API does not show.
    func count(_ sql: String, _ arguments: [String] = []) throws -> Int {
        Int(try scalar(sql, arguments) ?? -1)
    }

    /// Webhook event types stored for a workspace, oldest first.
    func eventTypes(workspaceID: String) throws -> [String] {
        try strings("SELECT type FROM webhook_events WHERE workspace_id = ? ORDER BY created_at, rowid", [workspaceID])
    }
}
