import GRDB

/// A phone number claimed by a workspace and how its inbound calls are routed.
public struct NumberRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "numbers"

    /// Routes a number can have: fetch instructions from `voiceCallbackURL`, or a built-in.
    public static let routes: [String] = ["callback", "hold", "echo", "app:demo"]

    public var id: String
    public var workspaceID: String
    /// "+" and digits (E.164); seeded numbers may also be plain SIP users such as "echo".
    public var e164: String
    /// "callback" | "hold" | "echo" | "app:demo".
    public var route: String
    public var voiceCallbackURL: String?
    public var fallbackURL: String?
    public var eventsURL: String?
    /// "active" | "retired".
    public var status: String
    public var createdAt: Int64
    public var updatedAt: Int64
    public var releasedAt: Int64?
    /// Optional human label (from the config file's `numbers:` list).
    public var name: String?

    public init(id: String, workspaceID: String, e164: String, route: String, voiceCallbackURL: String? = nil,
                fallbackURL: String? = nil, eventsURL: String? = nil, status: String = "active", createdAt: Int64,
                updatedAt: Int64, releasedAt: Int64? = nil, name: String? = nil) {
        self.id = id
        self.workspaceID = workspaceID
        self.e164 = e164
        self.route = route
        self.voiceCallbackURL = voiceCallbackURL
        self.fallbackURL = fallbackURL
        self.eventsURL = eventsURL
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.releasedAt = releasedAt
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workspaceID = "workspace_id"
        case e164, route
        case voiceCallbackURL = "voice_callback_url"
        case fallbackURL = "fallback_url"
        case eventsURL = "events_url"
        case status
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case releasedAt = "released_at"
        case name
    }

    /// Webhook `data` for `number.provisioned` / `number.released`.
    var webhookData: String {
        EventJSON.text([
            "id": .string(id), "workspace_id": .string(workspaceID), "e164": .string(e164), "route": .string(route),
            "voice_callback_url": .string(voiceCallbackURL), "fallback_url": .string(fallbackURL),
            "events_url": .string(eventsURL), "status": .string(status), "name": .string(name),
            "created_at": .time(createdAt), "updated_at": .time(updatedAt), "released_at": .time(releasedAt),
        ])
    }
}

extension Store {
    /// Claims `e164` for the workspace and fires `number.provisioned` in the same transaction.
    /// An active row with that number anywhere → `.alreadyClaimed`; a retired one may be claimed again.
    public func claimNumber(workspaceID: String, e164: String, route: String = "callback", voiceCallbackURL: String? = nil,
                            fallbackURL: String? = nil, eventsURL: String? = nil) throws -> NumberRecord {
        guard Store.isE164(e164) else {
            throw StoreError.invalid(field: "e164", message: "must be \"+\" and 1-15 digits, the first not 0")
        }
        try Store.validateRoute(route)
        for (field, url) in [("voice_callback_url", voiceCallbackURL), ("fallback_url", fallbackURL), ("events_url", eventsURL)] {
            if let url { try Store.validateRoutingURL(url, field: field) }
        }
        let now = clock()
        let number = NumberRecord(id: ids(), workspaceID: workspaceID, e164: e164, route: route, voiceCallbackURL: voiceCallbackURL,
                                  fallbackURL: fallbackURL, eventsURL: eventsURL, createdAt: now, updatedAt: now)
        do {
            return try write { db in
                _ = try Store.workspace(db, id: workspaceID)
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM numbers WHERE e164 = ? AND status = 'active'", arguments: [e164]) != nil {
                    throw StoreError.alreadyClaimed
                }
                try number.insert(db)
                try enqueueEvent(db, workspaceID: workspaceID, type: "number.provisioned", data: number.webhookData, at: now)
                return number
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.alreadyClaimed  // another writer won the race; the partial unique index said no
        }
    }

    /// A number of the workspace (active or retired); `numbers.not_found`, or
    /// `numbers.not_assigned` when it belongs to another workspace.
    public func number(workspaceID: String, id: String) throws -> NumberRecord {
        try read { db in try Store.number(db, workspaceID: workspaceID, id: id) }
    }

    /// The numbers of the workspace, newest first; `status` ("active"/"retired") filters.
    public func numbers(workspaceID: String, after: PageKey? = nil, limit: Int = 25, status: String? = nil) throws -> Page<NumberRecord> {
        try read { db in
            var q = KeysetQuery(select: "SELECT * FROM numbers", sortColumn: "created_at")
            q.filter("workspace_id = ?", workspaceID)
            if let status { q.filter("status = ?", status) }
            return try q.page(db, after: after, limit: limit) { PageKey(at: $0.createdAt, id: $0.id) }
        }
    }

