import Foundation
import GRDB

/// A tenant: its rates, billing increment, low-balance threshold, signing secret and
/// recording retention. Each workspace has exactly one KES wallet.
public struct Workspace: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "workspaces"

    public var id: String
    public var name: String
    /// ISO 4217 code of the wallet and all prices ("KES").
    public var currency: String
    /// Per-minute rate for inbound calls, minor units.
    public var inboundRateMinor: Int64
    /// Per-minute rate for outbound calls, minor units.
    public var outboundRateMinor: Int64
    /// Seconds per billing increment (60 = per started minute).
    public var billingIncrementSeconds: Int64
    /// `wallet.low_balance` fires when the balance drops below this.
    public var lowBalanceThresholdMinor: Int64
    /// Signs voice callbacks and webhooks ("whsec_" + 64 hex digits).
    public var signingSecret: String
    /// Days a recording stays downloadable after it is ready.
    public var recordingRetentionDays: Int
    public var createdAt: Int64
    /// Hosts `play` may fetch from, one pattern per line (`example.com`, `*.example.com`);
    /// nil = any host. See `playHosts`.
    public var playAllowedHosts: String?

    public init(id: String, name: String, currency: String = "KES", inboundRateMinor: Int64, outboundRateMinor: Int64,
                billingIncrementSeconds: Int64, lowBalanceThresholdMinor: Int64, signingSecret: String,
                recordingRetentionDays: Int, createdAt: Int64, playAllowedHosts: [String]? = nil) {
        self.playAllowedHosts = playAllowedHosts.map { $0.joined(separator: "\n") }
        self.id = id
        self.name = name
        self.currency = currency
        self.inboundRateMinor = inboundRateMinor
        self.outboundRateMinor = outboundRateMinor
        self.billingIncrementSeconds = billingIncrementSeconds
        self.lowBalanceThresholdMinor = lowBalanceThresholdMinor
        self.signingSecret = signingSecret
        self.recordingRetentionDays = recordingRetentionDays
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, currency
        case inboundRateMinor = "inbound_rate_minor"
        case outboundRateMinor = "outbound_rate_minor"
        case billingIncrementSeconds = "billing_increment_seconds"
        case lowBalanceThresholdMinor = "low_balance_threshold_minor"
        case signingSecret = "signing_secret"
        case recordingRetentionDays = "recording_retention_days"
        case createdAt = "created_at"
        case playAllowedHosts = "play_allowed_hosts"
    }

    /// The `play` host allow-list, nil when any host is allowed.
    public var playHosts: [String]? {
        playAllowedHosts.map { $0.split(separator: "\n").map(String.init) }
    }

    /// The pricing rules of this workspace.
    public var tariff: Tariff {
        Tariff(inboundPerMinuteMinor: inboundRateMinor, outboundPerMinuteMinor: outboundRateMinor,
               incrementSeconds: billingIncrementSeconds)
    }
}

extension Store {
    /// Creates a workspace and its wallet (balance 0, KES) in one transaction.
    public func createWorkspace(
        name: String,
        inboundRateMinor: Int64 = 0,
        outboundRateMinor: Int64 = 300,
        billingIncrementSeconds: Int64 = 60,
        lowBalanceThresholdMinor: Int64 = 10_000,
        recordingRetentionDays: Int = 90,
        playAllowedHosts: [String]? = nil
    ) throws -> Workspace {
        let hosts = try playAllowedHosts.map(PlayHostPatterns.normalize)
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 200 else {
            throw StoreError.invalid(field: "name", message: "must be 1-200 characters")
        }
        guard inboundRateMinor >= 0, outboundRateMinor >= 0 else {
            throw StoreError.invalid(field: "rate", message: "rates must be 0 or more minor units per minute")
        }
        guard (1...86_400).contains(billingIncrementSeconds) else {
            throw StoreError.invalid(field: "billing_increment_seconds", message: "must be 1-86400")
        }
        guard (1...36_500).contains(recordingRetentionDays) else {
            throw StoreError.invalid(field: "recording_retention_days", message: "must be 1-36500")
        }
        let now = clock()
        let workspace = Workspace(
            id: ids(), name: trimmed, currency: "KES", inboundRateMinor: inboundRateMinor,
            outboundRateMinor: outboundRateMinor, billingIncrementSeconds: billingIncrementSeconds,
            lowBalanceThresholdMinor: lowBalanceThresholdMinor, signingSecret: Secrets.signingSecret(),
            recordingRetentionDays: recordingRetentionDays, createdAt: now, playAllowedHosts: hosts)
        try write { db in
            try workspace.insert(db)
            try WalletRecord(workspaceID: workspace.id, balanceMinor: 0, currency: workspace.currency,
                             lowBalanceThresholdMinor: lowBalanceThresholdMinor, updatedAt: now).insert(db)
        }
        return workspace
    }

    /// Replaces the `play` host allow-list (nil: any host).
    public func setPlayAllowedHosts(workspaceID: String, hosts: [String]?) throws -> Workspace {
        let normalized = try hosts.map(PlayHostPatterns.normalize)
        return try write { db in
            var ws = try Store.workspace(db, id: workspaceID)
            ws.playAllowedHosts = normalized.map { $0.joined(separator: "\n") }
            try ws.update(db)
            return ws
        }
    }

    /// The workspace with `id`, or `notFound("workspaces.not_found")`.
    public func workspace(id: String) throws -> Workspace {
        try read { db in try Store.workspace(db, id: id) }
    }

    /// All workspaces, oldest first.
    public func workspaces() throws -> [Workspace] {
        try read { db in
            try Workspace.fetchAll(db, sql: "SELECT * FROM workspaces ORDER BY created_at, id")
        }
    }

    /// The pricing rules of `workspace` (pure).
    public func tariff(for workspace: Workspace) -> Tariff {
        workspace.tariff
    }

    static func workspace(_ db: Database, id: String) throws -> Workspace {
        guard let ws = try Workspace.fetchOne(db, sql: "SELECT * FROM workspaces WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("workspaces.not_found")
        }
        return ws
    }
}
