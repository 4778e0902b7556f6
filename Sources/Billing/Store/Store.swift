import Foundation
import GRDB

/// The SautiPBX store: workspaces, keys, numbers, calls, wallets, the ledger, idempotency
/// records, the webhook outbox and recordings, in one SQLite file opened as a GRDB
/// `DatabasePool` (WAL: readers never wait for the writer).
///
/// Every method is synchronous and may block on the single writer, so callers run them off
/// hot queues. SQL is kept portable (row values, `ON CONFLICT DO NOTHING`, partial indexes,
/// no SQLite-only functions in business logic) so a PostgreSQL store can follow
/// (ARCHITECTURE.md "Growing past one machine").
public final class Store: Sendable {
    /// The database; internal so tests can inspect raw columns.
    let pool: DatabasePool
    /// Milliseconds since the Unix epoch, for functions without a `now:` parameter.
    let clock: @Sendable () -> Int64
    /// New row ids (UUIDs by default).
    let ids: @Sendable () -> String
    /// The database file.
    public let path: String

    /// Milliseconds since the Unix epoch from the system clock.
    public static let wallClockMs: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(
        path: String,
        clock: @escaping @Sendable () -> Int64 = Store.wallClockMs,
        ids: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        // A second daemon or a backup tool may hold the write lock briefly; wait, don't fail.
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // In WAL mode NORMAL keeps the file consistent after any crash and only an OS
            // crash or power loss can drop the last commits; a call whose end was lost that
            // way is still live in the file and `recoverInterruptedCalls` bills it once.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.pool = try DatabasePool(path: path, configuration: config)
        self.clock = clock
        self.ids = ids
        self.path = path
        do {
            try StoreSchema.migrator.migrate(pool)
        } catch {
            // Another process (`sautipbx admin` beside a starting daemon) may have applied the
            // same migration between our check and our write. Each migration commits with its
            // identifier, so a second pass sees it applied; a real schema error fails again.
            try StoreSchema.migrator.migrate(pool)
        }
    }

    /// Closes the database connections; the store must not be used afterwards.
    public func close() throws {
        try pool.close()
    }

    /// The schema migrations applied to the file, oldest first (e.g. ["v1"]).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// Runs a read-only snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Diagnostics (tests, support): the integer in the first column of the first row of a raw query.
    func scalar(_ sql: String, _ arguments: [String] = []) throws -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) }
    }

    /// Diagnostics (tests, support): the first column of every row of a raw query, as text.
    func strings(_ sql: String, _ arguments: [String] = []) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
    }
}

/// Random secrets and tokens (never inside pure code: this is the store's I/O edge).
enum Secrets {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Lowercase hex of `bytes`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// "whsec_" + 32 random bytes as hex: workspace and webhook signing secrets.
    static func signingSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        return "whsec_" + hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    /// `count` uniformly random base62 characters (`random(in:)` is unbiased).
    static func base62(count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<count).map { _ in base62[Int.random(in: 0..<62, using: &rng)] }
        return String(decoding: chars, as: UTF8.self)
    }
}
