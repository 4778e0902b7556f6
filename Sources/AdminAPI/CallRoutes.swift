import Billing
import Foundation

/// Call records, live hangup, stats and recordings (admin-api.md "Resources").
extension AdminAPI {
    static let callStatuses: Set<String> = ["ringing", "in_progress", "completed", "failed", "no_answer", "busy", "canceled"]

    static let callRoutes: [Route] = [
        Route("GET", "/v1/calls", scope: "calls.read") { api, ctx in
            let q = ctx.request.query
            var f = CallFilter()
            if let s = q["status"], !s.isEmpty {
                f.statuses = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                for st in f.statuses where !callStatuses.contains(st) {
                    throw APIError.badRequest("status: unknown status \"\(st)\"; use \(callStatuses.sorted().joined(separator: ", "))")
                }
            }
            if let d = q["direction"], !d.isEmpty {
                try check(d == "inbound" || d == "outbound", "direction: inbound or outbound")
                f.direction = d
            }
            if let s = q["q"], !s.isEmpty { try check(s.count <= 100, "q: at most 100 characters"); f.q = s }
            if let s = q["session_id"], !s.isEmpty { f.sessionID = s }
            for (name, apply) in [("from", { (v: Int64) in f.from = v }), ("to", { (v: Int64) in f.to = v })] as [(String, (Int64) -> Void)] {
                guard let text = q[name], !text.isEmpty else { continue }
                guard let ms = Timestamp.parseQuery(text) else { throw APIError.badRequest("\(name): an RFC 3339 time or unix seconds") }
                apply(ms)
            }
            let p = try api.paging(ctx, list: "calls")
            return api.list(try api.store.calls(workspaceID: ctx.workspaceID, filter: f, after: p.after, limit: p.limit),
                            scope: p.scope) { Render.call($0) }
        },
        Route("GET", "/v1/calls/stats", scope: "calls.read") { api, ctx in
            let q = ctx.request.query
            let since: Int64
            switch q["since"] ?? "today" {
            case "today": since = RFC3339.startOfDay(ms: api.now)
            case "7d": since = api.now - 7 * 86_400_000
            case "month": since = RFC3339.startOfMonth(ms: api.now)
            default: throw APIError.badRequest("since: today, 7d or month")
            }
            var bucket: Int64?
            switch q["bucket"] {
            case nil, "": bucket = nil
            case "hour": bucket = 3600
            case "day": bucket = 86_400
            default: throw APIError.badRequest("bucket: hour or day")
            }
            let s = try api.store.callStats(workspaceID: ctx.workspaceID, since: since, bucketSeconds: bucket)
            var fields: [(String, JSONValue)] = [
                ("since", Timestamp.format(since)), ("total", .int(Int64(s.total))), ("failed", .int(Int64(s.failed))),
                ("minutes_total", .int(s.minutesTotal)), ("spend_minor", .int(s.spendMinor)), ("currency", .string(s.currency)),
            ]
            if let series = s.series {
                fields.append(("series", .array(series.map { b in
                    .object([("start", Timestamp.format(b.start)), ("total", .int(Int64(b.total))), ("failed", .int(Int64(b.failed))),
                             ("minutes", .int(b.minutes)), ("spend_minor", .int(b.spendMinor))])
                })))
            }
            return api.ok(200, fields)
        },
        Route("GET", "/v1/calls/:id", scope: "calls.read") { api, ctx in
            let (call, events) = try api.store.call(workspaceID: ctx.workspaceID, idOrSessionID: ctx.param("id"))
            return api.ok(200, [("call", Render.call(call, events: events))])
        },
        Route("POST", "/v1/calls/:id/hangup", scope: "calls.write") { api, ctx in
            // Idempotent: a call already over answers the same way.
            let (call, _) = try api.store.call(workspaceID: ctx.workspaceID, idOrSessionID: ctx.param("id"))
            if call.endedAt == nil { _ = await api.runtime.hangup(callID: call.id) }
            return api.ok(200, [("call_id", .string(call.id)), ("status", .string("hung_up"))])
        },
        Route("GET", "/v1/calls/:id/recording", scope: "calls.read") { api, ctx in
            let (call, _) = try api.store.call(workspaceID: ctx.workspaceID, idOrSessionID: ctx.param("id"))
            guard let rec = try api.store.latestRecording(workspaceID: ctx.workspaceID, callID: call.id) else {
                throw APIError(404, "calls.recording_not_found", "this call has no recording")
            }
            switch rec.status {
            case "capturing":
                return APIResponse(status: 202, headers: [("Content-Type", "application/json"), ("Retry-After", "5")],
                                   body: JSONWriter.object([("status", .string("pending")), ("retry_after_seconds", .int(5))]))
            case "ready":
                if let exp = rec.expiresAt, exp <= api.now {
                    throw APIError(410, "calls.recording_expired", "this recording is past the workspace's retention and was deleted")
                }
                let url = api.signedRecordingURL(rec.id, expires: api.now / 1000 + 900)
                return APIResponse(status: 302, headers: [("Location", url), ("Content-Type", "application/json")],
                                   body: JSONWriter.object([("url", .string(url)), ("expires_in_seconds", .int(900))]))
            default:
                throw APIError(404, "calls.recording_not_found", "the recording of this call failed")
            }
        },
        // The recording bytes, from a URL the API signed (valid 15 minutes). Public: the
        // signature is the credential, so it can be handed to a browser or a media player.
        Route("GET", "/recordings/:id", scope: nil) { api, ctx in
            let id = ctx.param("id")
            guard let exp = ctx.request.query["expires"].flatMap(Int64.init), let sig = ctx.request.query["sig"],
                  CursorCodec.constantTimeEqual(Array(sig.utf8), Array(api.recordingSignature(id, expires: exp).utf8)) else {
                throw APIError(403, "recordings.bad_signature", "this recording link is not valid; ask the API for a new one")
            }
            guard exp >= api.now / 1000 else { throw APIError(403, "recordings.link_expired", "this recording link expired; ask the API for a new one") }
            guard let rec = try api.store.recording(id: id), rec.status == "ready", let path = rec.path,
                  let data = FileManager.default.contents(atPath: path) else {
                throw APIError(404, "calls.recording_not_found", "this recording is no longer stored")
            }
            if let e = rec.expiresAt, e <= api.now { throw APIError(410, "calls.recording_expired", "this recording is past retention") }
            return APIResponse(status: 200, headers: [("Content-Type", "audio/wav")], body: Array(data))
        },
    ]

    func recordingSignature(_ id: String, expires: Int64) -> String {
        CursorCodec.base64url(Array(cursors.mac(Array("\(id)|\(expires)".utf8), scope: "recording")))
    }

    /// The link a voice app gets as `RecordingUrl`: signed, valid for `seconds`, fetchable
    /// without an API key (like the 302 target of `GET /v1/calls/{id}/recording`).
    public func recordingLink(_ id: String, validSeconds: Int64 = 86_400) -> String {
        signedRecordingURL(id, expires: now / 1000 + validSeconds)
    }

    func signedRecordingURL(_ id: String, expires: Int64) -> String {
        "\(options.publicBaseURL)/recordings/\(id)?expires=\(expires)&sig=\(recordingSignature(id, expires: expires))"
    }
}
