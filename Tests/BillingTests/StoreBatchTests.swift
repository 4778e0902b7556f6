@testable import Billing
import Testing

/// `Store.batch`: many writes, one transaction; a failing write rolls back alone.
@Suite struct StoreBatchTests {
    @Test func writesCommitTogetherAndAFailureRollsBackAlone() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A", outboundRateMinor: 300)
            try store.topUp(workspaceID: ws.id, amountMinor: 10_000, reference: "seed")
            let t = TempStore.t0
            var failures = 0
            try store.batch {
                for i in 0..<50 {
                    try store.startCall(CallStart(id: "c\(i)", workspaceID: ws.id, sessionID: "s\(i)", direction: "outbound",
                                                  localE164: "+254700000001", remoteE164: "+254711000000", ratePerMinuteMinor: 300, at: t))
                    try store.answerCall(id: "c\(i)", at: t + 1_000)
                    try store.endCall(CallEnd(id: "c\(i)", at: t + 62_000, status: "completed", reason: "remote_bye"))
                    // Invalid JSON payload: this one write fails, the batch goes on.
                    do { try store.appendCallEvent(callID: "c\(i)", type: "x", payload: "{not json", at: t) } catch { failures += 1 }
                    // The same id again violates the primary key inside its savepoint only.
                    do {
                        try store.startCall(CallStart(id: "c\(i)", workspaceID: ws.id, sessionID: "dup", direction: "outbound",
                                                      localE164: "+254700000001", remoteE164: "+1", ratePerMinuteMinor: 300, at: t))
                    } catch { failures += 1 }
                }
            }
            #expect(failures == 100)
            let reopened = try temp.reopen()
            #expect(try reopened.scalar("SELECT COUNT(*) FROM calls") == 50)
            #expect(try reopened.scalar("SELECT COUNT(*) FROM wallet_ledger WHERE kind = 'call_debit'") == 50)
            #expect(try reopened.wallet(workspaceID: ws.id).balanceMinor == 10_000 - 50 * 600)
            // The end event says how the call ended.
            let payload = try reopened.strings("SELECT payload FROM call_events WHERE call_id = 'c7' AND type = 'call.completed'")
            #expect(payload.count == 1 && payload[0].contains("\"reason\":\"remote_bye\""))
        }
    }

    @Test func aBatchThatThrowsCommitsNothing() throws {
        try withStore { store, _ in
            let ws = try store.createWorkspace(name: "A")
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try store.batch {
                    try store.startCall(CallStart(id: "gone", workspaceID: ws.id, sessionID: "s", direction: "inbound",
                                                  localE164: "+254700000001", remoteE164: "+1", ratePerMinuteMinor: 0, at: TempStore.t0))
                    throw Stop()
                }
            }
            #expect(try store.scalar("SELECT COUNT(*) FROM calls") == 0)
        }
    }
}
