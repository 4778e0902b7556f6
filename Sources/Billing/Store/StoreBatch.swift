import GRDB

/// Many store writes in one SQLite transaction. At thousands of calls per second each call's
/// start, answer and end as separate commits outrun the single writer (measured: 2,000 cps
/// left ~2,300 calls queued behind the writer); one commit for whatever has queued up keeps
/// pace with any rate, and an idle PBX still commits each update at once (a batch of one).
///
/// Inside `batch`, every public write method runs in its own savepoint of the batch's
/// transaction, so one operation that fails (a bad payload, a missing call) rolls back alone
/// and throws to its caller, while the others still commit together.
extension Store {
    /// The transaction a batch is running on this thread, if any.
    @TaskLocal static var current: BatchConnection?

    /// A `Database` handed to writes made inside `batch` (only ever used on the batch's thread).
    final class BatchConnection: @unchecked Sendable {
        let store: ObjectIdentifier
        let db: Database
        init(store: Store, db: Database) {
            self.store = ObjectIdentifier(store)
            self.db = db
        }
    }

    /// Runs `body` with every write it makes on this store inside one transaction, committed
    /// when `body` returns. Reads inside `body` are not supported (they would wait on the
    /// writer); the write methods used for call records make none.
    public func batch(_ body: () throws -> Void) throws {
        try pool.write { db in
            try Store.$current.withValue(BatchConnection(store: self, db: db)) { try body() }
        }
    }

    /// One write transaction, or a savepoint of the running batch.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let batch = Store.current, batch.store == ObjectIdentifier(self) {
            var result: T?
            try batch.db.inSavepoint {
                result = try body(batch.db)
                return .commit
            }
            guard let result else { throw StoreError.invalid(field: "batch", message: "savepoint produced no result") }
            return result
        }
        return try pool.write(body)
    }
}
