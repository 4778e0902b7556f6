import GRDB

/// A call recording: captured to a file, downloadable until it expires.
public struct RecordingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "recordings"

    public var id: String
    public var callID: String
    public var workspaceID: String
    /// "capturing" | "ready" | "failed".
    public var status: String
    /// Where the file is (set when ready).
    public var path: String?
    public var durationSeconds: Int64?
    public var bytes: Int64?
    public var createdAt: Int64
    public var readyAt: Int64?
    /// Past this the API answers 410 `calls.recording_expired`.
    public var expiresAt: Int64?

    public init(id: String, callID: String, workspaceID: String, status: String, path: String? = nil, durationSeconds: Int64? = nil,
                bytes: Int64? = nil, createdAt: Int64, readyAt: Int64? = nil, expiresAt: Int64? = nil) {
        self.id = id
        self.callID = callID
        self.workspaceID = workspaceID
        self.status = status
        self.path = path
        self.durationSeconds = durationSeconds
        self.bytes = bytes
        self.createdAt = createdAt
        self.readyAt = readyAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case callID = "call_id"
        case workspaceID = "workspace_id"
        case status, path
        case durationSeconds = "duration_seconds"
        case bytes
        case createdAt = "created_at"
        case readyAt = "ready_at"
        case expiresAt = "expires_at"
    }

    /// Whether the recording is past its retention at `now`.
    public func isExpired(now: Int64) -> Bool {
        expiresAt.map { now >= $0 } ?? false
    }
}

extension Store {
    /// Starts a recording of a call of the workspace (`calls.not_found` otherwise).
    @discardableResult
    public func startRecording(id: String? = nil, callID: String, workspaceID: String, at: Int64) throws -> RecordingRecord {
        try write { db in
            let call = try Store.call(db, id: callID)
            guard call.workspaceID == workspaceID else { throw StoreError.notFound("calls.not_found") }
            let recording = RecordingRecord(id: id ?? ids(), callID: callID, workspaceID: workspaceID, status: "capturing", createdAt: at)
            try recording.insert(db)
            return recording
        }
    }

    /// Marks a recording ready with its file; it expires after the workspace's retention.
    /// Adds `recording.ready` to the call's timeline and fires `call.recording.ready`.
    /// Finishing a recording that is no longer capturing changes nothing.
    public func finishRecording(id: String, path: String, durationSeconds: Int64, bytes: Int64, at: Int64) throws {
        try write { db in
            guard var recording = try RecordingRecord.fetchOne(db, sql: "SELECT * FROM recordings WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("calls.recording_not_found")
            }
            guard recording.status == "capturing" else { return }
            let ws = try Store.workspace(db, id: recording.workspaceID)
            recording.status = "ready"
            recording.path = path
            recording.durationSeconds = max(0, durationSeconds)
            recording.bytes = max(0, bytes)
            recording.readyAt = at
            recording.expiresAt = at + Int64(ws.recordingRetentionDays) * 86_400_000
            try recording.update(db)
            try CallEventRecord(callID: recording.callID, type: "recording.ready", payload: EventJSON.text([
                "recording_id": .string(recording.id),
                "duration_seconds": .int(recording.durationSeconds),
                "bytes": .int(recording.bytes),
            ]), at: at).insert(db)
            try enqueueEvent(db, workspaceID: recording.workspaceID, type: "call.recording.ready", data: EventJSON.text([
                "call_id": .string(recording.callID),
                "recording_id": .string(recording.id),
                "duration_seconds": .int(recording.durationSeconds),
                "bytes": .int(recording.bytes),
                "ready_at": .time(recording.readyAt),
                "expires_at": .time(recording.expiresAt),
            ]), at: at)
        }
    }

    /// Marks a capturing recording failed (disk full, media error); no webhook.
    public func failRecording(id: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE recordings SET status = 'failed' WHERE id = ? AND status = 'capturing'",
                           arguments: [id])
        }
    }

    /// The newest recording of a call of the workspace, or nil.
    public func latestRecording(workspaceID: String, callID: String) throws -> RecordingRecord? {
        try read { db in
            try RecordingRecord.fetchOne(db, sql: """
                SELECT * FROM recordings WHERE workspace_id = ? AND call_id = ? ORDER BY created_at DESC, id DESC LIMIT 1
                """, arguments: [workspaceID, callID])
        }
    }

    /// A recording by id (the signed download route; the signature already proved access).
    public func recording(id: String) throws -> RecordingRecord? {
        try read { db in try RecordingRecord.fetchOne(db, key: id) }
    }
}

extension Store {
    /// Retention: recordings past `expires_at` lose their file. Returns the files to delete
    /// (the caller removes them after this commits); the rows stay, so the API answers 410
    /// `calls.recording_expired` rather than 404.
    public func pruneExpiredRecordings(now: Int64, limit: Int = 500) throws -> [String] {
        try write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, path FROM recordings WHERE status = 'ready' AND expires_at IS NOT NULL AND expires_at <= ? LIMIT ?
                """, arguments: [now, limit])
            for row in rows {
                try db.execute(sql: "UPDATE recordings SET status = 'expired', path = NULL WHERE id = ?", arguments: [row["id"] as String])
            }
            return rows.compactMap { $0["path"] as String? }
        }
    }
}
