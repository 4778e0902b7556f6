import Foundation
import PBXTestSupport
import Testing
@testable import Billing

/// admin-api.md "Billing" through the store: one transaction per hangup, at most one debit per call.
@Suite struct CallBillingTests {
    @Test(arguments: [(0, 0), (1, 300), (59, 300), (60, 300), (61, 600), (90, 600), (3600, 18000)] as [(Int64, Int64)])
    func outboundCallsCostPerStartedMinute(seconds: Int64, cost: Int64) throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let t = temp.clock.now
            let id = try store.placeCall(ws, startedAt: t, answerAfterMs: 2_000)
            let outcome = try store.endCall(CallEnd(id: id, at: t + 2_000 + seconds * 1_000, status: "completed", sipStatus: 200))
            #expect(!outcome.alreadyEnded && outcome.call.status == "completed")
            #expect(outcome.call.durationSeconds == seconds && outcome.call.costMinor == cost && outcome.call.costCurrency == "KES")
            #expect(outcome.ledgerEntry?.amountMinor == (cost > 0 ? -cost : nil))
            #expect(outcome.call.ledgerEntryID == outcome.ledgerEntry?.id)
            #expect(try store.wallet(workspaceID: ws.id).balanceMinor == -cost)
            #expect(try store.ledger(workspaceID: ws.id).items.count == (cost > 0 ? 1 : 0))
            let (stored, events) = try store.call(workspaceID: ws.id, idOrSessionID: id)
            #expect(stored == outcome.call)
            #expect(events.map(\.type) == ["call.answered", "call.completed"])
            #expect(events.last?.payload == "{\"cost_minor\":\(cost),\"duration_seconds\":\(seconds),\"failure_code\":null,\"reason\":null,\"sip_status\":200,\"status\":\"completed\"}")
            #expect(try store.eventTypes(workspaceID: ws.id) == ["call.started", "call.answered", "call.completed"])
        }
    }

    @Test func unansweredCallsCostNothingAndWriteNoLedger() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let id = try store.placeCall(ws, startedAt: temp.clock.now, answerAfterMs: nil)
            let outcome = try store.endCall(CallEnd(id: id, at: temp.clock.now + 30_000, status: "no_answer", failureCode: "callee.no_answer", sipStatus: 480))
            #expect(outcome.call.costMinor == 0 && outcome.call.durationSeconds == 0 && outcome.ledgerEntry == nil)
            #expect(outcome.call.ledgerEntryID == nil && outcome.call.failureCode == "callee.no_answer" && outcome.call.sipStatus == 480)
            #expect(try store.count("SELECT COUNT(*) FROM wallet_ledger") == 0)
            #expect(try store.eventTypes(workspaceID: ws.id) == ["call.started", "call.failed"])
            #expect(throws: StoreError.self) { try store.endCall(CallEnd(id: id, at: 1, status: "ringing")) }
            #expect(throws: StoreError.notFound("calls.not_found")) { try store.endCall(CallEnd(id: "nope", at: 1, status: "completed")) }
        }
    }

    @Test func ratesArePerWorkspaceAndFixedAtCallStart() throws {
        try withStore { store, temp in
            let a = try store.createWorkspace(name: "A", inboundRateMinor: 50, outboundRateMinor: 450)
            let b = try store.createWorkspace(name: "B", outboundRateMinor: 300, billingIncrementSeconds: 1)
            let t = temp.clock.now
            let inA = try store.placeCall(a, direction: "inbound", startedAt: t)
            let outA = try store.placeCall(a, startedAt: t)
            let inB = try store.placeCall(b, direction: "inbound", startedAt: t)
            let outB = try store.placeCall(b, startedAt: t)
            let end = t + 1_000 + 61_000
            #expect(try store.endCall(CallEnd(id: inA, at: end, status: "completed")).call.costMinor == 100)
            #expect(try store.endCall(CallEnd(id: outA, at: end, status: "completed")).call.costMinor == 900)
            #expect(try store.endCall(CallEnd(id: inB, at: end, status: "completed")).call.costMinor == 0)
            #expect(try store.endCall(CallEnd(id: outB, at: end, status: "completed")).call.costMinor == 305)  // per second
            #expect(try store.wallet(workspaceID: a.id).balanceMinor == -1_000)
            #expect(try store.wallet(workspaceID: b.id).balanceMinor == -305)
            // The rate on the call record is what is charged, whatever the workspace says now.
            let custom = UUID().uuidString
            try store.startCall(CallStart(id: custom, workspaceID: a.id, sessionID: "s-custom", direction: "outbound",
                                          localE164: "+254700000001", remoteE164: "+254711", ratePerMinuteMinor: 1_000, at: t))
            try store.answerCall(id: custom, at: t)
            #expect(try store.endCall(CallEnd(id: custom, at: t + 10_000, status: "completed")).call.costMinor == 1_000)
        }
    }

    @Test func endingTwiceBillsOnceAndAnswerIsIdempotent() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let t = temp.clock.now
            let id = try store.placeCall(ws, startedAt: t)
            try store.answerCall(id: id, at: t + 5_000)  // already answered: no-op
            let first = try store.endCall(CallEnd(id: id, at: t + 91_000, status: "completed"))
            #expect(first.call.answeredAt == t + 1_000 && first.call.costMinor == 600)
            let second = try store.endCall(CallEnd(id: id, at: t + 500_000, status: "failed", failureCode: "late"))
            #expect(second.alreadyEnded && second.ledgerEntry == nil && second.call == first.call)
            try store.answerCall(id: id, at: t + 600_000)  // ended: no-op
            #expect(try store.call(workspaceID: ws.id, idOrSessionID: id).0 == first.call)
            #expect(try store.count("SELECT COUNT(*) FROM wallet_ledger") == 1)
            #expect(try store.count("SELECT COUNT(*) FROM call_events WHERE type = 'call.answered'") == 1)
            #expect(try store.wallet(workspaceID: ws.id).balanceMinor == -600)
            // Even a code path that bypasses endCall cannot debit the call twice: UNIQUE(call_id).
            #expect(throws: (any Error).self) {
                try store.write { db in
                    try LedgerEntry(id: "x", workspaceID: ws.id, kind: "call_debit", amountMinor: -1, balanceAfterMinor: 0,
                                    callID: id, reference: nil, createdAt: t).insert(db)
                }
            }
        }
    }

    @Test func shortFundsGoNegativeOnceThenRefuseAndLowBalanceFiresOnCrossing() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")  // threshold 10_000
            let top = try store.topUp(workspaceID: ws.id, amountMinor: 10_500, reference: "mpesa-1")
            #expect(top.kind == "top_up" && top.balanceAfterMinor == 10_500 && top.reference == "mpesa-1" && top.callID == nil)
            var lows: [Bool] = []
            var t = temp.clock.now
            for _ in 0..<3 {  // 10_500 → 10_200 → 9_900 (crossed) → 9_600
                let id = try store.placeCall(ws, startedAt: t)
                lows.append(try store.endCall(CallEnd(id: id, at: t + 31_000, status: "completed")).lowBalance)
                t += 100_000
            }
            #expect(lows == [false, true, false])
            #expect(try store.eventTypes(workspaceID: ws.id).filter { $0 == "wallet.low_balance" }.count == 1)
            #expect(try store.workspaceAcceptsBillableCalls(workspaceID: ws.id))

            // A one-hour call with 96.00 left completes and is billed in full.
            let long = try store.placeCall(ws, startedAt: t)
            let outcome = try store.endCall(CallEnd(id: long, at: t + 1_000 + 3_600_000, status: "completed"))
            #expect(outcome.call.costMinor == 18_000 && outcome.ledgerEntry?.balanceAfterMinor == -8_400 && !outcome.lowBalance)
            #expect(try !store.workspaceAcceptsBillableCalls(workspaceID: ws.id))
            #expect(try store.routeTable().isEmpty)  // (no numbers) — blocked state is checked in NumberStoreTests

            _ = try store.topUp(workspaceID: ws.id, amountMinor: 8_400)
            #expect(try store.workspaceAcceptsBillableCalls(workspaceID: ws.id))
            #expect(throws: StoreError.invalidAmount) { try store.topUp(workspaceID: ws.id, amountMinor: 0) }
            #expect(throws: StoreError.invalidAmount) { try store.topUp(workspaceID: ws.id, amountMinor: 1_000_000_000_000) }
            #expect(throws: StoreError.notFound("workspaces.not_found")) { try store.topUp(workspaceID: "nope", amountMinor: 1) }
            let ledger = try store.ledger(workspaceID: ws.id, limit: 100).items
            #expect(ledger.map(\.amountMinor).reduce(0, +) == 0)
            #expect(try store.eventTypes(workspaceID: ws.id).filter { $0 == "wallet.top_up" }.count == 2)
        }
    }

    @Test func thousandCallsEndingConcurrentlyOnOneWallet() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            var rng = SplitMix64(seed: 2024)
            let t = temp.clock.now
            var expected: [String: Int64] = [:]
            var ends: [CallEnd] = []
            for i in 0..<1_000 {
                let seconds = Int64(1 + rng.below(3_600))
                let id = try store.placeCall(ws, id: "call-\(i)", startedAt: t + Int64(i))
                expected[id] = ws.tariff.costMinor(durationSeconds: seconds, ratePerMinuteMinor: 300)
                ends.append(CallEnd(id: id, at: t + Int64(i) + 1_000 + seconds * 1_000, status: "completed"))
            }
            let allEnds = ends
            let lock = NSLock()
            nonisolated(unsafe) var failures: [String] = []
            nonisolated(unsafe) var alreadyEnded = 0
            // Every hangup is reported twice, from different threads.
            DispatchQueue.concurrentPerform(iterations: 2_000) { i in
                do {
                    let outcome = try store.endCall(allEnds[i % 1_000])
                    if outcome.alreadyEnded { lock.withLock { alreadyEnded += 1 } }
                } catch {
                    lock.withLock { failures.append("\(error)") }
                }
            }
            #expect(failures.count == 0, "first failure: \(failures.first ?? "")")
            #expect(alreadyEnded == 1_000)
            let balance = try store.wallet(workspaceID: ws.id).balanceMinor
            let ledgerSum = try store.scalar("SELECT SUM(amount_minor) FROM wallet_ledger WHERE workspace_id = ?", [ws.id])
            let costSum = try store.scalar("SELECT SUM(cost_minor) FROM calls WHERE workspace_id = ?", [ws.id])
            #expect(try store.count("SELECT COUNT(*) FROM wallet_ledger") == 1_000)
            #expect(try store.count("SELECT COUNT(DISTINCT call_id) FROM wallet_ledger") == 1_000)
            #expect(balance == ledgerSum)
            #expect(costSum == -balance)
            #expect(costSum == expected.values.reduce(0, +))
            #expect(try store.count("SELECT COUNT(*) FROM calls WHERE ledger_entry_id IS NULL") == 0)
            // Debits were applied one after another: every balance_after is distinct, the
            // first starts from 0 and the lowest is the final balance.
            #expect(try store.count("SELECT COUNT(DISTINCT balance_after_minor) FROM wallet_ledger") == 1_000)
            #expect(try store.scalar("SELECT MAX(balance_after_minor - amount_minor) FROM wallet_ledger") == 0)
            #expect(try store.scalar("SELECT MIN(balance_after_minor) FROM wallet_ledger") == balance)
        }
    }
}
