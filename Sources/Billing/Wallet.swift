/// A workspace's KES wallet as a pure value: the balance, the ledger, and the rules of
/// admin-api.md "Billing". The store applies the same entries in one transaction; keeping the
/// rules here lets them be tested exactly (and replayed after a crash).
public struct Wallet: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable { case callDebit = "call_debit", topUp = "top_up" }
        public var id: Int64
        public var kind: Kind
        /// Signed: debits are negative.
        public var amountMinor: Int64
        public var balanceAfterMinor: Int64
        /// The call a debit is for (at most one debit per call), or the top-up's reference.
        public var reference: String
    }

    /// What a debit did.
    public enum DebitOutcome: Sendable, Equatable {
        /// A new ledger entry; `lowBalance` when the balance crossed the threshold downward.
        case debited(Entry, lowBalance: Bool)
        /// This call was debited before: the same entry, nothing changes (retries, replays).
        case alreadyDebited(Entry)
        /// Nothing to charge (unanswered or free): no ledger entry.
        case free
    }

    public private(set) var balanceMinor: Int64
    /// `wallet.low_balance` fires when the balance goes from at or above this to below it.
    public var lowBalanceThresholdMinor: Int64
    public private(set) var ledger: [Entry] = []
    private var debitByCall: [String: Int] = [:]
    private var nextID: Int64 = 1

    public init(balanceMinor: Int64 = 0, lowBalanceThresholdMinor: Int64 = 0) {
        self.balanceMinor = balanceMinor
        self.lowBalanceThresholdMinor = lowBalanceThresholdMinor
    }

    /// New billable calls are refused while the balance is negative (`originate` → 402
    /// `wallet.insufficient_funds`, inbound with a non-zero rate → SIP 402). A call already up
    /// always completes and is billed, so the balance goes negative by at most one call.
    public var acceptsBillableCalls: Bool { balanceMinor >= 0 }

    /// Charges a call at hangup, at most once per `callID` whatever is retried or replayed.
    public mutating func debit(callID: String, costMinor: Int64) -> DebitOutcome {
        if let i = debitByCall[callID] { return .alreadyDebited(ledger[i]) }
        guard costMinor > 0 else { return .free }
        let rule = Wallet.debitRule(balance: balanceMinor, threshold: lowBalanceThresholdMinor, cost: costMinor)
        balanceMinor = rule.after
        let entry = Entry(id: nextID, kind: .callDebit, amountMinor: -costMinor, balanceAfterMinor: balanceMinor, reference: callID)
        nextID += 1
        debitByCall[callID] = ledger.count
        ledger.append(entry)
        return .debited(entry, lowBalance: rule.crossedThreshold)
    }

    /// The one debit rule (this value and the SQLite store both use it): the balance after
    /// charging `cost` (saturating, never trapping), and whether it went from at or above
    /// `threshold` to below it, which is when `wallet.low_balance` fires.
    public static func debitRule(balance: Int64, threshold: Int64, cost: Int64) -> (after: Int64, crossedThreshold: Bool) {
        let (difference, overflow) = balance.subtractingReportingOverflow(cost)
        let after = overflow ? (cost > 0 ? Int64.min : Int64.max) : difference
        return (after, balance >= threshold && after < threshold)
    }

    /// The one top-up rule: the balance after adding `amount`, or `.invalidAmount` unless
    /// 0 < amount < 10^12 (and the sum fits).
    public static func topUpRule(balance: Int64, amount: Int64) throws(TopUpError) -> Int64 {
        guard amount > 0, amount < 1_000_000_000_000 else { throw .invalidAmount }
        let (sum, overflow) = balance.addingReportingOverflow(amount)
        guard !overflow else { throw .invalidAmount }
        return sum
    }

    public enum TopUpError: Error, Sendable, Equatable {
        /// `wallet.invalid_amount`: top-ups are positive and below 10^12 minor units.
        case invalidAmount
        public var code: String { "wallet.invalid_amount" }
    }

    /// Adds funds (`wallet.top_up`).
    public mutating func topUp(amountMinor: Int64, reference: String) throws(TopUpError) -> Entry {
        balanceMinor = try Wallet.topUpRule(balance: balanceMinor, amount: amountMinor)
        let entry = Entry(id: nextID, kind: .topUp, amountMinor: amountMinor, balanceAfterMinor: balanceMinor, reference: reference)
        nextID += 1
        ledger.append(entry)
        return entry
    }

    /// The invariant the store is held to: the balance is the opening balance plus the ledger.
    public func ledgerSum() -> Int64 { ledger.reduce(0) { $0 + $1.amountMinor } }
}
