import GRDB

/// Filters for the calls list (admin-api.md `GET /v1/calls`); empty/nil means "any".
public struct CallFilter: Sendable, Equatable {
    /// Any of these statuses.
    public var statuses: [String]
    /// "inbound" | "outbound".
    public var direction: String?
    /// Substring of the remote number or the session id (wildcards are literal).
    public var q: String?
    public var sessionID: String?
    /// started_at >= from (ms).
    public var from: Int64?
    /// started_at < to (ms).
    public var to: Int64?

    public init(statuses: [String] = [], direction: String? = nil, q: String? = nil, sessionID: String? = nil,
                from: Int64? = nil, to: Int64? = nil) {
        self.statuses = statuses
        self.direction = direction
        self.q = q
        self.sessionID = sessionID
        self.from = from
        self.to = to
    }
}

/// Totals for the dashboard (`GET /v1/calls/stats`).
public struct CallStats: Sendable, Equatable, Codable {
    public var total: Int
    /// Calls whose final status is "failed".
    public var failed: Int
    /// Sum over calls of ceil(duration_seconds / 60).
    public var minutesTotal: Int64
    public var spendMinor: Int64
    public var currency: String
    /// Per-bucket figures, oldest first, when a bucket size was asked for.
    public var series: [StatsBucket]?

    public init(total: Int, failed: Int, minutesTotal: Int64, spendMinor: Int64, currency: String, series: [StatsBucket]?) {
        self.total = total
        self.failed = failed
        self.minutesTotal = minutesTotal
        self.spendMinor = spendMinor
        self.currency = currency
        self.series = series
    }

    enum CodingKeys: String, CodingKey {
        case total, failed
        case minutesTotal = "minutes_total"
        case spendMinor = "spend_minor"
        case currency, series
    }
}

/// One bucket of `CallStats.series` (calls that started in [start, start + bucket)).
public struct StatsBucket: Sendable, Equatable, Codable {
    /// ms since the epoch, a multiple of the bucket size.
    public var start: Int64
    public var total: Int
    public var failed: Int
    public var minutes: Int64
    public var spendMinor: Int64

    public init(start: Int64, total: Int, failed: Int, minutes: Int64, spendMinor: Int64) {
        self.start = start
        self.total = total
        self.failed = failed
        self.minutes = minutes
        self.spendMinor = spendMinor
    }

    enum CodingKeys: String, CodingKey {
        case start, total, failed, minutes
        case spendMinor = "spend_minor"
    }
}

extension Store {
    /// Series longer than this are returned sparse (only buckets with calls).
    static let maxDenseBuckets: Int64 = 10_000

    /// The workspace's calls matching `filter`, newest first by started_at.
    public func calls(workspaceID: String, filter: CallFilter = CallFilter(), after: PageKey? = nil, limit: Int = 25) throws -> Page<CallRecord> {
        for status in filter.statuses where !CallRecord.allStatuses.contains(status) {
            throw StoreError.invalid(field: "status", message: "unknown status \"\(status)\"; allowed: \(CallRecord.allStatuses.joined(separator: ", "))")
        }
        if let direction = filter.direction, direction != "inbound", direction != "outbound" {
            throw StoreError.invalid(field: "direction", message: "must be inbound or outbound")
        }
        return try read { db in
            var q = KeysetQuery(select: "SELECT * FROM calls", sortColumn: "started_at")
            q.filter("workspace_id = ?", workspaceID)
            if !filter.statuses.isEmpty {
                let marks = Array(repeating: "?", count: filter.statuses.count).joined(separator: ",")
                q.conditions.append("status IN (\(marks))")
                q.arguments.append(contentsOf: filter.statuses.map { $0 as (any DatabaseValueConvertible)? })
            }
            if let direction = filter.direction { q.filter("direction = ?", direction) }
            if let sessionID = filter.sessionID { q.filter("session_id = ?", sessionID) }
            if let from = filter.from { q.filter("started_at >= ?", from) }
            if let to = filter.to { q.filter("started_at < ?", to) }
            if let text = filter.q, !text.isEmpty {
                let pattern = "%" + Store.escapeLike(text) + "%"
                q.filter("(remote_e164 LIKE ? ESCAPE '\\' OR session_id LIKE ? ESCAPE '\\')", pattern, pattern)
            }
            return try q.page(db, after: after, limit: limit) { PageKey(at: $0.startedAt, id: $0.id) }
        }
    }

    /// Totals for calls that started at or after `since`, and with `bucketSeconds` a series
    /// of buckets from the one holding `since` to the one holding now (empty ones included).
    public func callStats(workspaceID: String, since: Int64, bucketSeconds: Int64? = nil) throws -> CallStats {
        if let bucketSeconds, bucketSeconds <= 0 {
            throw StoreError.invalid(field: "bucket", message: "must be a positive number of seconds")
        }
        return try read { db in
            let ws = try Store.workspace(db, id: workspaceID)
            // Minutes per call are ceil(duration / 60): integer arithmetic, same on any SQL engine.
            let totals = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS total,
                       COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
                       COALESCE(SUM((COALESCE(duration_seconds, 0) + 59) / 60), 0) AS minutes,
                       COALESCE(SUM(COALESCE(cost_minor, 0)), 0) AS spend
                FROM calls WHERE workspace_id = ? AND started_at >= ?
                """, arguments: [workspaceID, since])
            var stats = CallStats(total: totals?["total"] ?? 0, failed: totals?["failed"] ?? 0,
                                  minutesTotal: totals?["minutes"] ?? 0, spendMinor: totals?["spend"] ?? 0,
                                  currency: ws.currency, series: nil)
            guard let bucketSeconds else { return stats }
            let bucketMs = bucketSeconds.multipliedReportingOverflow(by: 1000)
            guard !bucketMs.overflow else { throw StoreError.invalid(field: "bucket", message: "is too large") }
            let size = bucketMs.partialValue
            // started_at is never negative, so integer division is floor on every engine.
            let rows = try Row.fetchAll(db, sql: """
                SELECT (started_at / ?) * ? AS bucket, COUNT(*) AS total,
                       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
                       SUM((COALESCE(duration_seconds, 0) + 59) / 60) AS minutes,
                       SUM(COALESCE(cost_minor, 0)) AS spend
                FROM calls WHERE workspace_id = ? AND started_at >= ?
                GROUP BY (started_at / ?) * ? ORDER BY bucket
                """, arguments: [size, size, workspaceID, since, size, size])
            let found = rows.map { row in
                StatsBucket(start: row["bucket"], total: row["total"], failed: row["failed"],
                            minutes: row["minutes"], spendMinor: row["spend"])
            }
            stats.series = Store.denseSeries(found, since: since, until: max(clock(), found.last?.start ?? 0), size: size)
            return stats
        }
    }

    /// Fills the buckets without calls with zeros, unless that would be absurdly many.
    static func denseSeries(_ found: [StatsBucket], since: Int64, until: Int64, size: Int64) -> [StatsBucket] {
        let first = since >= 0 ? since / size * size : 0
        let last = until / size * size
        guard last >= first, (last - first) / size < maxDenseBuckets else { return found }
        var byStart: [Int64: StatsBucket] = [:]
        for bucket in found { byStart[bucket.start] = bucket }
        var series: [StatsBucket] = []
        var start = first
        while start <= last {
            series.append(byStart[start] ?? StatsBucket(start: start, total: 0, failed: 0, minutes: 0, spendMinor: 0))
            start += size
        }
        return series
    }

    /// Makes `%`, `_` and the escape character itself literal in a LIKE pattern.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
