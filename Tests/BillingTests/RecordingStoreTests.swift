import Testing
@testable import Billing

@Suite struct RecordingStoreTests {
    @Test func captureReadyExpiry() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A", recordingRetentionDays: 7)
            let other = try store.createWorkspace(name: "B")
            let hook = try store.createWebhook(workspaceID: ws.id, url: "https://a.example/h", events: ["call.recording.ready"])
            let t = temp.clock.now
            let call = try store.placeCall(ws, startedAt: t)
            #expect(try store.latestRecording(workspaceID: ws.id, callID: call) == nil)
            #expect(throws: StoreError.notFound("calls.not_found")) { try store.startRecording(callID: call, workspaceID: other.id, at: t) }
            let rec = try store.startRecording(callID: call, workspaceID: ws.id, at: t + 2_000)
            #expect(rec.status == "capturing" && rec.path == nil)
            #expect(try store.latestRecording(workspaceID: ws.id, callID: call) == rec)

            try store.finishRecording(id: rec.id, path: "/var/lib/sautipbx/rec/\(rec.id).wav", durationSeconds: 30, bytes: 480_044, at: t + 33_000)
            let ready = try #require(try store.latestRecording(workspaceID: ws.id, callID: call))
            #expect(ready.status == "ready" && ready.readyAt == t + 33_000 && ready.expiresAt == t + 33_000 + 7 * 86_400_000)
            #expect(ready.bytes == 480_044 && ready.durationSeconds == 30)
            #expect(!ready.isExpired(now: t + 33_000 + 7 * 86_400_000 - 1) && ready.isExpired(now: t + 33_000 + 7 * 86_400_000))
            #expect(try store.latestRecording(workspaceID: other.id, callID: call) == nil)
            // Finishing twice changes nothing and fires nothing again.
            try store.finishRecording(id: rec.id, path: "/elsewhere", durationSeconds: 1, bytes: 1, at: t + 99_000)
            #expect(try store.latestRecording(workspaceID: ws.id, callID: call) == ready)
            let (_, events) = try store.call(workspaceID: ws.id, idOrSessionID: call)
            #expect(events.map(\.type) == ["call.answered", "recording.ready"])
            let due = try store.dueDeliveries(now: t + 33_000, limit: 10)
            #expect(due.count == 1 && due.first?.delivery.webhookID == hook.id)
            #expect(due.first?.event.data.contains("\"expires_at\":\"2023-11-21T22:13:53.000Z\"") == true)
            #expect(throws: StoreError.notFound("calls.recording_not_found")) {
                try store.finishRecording(id: "nope", path: "/x", durationSeconds: 1, bytes: 1, at: t)
            }

            temp.clock.advance(1)
            let second = try store.startRecording(callID: call, workspaceID: ws.id, at: t + 40_000)
            try store.failRecording(id: second.id)
            #expect(try store.latestRecording(workspaceID: ws.id, callID: call)?.status == "failed")
        }
    }

    @Test func retentionPrunesOnlyExpiredReadyRecordingsOnce() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A", recordingRetentionDays: 1)
            let t = temp.clock.now
            let call = try store.placeCall(ws, startedAt: t)
            let old = try store.startRecording(id: "rec-old", callID: call, workspaceID: ws.id, at: t)
            try store.finishRecording(id: old.id, path: "/rec/old.wav", durationSeconds: 3, bytes: 48_044, at: t + 5_000)
            let fresh = try store.startRecording(id: "rec-new", callID: call, workspaceID: ws.id, at: t + 3_600_000)
            try store.finishRecording(id: fresh.id, path: "/rec/new.wav", durationSeconds: 3, bytes: 48_044, at: t + 3_605_000)
            _ = try store.startRecording(id: "rec-live", callID: call, workspaceID: ws.id, at: t + 3_610_000)
            #expect(old.id == "rec-old")  // the caller's id is kept (the file is named after it)

            let day = Int64(86_400_000)
            #expect(try store.pruneExpiredRecordings(now: t + 5_000 + day - 1).isEmpty)
            #expect(try store.pruneExpiredRecordings(now: t + 5_000 + day) == ["/rec/old.wav"])
            #expect(try store.pruneExpiredRecordings(now: t + 5_000 + day).isEmpty)  // once
            let pruned = try #require(try store.recording(id: "rec-old"))
            #expect(pruned.status == "expired" && pruned.path == nil && pruned.isExpired(now: t + 5_000 + day))
            #expect(try store.recording(id: "rec-new")?.status == "ready")
            #expect(try store.recording(id: "rec-live")?.status == "capturing")
        }
    }
}
