import GRDB

/// A call detail record: one row per call, from ringing to its final status and cost.
public struct CallRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "calls"

    /// Final statuses (the call has ended_at).
    public static let finalStatuses: [String] = ["completed", "failed", "no_answer", "busy", "canceled"]
    /// Every status.
    public static let allStatuses: [String] = ["ringing", "in_progress"] + finalStatuses

    public var id: String
    public var workspaceID: String
    public var sessionID: String
    /// "inbound" | "outbound".
    public var direction: String
    public var localE164: String
    public var remoteE164: String
    public var numberID: String?
    public var startedAt: Int64
    public var answeredAt: Int64?
    public var endedAt: Int64?
    /// Last sign of life (media or signalling); where recovery ends a call after a crash.
    public var lastActivityAt: Int64
    /// Billed seconds, answer to hangup (nil until ended).
    public var durationSeconds: Int64?
    /// "ringing" | "in_progress" | "completed" | "failed" | "no_answer" | "busy" | "canceled".
    public var status: String
    public var costMinor: Int64?
    public var costCurrency: String
    /// The workspace's rate for the direction, fixed when the call started.
    public var ratePerMinuteMinor: Int64
    public var failureCode: String?
    public var sipStatus: Int?
    public var ledgerEntryID: String?
    public var clientRequestID: String?
    /// JSON text supplied by the developer, if any.
    public var metadata: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, workspaceID: String, sessionID: String, direction: String, localE164: String, remoteE164: String,
                numberID: String?, startedAt: Int64, answeredAt: Int64?, endedAt: Int64?, lastActivityAt: Int64,
                durationSeconds: Int64?, status: String, costMinor: Int64?, costCurrency: String, ratePerMinuteMinor: Int64,
                failureCode: String?, sipStatus: Int?, ledgerEntryID: String?, clientRequestID: String?, metadata: String?,
                createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.workspaceID = workspaceID
        self.sessionID = sessionID
        self.direction = direction
        self.localE164 = localE164
        self.remoteE164 = remoteE164
        self.numberID = numberID
        self.startedAt = startedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.lastActivityAt = lastActivityAt
        self.durationSeconds = durationSeconds
        self.status = status
        self.costMinor = costMinor
        self.costCurrency = costCurrency
        self.ratePerMinuteMinor = ratePerMinuteMinor
        self.failureCode = failureCode
        self.sipStatus = sipStatus
        self.ledgerEntryID = ledgerEntryID
        self.clientRequestID = clientRequestID
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workspaceID = "workspace_id"
        case sessionID = "session_id"
        case direction
        case localE164 = "local_e164"
        case remoteE164 = "remote_e164"
        case numberID = "number_id"
        case startedAt = "started_at"
        case answeredAt = "answered_at"
        case endedAt = "ended_at"
        case lastActivityAt = "last_activity_at"
        case durationSeconds = "duration_seconds"
        case status
        case costMinor = "cost_minor"
        case costCurrency = "cost_currency"
        case ratePerMinuteMinor = "rate_per_minute_minor"
        case failureCode = "failure_code"
        case sipStatus = "sip_status"
        case ledgerEntryID = "ledger_entry_id"
        case clientRequestID = "client_request_id"
        case metadata
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Webhook `data` for call.* events.
    var webhookData: String {
        EventJSON.text([
            "call_id": .string(id), "workspace_id": .string(workspaceID), "session_id": .string(sessionID),
            "direction": .string(direction), "local_e164": .string(localE164), "remote_e164": .string(remoteE164),
            "number_id": .string(numberID), "status": .string(status), "started_at": .time(startedAt),
            "answered_at": .time(answeredAt), "ended_at": .time(endedAt), "duration_seconds": .int(durationSeconds),
            "cost_minor": .int(costMinor), "cost_currency": .string(costCurrency),
            "rate_per_minute_minor": .int(ratePerMinuteMinor), "failure_code": .string(failureCode),
            "sip_status": .int(sipStatus), "client_request_id": .string(clientRequestID),
        ])
    }
}

/// One entry of a call's timeline (`call.answered`, `dtmf.received`, ...).
public struct CallEventRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "call_events"

    public var id: Int64?
    public var callID: String
    public var type: String
    /// JSON text.
    public var payload: String
    public var at: Int64

    public init(id: Int64? = nil, callID: String, type: String, payload: String, at: Int64) {
        self.id = id
        self.callID = callID
        self.type = type
        self.payload = payload
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case id
        case callID = "call_id"
        case type, payload, at
    }
}

/// What call control knows when a call starts ringing.
public struct CallStart: Sendable, Equatable {
    public var id: String
    public var workspaceID: String
    public var sessionID: String
    /// "inbound" | "outbound".
    public var direction: String
    public var localE164: String
    public var remoteE164: String
    public var numberID: String?
    /// The workspace's rate for this direction now (later rate changes don't reprice it).
    public var ratePerMinuteMinor: Int64
    public var clientRequestID: String?
    public var at: Int64
    /// Developer-supplied JSON text.
    public var metadata: String?

    public init(id: String, workspaceID: String, sessionID: String, direction: String, localE164: String, remoteE164: String,
                numberID: String? = nil, ratePerMinuteMinor: Int64, clientRequestID: String? = nil, at: Int64, metadata: String? = nil) {
        self.id = id
        self.workspaceID = workspaceID
        self.sessionID = sessionID
        self.direction = direction
        self.localE164 = localE164
        self.remoteE164 = remoteE164
        self.numberID = numberID
        self.ratePerMinuteMinor = ratePerMinuteMinor
        self.clientRequestID = clientRequestID
        self.at = at
        self.metadata = metadata
    }
}

