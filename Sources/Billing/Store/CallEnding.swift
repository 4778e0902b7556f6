import GRDB

/// How and when a call ended, as call control saw it.
public struct CallEnd: Sendable, Equatable {
    public var id: String
    public var at: Int64
    /// A final status: "completed" | "failed" | "no_answer" | "busy" | "canceled".
    public var status: String
    public var failureCode: String?
    public var sipStatus: Int?
    /// How the call ended (`remote_bye`, `local_bye`, `rejected_486`, `pbx_restart`...), for
    /// the timeline event; not a column.
    public var reason: String?

    public init(id: String, at: Int64, status: String, failureCode: String? = nil, sipStatus: Int? = nil, reason: String? = nil) {
        self.id = id
        self.at = at
        self.status = status
        self.failureCode = failureCode
        self.sipStatus = sipStatus
        self.reason = reason
    }
}

/// What ending a call did.
public struct CallEndOutcome: Sendable, Equatable {
    /// The call as stored after the end.
    public var call: CallRecord
    /// The debit, when the call cost anything (nil when `alreadyEnded`).
    public var ledgerEntry: LedgerEntry?
    /// The debit took the balance below the workspace's threshold (`wallet.low_balance` fired).
    public var lowBalance: Bool
    /// The call had ended before: nothing was changed, nothing billed again.
    public var alreadyEnded: Bool

    public init(call: CallRecord, ledgerEntry: LedgerEntry?, lowBalance: Bool, alreadyEnded: Bool) {
        self.call = call
        self.ledgerEntry = ledgerEntry
        self.lowBalance = lowBalance
        self.alreadyEnded = alreadyEnded
    }
}

extension Store {
    /// Ends and bills a call in ONE transaction (admin-api.md "Billing"): final status,
    /// billed duration, cost at the rate fixed at start, the ledger debit, the balance,
    /// `ledger_entry_id`, the timeline event and the webhooks. Ending an ended call changes
    /// nothing and returns it with `alreadyEnded`.
    @discardableResult
    public func endCall(_ end: CallEnd) throws -> CallEndOutcome {
        guard CallRecord.finalStatuses.contains(end.status) else {
            throw StoreError.invalid(field: "status", message: "must be one of \(CallRecord.finalStatuses.joined(separator: ", "))")
        }
        return try retryingWalletRace {
            try write { db in try endCall(db, end, now: end.at) }
        }
    }

    /// After a crash: ends every call still open as failed/"pbx.restart" at its last sign of
    /// life (`max(last_activity_at, answered_at ?? started_at)`), billed once like any call.
    /// Running it again finds nothing to do.
    @discardableResult
    public func recoverInterruptedCalls(now: Int64) throws -> [CallEndOutcome] {
        let open = try read { db in
            try CallRecord.fetchAll(db, sql: "SELECT * FROM calls WHERE ended_at IS NULL ORDER BY started_at, id")
        }
        var outcomes: [CallEndOutcome] = []
        outcomes.reserveCapacity(open.count)
        for call in open {
            let at = max(call.lastActivityAt, call.answeredAt ?? call.startedAt)
            let end = CallEnd(id: call.id, at: at, status: "failed", failureCode: "pbx.restart", reason: "pbx_restart")
            let outcome = try retryingWalletRace {
                try write { db in try endCall(db, end, now: now) }
            }
            if !outcome.alreadyEnded { outcomes.append(outcome) }
        }
        return outcomes
    }

    /// The shared end path; `now` stamps updated_at (end.at for live ends, the recovery time
    /// for crash recovery).
    private func endCall(_ db: Database, _ end: CallEnd, now: Int64) throws -> CallEndOutcome {
        var call = try Store.call(db, id: end.id)
        if call.endedAt != nil {
            return CallEndOutcome(call: call, ledgerEntry: nil, lowBalance: false, alreadyEnded: true)
        }
        let workspace = try Store.workspace(db, id: call.workspaceID)
        let duration = Tariff.billedSeconds(answeredAtMs: call.answeredAt, endedAtMs: end.at)
        let cost = call.answeredAt == nil ? 0 : workspace.tariff.costMinor(durationSeconds: duration, ratePerMinuteMinor: call.ratePerMinuteMinor)

        call.endedAt = end.at
        call.status = end.status
        call.durationSeconds = duration
        call.costMinor = cost
        call.failureCode = end.failureCode
        call.sipStatus = end.sipStatus
        call.lastActivityAt = max(call.lastActivityAt, end.at)
        call.updatedAt = now
        // Guarded on ended_at so a concurrent end elsewhere (another node) cannot end it twice.
        try db.execute(sql: """
            UPDATE calls SET ended_at = ?, status = ?, duration_seconds = ?, cost_minor = ?, failure_code = ?, sip_status = ?,
                last_activity_at = ?, updated_at = ?
            WHERE id = ? AND ended_at IS NULL
            """, arguments: [call.endedAt, call.status, duration, cost, call.failureCode, call.sipStatus,
                             call.lastActivityAt, call.updatedAt, call.id])
        guard db.changesCount == 1 else {
            return CallEndOutcome(call: try Store.call(db, id: end.id), ledgerEntry: nil, lowBalance: false, alreadyEnded: true)
        }

        var entry: LedgerEntry?
        var lowBalance = false
        if cost > 0 {
            let wallet = try Store.wallet(db, workspaceID: call.workspaceID)
            let rule = Wallet.debitRule(balance: wallet.balanceMinor, threshold: workspace.lowBalanceThresholdMinor, cost: cost)
            let debit = LedgerEntry(id: ids(), workspaceID: call.workspaceID, kind: "call_debit", amountMinor: -cost,
                                    balanceAfterMinor: rule.after, callID: call.id, reference: nil, createdAt: end.at)
            try debit.insert(db)  // UNIQUE(call_id): a second debit of this call fails the whole transaction
            try Store.setBalance(db, wallet: wallet, to: rule.after, at: now)
            try db.execute(sql: "UPDATE calls SET ledger_entry_id = ? WHERE id = ?", arguments: [debit.id, call.id])
            call.ledgerEntryID = debit.id
            entry = debit
            lowBalance = rule.crossedThreshold
        }

        let type = end.status == "completed" ? "call.completed" : "call.failed"
        try CallEventRecord(callID: call.id, type: type, payload: EventJSON.text([
            "status": .string(call.status),
            "duration_seconds": .int(duration),
            "cost_minor": .int(cost),
            "failure_code": .string(call.failureCode),
            "sip_status": .int(call.sipStatus),
            "reason": .string(end.reason),
        ]), at: end.at).insert(db)
        try enqueueEvent(db, workspaceID: call.workspaceID, type: type, data: call.webhookData, at: end.at)
        if lowBalance, let entry {
            try enqueueEvent(db, workspaceID: call.workspaceID, type: "wallet.low_balance", data: EventJSON.text([
                "balance_minor": .int(entry.balanceAfterMinor),
                "threshold_minor": .int(workspace.lowBalanceThresholdMinor),
                "currency": .string(workspace.currency),
                "call_id": .string(call.id),
            ]), at: end.at)
        }
        return CallEndOutcome(call: call, ledgerEntry: entry, lowBalance: lowBalance, alreadyEnded: false)
    }
}
