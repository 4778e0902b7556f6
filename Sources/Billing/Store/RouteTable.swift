import GRDB

/// Everything call control needs to route and price a call to one active number, so the
/// signalling path never touches the database: it keeps a snapshot of these in memory.
public struct RouteEntry: Sendable, Equatable {
    public var e164: String
    public var numberID: String
    public var workspaceID: String
    public var route: String
    public var voiceCallbackURL: String?
    public var fallbackURL: String?
    public var inboundRateMinor: Int64
    public var outboundRateMinor: Int64
    public var billingIncrementSeconds: Int64
    /// The wallet balance is negative: billable calls are refused (SIP 402 inbound).
    public var workspaceBlocked: Bool
    /// Where call events are posted, if set.
    public var eventsURL: String?
    /// The workspace's secret that signs voice callback requests.
    public var signingSecret: String?
    /// Hosts the workspace's voice apps may `play` from; nil = any.
    public var playAllowedHosts: [String]?

    public init(e164: String, numberID: String, workspaceID: String, route: String, voiceCallbackURL: String?,
                fallbackURL: String?, inboundRateMinor: Int64, outboundRateMinor: Int64, billingIncrementSeconds: Int64,
                workspaceBlocked: Bool, eventsURL: String? = nil, signingSecret: String? = nil) {
        self.signingSecret = signingSecret
        self.e164 = e164
        self.numberID = numberID
        self.workspaceID = workspaceID
        self.route = route
        self.voiceCallbackURL = voiceCallbackURL
        self.fallbackURL = fallbackURL
        self.inboundRateMinor = inboundRateMinor
        self.outboundRateMinor = outboundRateMinor
        self.billingIncrementSeconds = billingIncrementSeconds
        self.workspaceBlocked = workspaceBlocked
        self.eventsURL = eventsURL
    }

    /// The pricing rules for calls on this number.
    public var tariff: Tariff {
        Tariff(inboundPerMinuteMinor: inboundRateMinor, outboundPerMinuteMinor: outboundRateMinor,
               incrementSeconds: billingIncrementSeconds)
    }

    /// Whether a call in `direction` would cost anything, i.e. is refused while blocked.
    public func isBillable(_ direction: Tariff.Direction) -> Bool {
        tariff.ratePerMinute(direction) > 0
    }
}

extension Store {
    /// All active numbers joined with their workspace and wallet, in one query, ordered by number.
    public func routeTable() throws -> [RouteEntry] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT n.e164, n.id, n.workspace_id, n.route, n.voice_callback_url, n.fallback_url, n.events_url,
                       ws.inbound_rate_minor, ws.outbound_rate_minor, ws.billing_increment_seconds, ws.signing_secret, ws.play_allowed_hosts, wa.balance_minor
                FROM numbers n
                JOIN workspaces ws ON ws.id = n.workspace_id
                JOIN wallets wa ON wa.workspace_id = n.workspace_id
                WHERE n.status = 'active'
                ORDER BY n.e164
                """)
            return rows.map { row in
                let balance: Int64 = row["balance_minor"]
                var entry = RouteEntry(
                    e164: row["e164"], numberID: row["id"], workspaceID: row["workspace_id"], route: row["route"],
                    voiceCallbackURL: row["voice_callback_url"], fallbackURL: row["fallback_url"],
                    inboundRateMinor: row["inbound_rate_minor"], outboundRateMinor: row["outbound_rate_minor"],
                    billingIncrementSeconds: row["billing_increment_seconds"], workspaceBlocked: balance < 0,
                    eventsURL: row["events_url"], signingSecret: row["signing_secret"])
                entry.playAllowedHosts = (row["play_allowed_hosts"] as String?).map { $0.split(separator: "\n").map(String.init) }
                return entry
            }
        }
    }
}
