import Foundation
import GRDB

/// What an `Idempotency-Key` header means for a request (admin-api.md "Conventions").
public enum IdempotencyLookup: Sendable, Equatable {
    /// First time (or the earlier use expired): run the request, then `idempotencySave`.
    case miss
    /// Same key, same body: send the stored response again.
    case replay(status: Int, body: [UInt8])
    /// Same key, different body: 409 `idempotency.conflict`.
    case conflict
}

extension Store {
    /// How long a stored response is replayed (24 h, like the platform docs' idempotency window).
    public static let idempotencyWindowMs: Int64 = 24 * 3_600_000

    /// Looks a key up for `methodPath` (e.g. "POST /v1/numbers"); `requestHash` identifies the
    /// body. Records older than 24 h count as a miss and are deleted.
    public func idempotencyLookup(workspaceID: String, key: String, methodPath: String, requestHash: String) throws -> IdempotencyLookup {
        let now = clock()
        let row = try read { db in
            try Row.fetchOne(db, sql: """
                SELECT request_hash, status_code, response_body, created_at FROM idempotency_keys
                WHERE workspace_id = ? AND key = ? AND method_path = ?
                """, arguments: [workspaceID, key, methodPath])
        }
        guard let row else { return .miss }
        let createdAt: Int64 = row["created_at"]
        if now - createdAt >= Store.idempotencyWindowMs {
            try write { db in
                try db.execute(sql: """
                    DELETE FROM idempotency_keys WHERE workspace_id = ? AND key = ? AND method_path = ? AND created_at <= ?
                    """, arguments: [workspaceID, key, methodPath, now - Store.idempotencyWindowMs])
            }
            return .miss
        }
        let storedHash: String = row["request_hash"]
        guard storedHash == requestHash else { return .conflict }
        let body: [UInt8] = (row["response_body"] as Data?).map { Array($0) } ?? []
        return .replay(status: row["status_code"], body: body)
    }

    /// Stores the response to replay; the first save for a key wins (a racing duplicate
    /// request does not overwrite it).
    public func idempotencySave(workspaceID: String, key: String, methodPath: String, requestHash: String, status: Int, body: [UInt8]) throws {
        guard key.utf8.count <= 255, !key.isEmpty else {
            throw StoreError.invalid(field: "Idempotency-Key", message: "must be 1-255 characters")
        }
        let now = clock()
        try write { db in
            try db.execute(sql: """
                INSERT INTO idempotency_keys (workspace_id, key, method_path, request_hash, status_code, response_body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, key, method_path) DO NOTHING
                """, arguments: [workspaceID, key, methodPath, requestHash, status, Data(body), now])
        }
    }

    /// Deletes every idempotency record older than the window (housekeeping); returns how many.
    @discardableResult
    public func purgeExpiredIdempotencyKeys(now: Int64) throws -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at <= ?", arguments: [now - Store.idempotencyWindowMs])
            return db.changesCount
        }
    }
}