    /// Changes routing. For each URL: nil leaves it, `.some(nil)` clears it, `.some(url)` sets it.
    /// A retired number → `.notAssigned`.
    @discardableResult
    public func updateNumber(workspaceID: String, id: String, voiceCallbackURL: String?? = nil, fallbackURL: String?? = nil,
                             eventsURL: String?? = nil, route: String? = nil) throws -> NumberRecord {
        for (field, url) in [("voice_callback_url", voiceCallbackURL), ("fallback_url", fallbackURL), ("events_url", eventsURL)] {
            if case .some(.some(let url)) = url { try Store.validateRoutingURL(url, field: field) }
        }
        return try write { db in
            var number = try Store.number(db, workspaceID: workspaceID, id: id)
            guard number.status == "active" else { throw StoreError.notAssigned }
            if let voiceCallbackURL { number.voiceCallbackURL = voiceCallbackURL }
            if let fallbackURL { number.fallbackURL = fallbackURL }
            if let eventsURL { number.eventsURL = eventsURL }
            if let route { number.route = route }
            try Store.validateRoute(number.route)
            number.updatedAt = clock()
            try number.update(db)
            return number
        }
    }

    /// Retires the number (it may be claimed again) and fires `number.released`;
    /// releasing a retired number → `.notAssigned`.
    @discardableResult
    public func releaseNumber(workspaceID: String, id: String) throws -> NumberRecord {
        try write { db in
            var number = try Store.number(db, workspaceID: workspaceID, id: id)
            guard number.status == "active" else { throw StoreError.notAssigned }
            let now = clock()
            number.status = "retired"
            number.releasedAt = now
            number.updatedAt = now
            try number.update(db)
            try enqueueEvent(db, workspaceID: workspaceID, type: "number.released", data: number.webhookData, at: now)
            return number
        }
    }

    /// First start: when the numbers table is empty, inserts `entries` as active numbers of
    /// the workspace named "default" (created if missing). Returns rows inserted, 0 when the
    /// table already had numbers (the config file seeds once; the API owns numbers after).
    public func seedNumbers(_ entries: [(e164: String, route: String, name: String?)]) throws -> Int {
        for entry in entries {
            guard !entry.e164.isEmpty, entry.e164.utf8.count <= 64 else {
                throw StoreError.invalid(field: "number", message: "must be 1-64 characters")
            }
            guard NumberRecord.routes.contains(entry.route) else {
                throw StoreError.invalid(field: "route", message: "unknown route \"\(entry.route)\"")
            }
        }
        guard try read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM numbers") ?? 0 }) == 0, !entries.isEmpty else {
            return 0
        }
        let workspaceID: String
        if let existing = try workspaces().first(where: { $0.name == "default" }) {
            workspaceID = existing.id
        } else {
            workspaceID = try createWorkspace(name: "default").id
        }
        return try write { db in
            // Re-check inside the write: another process may have seeded meanwhile.
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM numbers") ?? 0 == 0 else { return 0 }
            let now = clock()
            var inserted = 0
            var seen: Set<String> = []
            for entry in entries where seen.insert(entry.e164).inserted {
                try NumberRecord(id: ids(), workspaceID: workspaceID, e164: entry.e164, route: entry.route,
                                 createdAt: now, updatedAt: now, name: entry.name).insert(db)
                inserted += 1
            }
            return inserted
        }
    }

    static func number(_ db: Database, workspaceID: String, id: String) throws -> NumberRecord {
        guard let number = try NumberRecord.fetchOne(db, sql: "SELECT * FROM numbers WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("numbers.not_found")
        }
        // Another tenant's number is "not found", not "not yours": an id must not reveal
        // that a number exists in some other workspace.
        guard number.workspaceID == workspaceID else { throw StoreError.notFound("numbers.not_found") }
        return number
    }

    /// ITU-T E.164 §6: "+", at most 15 digits, and a country code never starts with 0.
    static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 16, bytes.first == UInt8(ascii: "+"),
              bytes.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              bytes[1] != UInt8(ascii: "0") else { return false }
        return true
    }

    /// A route must be one of `NumberRecord.routes`. (A "callback" number without a URL is
    /// allowed: it is being set up, and call control rejects its calls until it has one.)
    static func validateRoute(_ route: String) throws {
        guard NumberRecord.routes.contains(route) else {
            throw StoreError.invalid(field: "route", message: "must be one of \(NumberRecord.routes.joined(separator: ", "))")
        }
    }

    /// Routing URLs are absolute http(s) URLs (the API reports `numbers.invalid_routing_url`).
    static func validateRoutingURL(_ url: String, field: String) throws {
        do { try validateWebhookURL(url) } catch { throw StoreError.invalid(field: field, message: "must be an absolute http or https URL") }
    }
}
