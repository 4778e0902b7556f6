import GRDB

/// A workspace's wallet row: the balance the ledger adds up to.
public struct WalletRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "wallets"

    public var workspaceID: String
    /// Minor units (KES cents); negative after a call that cost more than was left.
    public var balanceMinor: Int64
    public var currency: String
    public var lowBalanceThresholdMinor: Int64
    public var updatedAt: Int64

    public init(workspaceID: String, balanceMinor: Int64, currency: String, lowBalanceThresholdMinor: Int64, updatedAt: Int64) {
        self.workspaceID = workspaceID
        self.balanceMinor = balanceMinor
        self.currency = currency
        self.lowBalanceThresholdMinor = lowBalanceThresholdMinor
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case workspaceID = "workspace_id"
        case balanceMinor = "balance_minor"
        case currency
        case lowBalanceThresholdMinor = "low_balance_threshold_minor"
        case updatedAt = "updated_at"
    }

    /// New billable calls are refused while the balance is negative (admin-api.md "Billing").
    public var acceptsBillableCalls: Bool { balanceMinor >= 0 }
}

/// One line of the wallet ledger. The balance is always the sum of the ledger.
public struct LedgerEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "wallet_ledger"

    public var id: String
    public var workspaceID: String
    /// "call_debit" or "top_up".
    public var kind: String
    /// Signed: debits are negative.
    public var amountMinor: Int64
    public var balanceAfterMinor: Int64
    /// The call a debit is for (unique: a call is debited at most once).
    public var callID: String?
    /// Free text for top-ups (e.g. an M-Pesa receipt).
    public var reference: String?
    public var createdAt: Int64

    public init(id: String, workspaceID: String, kind: String, amountMinor: Int64, balanceAfterMinor: Int64,
                callID: String?, reference: String?, createdAt: Int64) {
        self.id = id
        self.workspaceID = workspaceID
        self.kind = kind
        self.amountMinor = amountMinor
        self.balanceAfterMinor = balanceAfterMinor
        self.callID = callID
        self.reference = reference
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workspaceID = "workspace_id"
        case kind
        case amountMinor = "amount_minor"
        case balanceAfterMinor = "balance_after_minor"
        case callID = "call_id"
        case reference
        case createdAt = "created_at"
    }
}

/// A wallet row changed under us (another node's transaction); the caller retries.
struct WalletRaceError: Error {}

extension Store {
    /// The wallet of `workspaceID`, or `notFound("workspaces.not_found")`.
    public func wallet(workspaceID: String) throws -> WalletRecord {
        try read { db in try Store.wallet(db, workspaceID: workspaceID) }
    }

    /// Adds funds (rule: `Wallet.topUpRule`) and fires `wallet.top_up`, in one transaction.
    @discardableResult
    public func topUp(workspaceID: String, amountMinor: Int64, reference: String? = nil) throws -> LedgerEntry {
        if let reference, reference.utf8.count > 200 {
            throw StoreError.invalid(field: "reference", message: "must be at most 200 characters")
        }
        return try retryingWalletRace {
            try write { db in
                let now = clock()
                let wallet = try Store.wallet(db, workspaceID: workspaceID)
                let after: Int64
                do { after = try Wallet.topUpRule(balance: wallet.balanceMinor, amount: amountMinor) } catch { throw StoreError.invalidAmount }
                try Store.setBalance(db, wallet: wallet, to: after, at: now)
                let entry = LedgerEntry(id: ids(), workspaceID: workspaceID, kind: "top_up", amountMinor: amountMinor,
                                        balanceAfterMinor: after, callID: nil, reference: reference, createdAt: now)
                try entry.insert(db)
                try enqueueEvent(db, workspaceID: workspaceID, type: "wallet.top_up", data: EventJSON.text([
                    "ledger_entry_id": .string(entry.id),
                    "amount_minor": .int(amountMinor),
                    "balance_minor": .int(after),
                    "currency": .string(wallet.currency),
                    "reference": .string(reference),
                ]), at: now)
                return entry
            }
        }
    }

    /// The ledger of `workspaceID`, newest first.
    public func ledger(workspaceID: String, after: PageKey? = nil, limit: Int = 25) throws -> Page<LedgerEntry> {
        try read { db in
            _ = try Store.wallet(db, workspaceID: workspaceID)
            var q = KeysetQuery(select: "SELECT * FROM wallet_ledger", sortColumn: "created_at")
            q.filter("workspace_id = ?", workspaceID)
            return try q.page(db, after: after, limit: limit) { PageKey(at: $0.createdAt, id: $0.id) }
        }
    }

    /// Whether new billable calls are allowed: the balance is not negative.
    public func workspaceAcceptsBillableCalls(workspaceID: String) throws -> Bool {
        try wallet(workspaceID: workspaceID).acceptsBillableCalls
    }

    static func wallet(_ db: Database, workspaceID: String) throws -> WalletRecord {
        guard let w = try WalletRecord.fetchOne(db, sql: "SELECT * FROM wallets WHERE workspace_id = ?", arguments: [workspaceID]) else {
            throw StoreError.notFound("workspaces.not_found")
        }
        return w
    }

    /// Compare-and-set on the balance: on SQLite the single writer makes this always succeed;
    /// on a shared PostgreSQL a concurrent debit makes it match no row, and the whole
    /// transaction is retried instead of losing an update.
    static func setBalance(_ db: Database, wallet: WalletRecord, to balance: Int64, at now: Int64) throws {
        try db.execute(sql: """
            UPDATE wallets SET balance_minor = ?, updated_at = ? WHERE workspace_id = ? AND balance_minor = ?
            """, arguments: [balance, now, wallet.workspaceID, wallet.balanceMinor])
        guard db.changesCount == 1 else { throw WalletRaceError() }
    }

    /// Runs `body` again (a few times) when a wallet compare-and-set lost a race.
    func retryingWalletRace<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do { return try body() } catch is WalletRaceError where attempt < 5 { attempt += 1 }
        }
    }
}
