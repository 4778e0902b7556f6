import AdminAPI
import Billing
import Foundation
import Testing

/// Call records, hangup, stats, recordings and webhook subscriptions through the API.
@Suite(.serialized) struct CallAndWebhookTests {
    /// A call in the harness workspace: answered after 1 s, `seconds` long, ended `status`.
    func makeCall(_ h: APIHarness, _ id: String, remote: String, seconds: Int64?, status: String = "completed",
                  direction: String = "inbound", rate: Int64 = 300) throws {
        let t0 = h.clock.now
        try h.store.startCall(CallStart(id: id, workspaceID: h.workspace.id, sessionID: "sess-\(id)", direction: direction,
                                        localE164: "+254711000001", remoteE164: remote, numberID: nil, ratePerMinuteMinor: rate,
                                        clientRequestID: nil, at: t0))
        guard let seconds else { return }
        try h.store.answerCall(id: id, at: t0 + 1000)
        try h.store.endCall(CallEnd(id: id, at: t0 + 1000 + seconds * 1000, status: status, failureCode: status == "failed" ? "media.timeout" : nil, sipStatus: nil))
        h.clock.advance(ms: 1000 + seconds * 1000 + 10)
    }

    @Test func listFilterDetailAndHangup() async throws {
        let h = try await APIHarness()
        try makeCall(h, "c1", remote: "+254722000001", seconds: 61)
        try makeCall(h, "c2", remote: "+254733000002", seconds: 5, status: "failed")
        try makeCall(h, "c3", remote: "+254722999003", seconds: nil)  // still ringing
        h.runtime.live = ["c3"]

        let all = try await h.send(.GET, "/v1/calls")
        #expect((all["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["c3", "c2", "c1"])
        let failed = try await h.send(.GET, "/v1/calls?status=failed,completed")
        #expect((failed["data"] as? [[String: Any]])?.count == 2)
        #expect((try await h.send(.GET, "/v1/calls?q=2547229")["data"] as? [[String: Any]])?.count == 1)
        #expect((try await h.send(.GET, "/v1/calls?session_id=sess-c2")["data"] as? [[String: Any]])?.first?["id"] as? String == "c2")
        #expect(try await h.send(.GET, "/v1/calls?status=lost").errorCode == "validation.bad_request")
        #expect(try await h.send(.GET, "/v1/calls?direction=sideways").errorCode == "validation.bad_request")
        #expect(try await h.send(.GET, "/v1/calls?from=yesterday").errorCode == "validation.bad_request")
        let window = try await h.send(.GET, "/v1/calls?from=\(1_800_000_000)&to=\(1_800_000_000 + 30)")
        #expect((window["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["c1"])

        let detail = try await h.send(.GET, "/v1/calls/c1")
        #expect(detail["call.duration_seconds"] as? Int == 61 && detail["call.cost_minor"] as? Int == 600)
        #expect(detail["call.ledger_entry_id"] is String && detail["call.status"] as? String == "completed")
        let events = (detail["call.events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } ?? []
        #expect(events.first == "call.answered" && events.last == "call.completed")
        #expect(try await h.send(.GET, "/v1/calls/sess-c2")["call.id"] as? String == "c2")
        #expect(try await h.send(.GET, "/v1/calls/none").errorCode == "calls.not_found")

        let hang = try await h.send(.POST, "/v1/calls/c3/hangup")
        #expect(hang.status == 200 && hang["status"] as? String == "hung_up" && h.runtime.hangups == ["c3"])
        // Idempotent: an ended call answers the same and does not reach the PBX.
        #expect(try await h.send(.POST, "/v1/calls/c1/hangup")["status"] as? String == "hung_up")
        #expect(h.runtime.hangups == ["c3"])
        #expect(try await h.send(.POST, "/v1/calls/none/hangup").errorCode == "calls.not_found")

        let stats = try await h.send(.GET, "/v1/calls/stats?since=7d&bucket=day")
        #expect(stats["total"] as? Int == 3 && stats["failed"] as? Int == 1 && stats["spend_minor"] as? Int == 900)
        #expect(stats["minutes_total"] as? Int == 3 && stats["currency"] as? String == "KES" && stats["series"] is [Any])
        #expect(try await h.send(.GET, "/v1/calls/stats?since=forever").errorCode == "validation.bad_request")
        await h.close()
    }

    @Test func recordingLinksFollowTheSpec() async throws {
        let h = try await APIHarness()
        try makeCall(h, "r1", remote: "+254722000001", seconds: 10)
        #expect(try await h.send(.GET, "/v1/calls/r1/recording").errorCode == "calls.recording_not_found")
        let rec = try h.store.startRecording(callID: "r1", workspaceID: h.workspace.id, at: h.clock.now)
        let pending = try await h.send(.GET, "/v1/calls/r1/recording")
        #expect(pending.status == 202 && pending["status"] as? String == "pending" && pending["retry_after_seconds"] as? Int == 5)
        let path = h.dir + "/r1.wav"
        let bytes: [UInt8] = Array("RIFF....WAVEfmt test bytes".utf8)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        try h.store.finishRecording(id: rec.id, path: path, durationSeconds: 9, bytes: Int64(bytes.count), at: h.clock.now)
        let ready = try await h.send(.GET, "/v1/calls/r1/recording")
        #expect(ready.status == 302)
        let location = try #require(ready.headers.first(name: "Location"))
        let local = String(location.dropFirst("http://127.0.0.1".count))
        let file = try await h.send(.GET, local, key: "")
        #expect(file.status == 200 && file.bytes == bytes && file.headers.first(name: "Content-Type") == "audio/wav")
        let forged = try await h.send(.GET, local.replacingOccurrences(of: "sig=", with: "sig=x"), key: "")
        #expect(forged.status == 403)
        h.clock.advance(ms: 16 * 60 * 1000)  // links live 15 minutes
        #expect(try await h.send(.GET, local, key: "").status == 403)
        h.clock.advance(ms: 91 * 86_400_000)  // past the 90-day retention
        let expired = try await h.send(.GET, "/v1/calls/r1/recording")
        #expect(expired.status == 410 && expired.errorCode == "calls.recording_expired")
        await h.close()
    }

    @Test func webhookSubscriptionsRotationAndDeliveries() async throws {
        let h = try await APIHarness()
        let bad = try await h.send(.POST, "/v1/webhooks", json: #"{"url":"http://127.0.0.1:9/h","events":["call.exploded"]}"#)
        #expect(bad.status == 400 && bad.errorCode == "webhooks.event_unsupported")
        #expect(try await h.send(.POST, "/v1/webhooks", json: #"{"url":"nope","events":["call.started"]}"#).errorCode == "validation.bad_request")
        let w = try await h.send(.POST, "/v1/webhooks", json: #"{"url":"http://127.0.0.1:9/h","events":["wallet.top_up","call.completed"]}"#)
        #expect(w.status == 201)
        let id = try #require(w["webhook.id"] as? String)
        let secret = try #require(w["webhook.secret"] as? String)
        let listed = try await h.send(.GET, "/v1/webhooks")
        #expect((listed["data"] as? [[String: Any]])?.first?["secret"] == nil)

        // A top-up puts one delivery in the outbox for this subscription.
        _ = try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":100}"#)
        let deliveries = try await h.send(.GET, "/v1/webhooks/\(id)/deliveries")
        let d = try #require((deliveries["data"] as? [[String: Any]])?.first)
        #expect(d["status"] as? String == "pending" && d["attempts"] as? Int == 0)
        let retried = try await h.send(.POST, "/v1/webhook-deliveries/\(try #require(d["id"] as? String))/retry")
        #expect(retried.status == 200 && retried["delivery.status"] as? String == "pending")
        #expect(try await h.send(.POST, "/v1/webhook-deliveries/none/retry").status == 404)

        let rotated = try await h.send(.POST, "/v1/webhooks/\(id)/rotate-secret")
        #expect(rotated.status == 200 && rotated["webhook.secret"] as? String != secret && rotated["webhook.previous_secret_expires_at"] is String)
        #expect(try await h.send(.DELETE, "/v1/webhooks/\(id)").status == 200)
        #expect(try await h.send(.GET, "/v1/webhooks/\(id)").errorCode == "webhooks.not_found")
        await h.close()
    }
}
