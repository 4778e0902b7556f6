import Testing
@testable import Billing

@Suite struct CallRecoveryTests {
    @Test func interruptedCallsAreEndedAtLastActivityAndBilledOnce() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let t = temp.clock.now
            let live = try store.placeCall(ws, startedAt: t, answerAfterMs: 2_000)            // answered at t+2s
            let ringing = try store.placeCall(ws, startedAt: t + 10_000, answerAfterMs: nil)
            let done = try store.placeCall(ws, startedAt: t, answerAfterMs: 1_000)
            _ = try store.endCall(CallEnd(id: done, at: t + 31_000, status: "completed"))
            try store.touchLiveCalls(ids: [live, ringing, done], at: t + 2_000 + 95_000)
            try store.touchLiveCalls(ids: [live], at: t + 50_000)                              // older: ignored
            #expect(try store.call(workspaceID: ws.id, idOrSessionID: live).0.lastActivityAt == t + 97_000)
            #expect(try store.call(workspaceID: ws.id, idOrSessionID: done).0.lastActivityAt == t + 31_000)  // ended: untouched

            let now = t + 600_000
            let outcomes = try store.recoverInterruptedCalls(now: now)
            #expect(outcomes.count == 2)
            let byID = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.call.id, $0) })
            let recovered = try #require(byID[live]?.call)
            #expect(recovered.status == "failed" && recovered.failureCode == "pbx.restart")
            #expect(recovered.endedAt == t + 97_000 && recovered.durationSeconds == 95 && recovered.costMinor == 600)
            #expect(recovered.updatedAt == now)
            let unanswered = try #require(byID[ringing]?.call)
            #expect(unanswered.status == "failed" && unanswered.costMinor == 0 && unanswered.endedAt == t + 97_000)
            #expect(try store.wallet(workspaceID: ws.id).balanceMinor == -900)

            #expect(try store.recoverInterruptedCalls(now: now + 1).isEmpty)
            let reopened = try temp.reopen()  // simulated restart
            #expect(try reopened.recoverInterruptedCalls(now: now + 2).isEmpty)
            #expect(try reopened.call(workspaceID: ws.id, idOrSessionID: live).0 == recovered)
            #expect(try reopened.wallet(workspaceID: ws.id).balanceMinor == -900)
            #expect(try reopened.count("SELECT COUNT(*) FROM wallet_ledger") == 2)
            let (_, events) = try reopened.call(workspaceID: ws.id, idOrSessionID: live)
            #expect(events.map(\.type) == ["call.answered", "call.failed"])
            #expect(events.last?.payload.contains("\"failure_code\":\"pbx.restart\"") == true)
        }
    }

    @Test func timelineAndLookupBySessionID() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let other = try store.createWorkspace(name: "B")
            let t = temp.clock.now
            let id = try store.placeCall(ws, session: "sess-1", startedAt: t, answerAfterMs: nil)
            #expect(try store.appendCallEvent(callID: id, type: "call.ringing", at: t))
            #expect(try store.appendCallEvent(callID: id, type: "dtmf.received", payload: "{\"digit\":\"5\"}", at: t + 3_000))
            #expect(try store.appendCallEvent(callID: id, type: "verb.started", payload: "{}", at: t + 2_000))
            #expect(try !store.appendCallEvent(callID: "missing", type: "call.ringing", at: t))
            #expect(throws: StoreError.self) { try store.appendCallEvent(callID: id, type: "x", payload: "{not json", at: t) }
            try store.answerCall(id: id, at: t + 1_000)
            let (call, events) = try store.call(workspaceID: ws.id, idOrSessionID: "sess-1")
            #expect(call.id == id && call.status == "in_progress" && call.answeredAt == t + 1_000)
            #expect(events.map(\.type) == ["call.ringing", "call.answered", "verb.started", "dtmf.received"])
            #expect(events[3].payload == "{\"digit\":\"5\"}")
            #expect(throws: StoreError.notFound("calls.not_found")) { try store.call(workspaceID: other.id, idOrSessionID: id) }
            #expect(throws: StoreError.notFound("calls.not_found")) { try store.answerCall(id: "missing", at: t) }
            #expect(throws: StoreError.self) { try store.placeCall(ws, id: id, startedAt: t) }  // duplicate id
            #expect(throws: StoreError.self) {
                try store.startCall(CallStart(id: "x", workspaceID: ws.id, sessionID: "s", direction: "sideways",
                                              localE164: "+1", remoteE164: "+2", ratePerMinuteMinor: 0, at: t))
            }
            // More than one UPDATE chunk of ids.
            let many = (0..<1_203).map { "id-\($0)" } + [id]
            try store.touchLiveCalls(ids: many, at: t + 9_000)
            #expect(try store.call(workspaceID: ws.id, idOrSessionID: id).0.lastActivityAt == t + 9_000)
        }
    }
}
