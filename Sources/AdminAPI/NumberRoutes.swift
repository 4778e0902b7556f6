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
            guard let e164 = normalizedE164(b.e164) else {
                throw APIError.badRequest("e164: a number in E.164 form, \"+\" and 2 to 15 digits, e.g. +254711082000")
            }
            try checkRoutingURL("voice_callback_url", b.voiceCallbackURL)
            if let u = b.fallbackURL { try checkRoutingURL("fallback_url", u) }
            if let u = b.eventsURL { try checkRoutingURL("events_url", u) }
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
            for (field, p) in [("voice_callback_url", b.voiceCallbackURL), ("fallback_url", b.fallbackURL), ("events_url", b.eventsURL)] {
                if case .value(let u) = p { try checkRoutingURL(field, u) }
            }
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

    /// "+" then 2-15 digits, the first not 0 (ITU-T E.164 §6); spaces are dropped.
    static func normalizedE164(_ text: String) -> String? {
        let digits = text.filter { $0 != " " }
        guard digits.hasPrefix("+"), (3...16).contains(digits.count), digits.dropFirst().allSatisfy(\.isASCIIDigit),
              digits.dropFirst().first != "0" else { return nil }
        return digits
    }

    /// Routing URLs are absolute http(s) URLs with a host (`numbers.invalid_routing_url`).
    static func checkRoutingURL(_ field: String, _ url: String) throws(APIError) {
        let lower = url.lowercased()
        let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.hasPrefix("http://") ? lower.dropFirst(7) : nil
        guard let rest, let host = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first,
              !host.isEmpty, url.utf8.count <= 2048, !url.contains(" "), !host.contains("@") else {
            throw APIError(400, "numbers.invalid_routing_url", "\(field): an absolute http:// or https:// URL with a host")
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
