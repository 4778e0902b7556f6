import Billing

/// Claiming, routing and releasing numbers (admin-api.md "Resources"). Every change reloads
/// the PBX's routing table, so the next INVITE already sees it.
extension AdminAPI {
    struct ClaimNumber: Decodable {
        var e164: String
        var voiceCallbackURL: String
        var fallbackURL: String?
        var eventsURL: String?
        enum CodingKeys: String, CodingKey {
            case e164, voiceCallbackURL = "voice_callback_url", fallbackURL = "fallback_url", eventsURL = "events_url"
        }
    }

    struct UpdateNumber: Decodable {
        var voiceCallbackURL: Patch<String>
        var fallbackURL: Patch<String>
        var eventsURL: Patch<String>
        enum CodingKeys: String, CodingKey {
            case voiceCallbackURL = "voice_callback_url", fallbackURL = "fallback_url", eventsURL = "events_url"
        }
    }

    static let numberRoutes: [Route] = [
        Route("POST", "/v1/numbers", scope: "numbers.write", idempotent: true) { api, ctx in
            let b = try BodyDecoding.decode(ClaimNumber.self, from: ctx.request.body)
            // People write "+254 711 082 000"; the store checks E.164 and the URLs.
            let e164 = b.e164.filter { $0 != " " }
            let n = try api.store.claimNumber(workspaceID: ctx.workspaceID, e164: e164, route: "callback",
                                              voiceCallbackURL: b.voiceCallbackURL, fallbackURL: b.fallbackURL, eventsURL: b.eventsURL)
            api.options.routingChanged()
            api.options.webhooksEnqueued()
            return api.ok(201, [("number", Render.number(n))])
        },
        Route("GET", "/v1/numbers", scope: "numbers.read") { api, ctx in
            let p = try api.paging(ctx, list: "numbers")
            return api.list(try api.store.numbers(workspaceID: ctx.workspaceID, after: p.after, limit: p.limit), scope: p.scope, Render.number)
        },
        Route("GET", "/v1/numbers/:id", scope: "numbers.read") { api, ctx in
            api.ok(200, [("number", Render.number(try api.store.number(workspaceID: ctx.workspaceID, id: ctx.param("id"))))])
        },
        Route("PATCH", "/v1/numbers/:id", scope: "numbers.write") { api, ctx in
            let b = try BodyDecoding.decode(UpdateNumber.self, from: ctx.request.body)
            if case .null = b.voiceCallbackURL { throw APIError.badRequest("voice_callback_url: cannot be cleared; release the number instead") }
            let n = try api.store.updateNumber(workspaceID: ctx.workspaceID, id: ctx.param("id"), voiceCallbackURL: b.voiceCallbackURL.update,
                                               fallbackURL: b.fallbackURL.update, eventsURL: b.eventsURL.update)
            api.options.routingChanged()
            return api.ok(200, [("number", Render.number(n))])
        },
        Route("DELETE", "/v1/numbers/:id", scope: "numbers.write") { api, ctx in
            let n = try api.store.releaseNumber(workspaceID: ctx.workspaceID, id: ctx.param("id"))
            api.options.routingChanged()
            api.options.webhooksEnqueued()
            return api.ok(200, [("number", Render.number(n))])
        },
    ]
}