extension Store {
    /// Inserts the call as "ringing" and fires `call.started`. (The `call.ringing` timeline
    /// event is appended by call control with `appendCallEvent`.)
    public func startCall(_ start: CallStart) throws {
        guard start.direction == "inbound" || start.direction == "outbound" else {
            throw StoreError.invalid(field: "direction", message: "must be inbound or outbound")
        }
        guard start.ratePerMinuteMinor >= 0 else {
            throw StoreError.invalid(field: "rate_per_minute_minor", message: "must be 0 or more")
        }
        if let metadata = start.metadata, !EventJSON.isValid(metadata) {
            throw StoreError.invalid(field: "metadata", message: "must be JSON text")
        }
        do {
            try write { db in
                let ws = try Store.workspace(db, id: start.workspaceID)
                let call = CallRecord(
                    id: start.id, workspaceID: start.workspaceID, sessionID: start.sessionID, direction: start.direction,
                    localE164: start.localE164, remoteE164: start.remoteE164, numberID: start.numberID, startedAt: start.at,
                    answeredAt: nil, endedAt: nil, lastActivityAt: start.at, durationSeconds: nil, status: "ringing",
                    costMinor: nil, costCurrency: ws.currency, ratePerMinuteMinor: start.ratePerMinuteMinor, failureCode: nil,
                    sipStatus: nil, ledgerEntryID: nil, clientRequestID: start.clientRequestID, metadata: start.metadata,
                    createdAt: start.at, updatedAt: start.at)
                try call.insert(db)
                try enqueueEvent(db, workspaceID: call.workspaceID, type: "call.started", data: call.webhookData, at: start.at)
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.invalid(field: "id", message: "a call with this id already exists")
        }
    }

    /// Marks the call answered (status in_progress), adds `call.answered` to its timeline and
    /// fires the webhook. No-op when it was already answered or has ended.
    public func answerCall(id: String, at: Int64) throws {
        try write { db in
            var call = try Store.call(db, id: id)
            guard call.answeredAt == nil, call.endedAt == nil else { return }
            try db.execute(sql: """
                UPDATE calls SET status = 'in_progress', answered_at = ?, last_activity_at = ?, updated_at = ?
                WHERE id = ? AND answered_at IS NULL AND ended_at IS NULL
                """, arguments: [at, max(at, call.lastActivityAt), at, id])
            guard db.changesCount == 1 else { return }
            call.status = "in_progress"
            call.answeredAt = at
            call.lastActivityAt = max(at, call.lastActivityAt)
            call.updatedAt = at
            try CallEventRecord(callID: id, type: "call.answered", payload: "{}", at: at).insert(db)
            try enqueueEvent(db, workspaceID: call.workspaceID, type: "call.answered", data: call.webhookData, at: at)
        }
    }

    /// Adds an entry to a call's timeline; `payload` is JSON text. Returns false (and stores
    /// nothing) when the call does not exist.
    @discardableResult
    public func appendCallEvent(callID: String, type: String, payload: String = "{}", at: Int64) throws -> Bool {
        guard !type.isEmpty, type.utf8.count <= 100 else { throw StoreError.invalid(field: "type", message: "must be 1-100 characters") }
        guard EventJSON.isValid(payload) else { throw StoreError.invalid(field: "payload", message: "must be JSON text") }
        return try write { db in
            try db.execute(sql: """
                INSERT INTO call_events (call_id, type, payload, at) SELECT id, ?, ?, ? FROM calls WHERE id = ?
                """, arguments: [type, payload, at, callID])
            return db.changesCount == 1
        }
    }

    /// Records that these live calls were still up at `at` (one UPDATE per 500 ids), so a
    /// crash bills them to their last sign of life. Ended calls and older times are ignored.
    public func touchLiveCalls(ids callIDs: [String], at: Int64) throws {
        guard !callIDs.isEmpty else { return }
        try write { db in
            var start = 0
            while start < callIDs.count {
                let chunk = callIDs[start..<min(start + 500, callIDs.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                var args: [(any DatabaseValueConvertible)?] = [at, at]
                args.append(contentsOf: chunk.map { $0 as (any DatabaseValueConvertible)? })
                try db.execute(sql: """
                    UPDATE calls SET last_activity_at = ? WHERE last_activity_at < ? AND ended_at IS NULL AND id IN (\(marks))
                    """, arguments: StatementArguments(args))
                start += 500
            }
        }
    }

    /// A call of the workspace by id or session id, with its timeline oldest first;
    /// `calls.not_found` otherwise.
    public func call(workspaceID: String, idOrSessionID: String) throws -> (CallRecord, [CallEventRecord]) {
        try read { db in
            guard let call = try CallRecord.fetchOne(db, sql: """
                SELECT * FROM calls WHERE workspace_id = ? AND (id = ? OR session_id = ?)
                ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, started_at DESC, id DESC LIMIT 1
                """, arguments: [workspaceID, idOrSessionID, idOrSessionID, idOrSessionID]) else {
                throw StoreError.notFound("calls.not_found")
            }
            let events = try CallEventRecord.fetchAll(db, sql: "SELECT * FROM call_events WHERE call_id = ? ORDER BY at, id",
                                                      arguments: [call.id])
            return (call, events)
        }
    }

    static func call(_ db: Database, id: String) throws -> CallRecord {
        guard let call = try CallRecord.fetchOne(db, sql: "SELECT * FROM calls WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("calls.not_found")
        }
        return call
    }
}
