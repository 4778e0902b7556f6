import Billing

/// Tenants and their API keys (admin scope): admin-api.md "Resources".
extension AdminAPI {
    struct CreateWorkspace: Decodable {
        var name: String
        var inboundRate: WholeNumber?
        var outboundRate: WholeNumber?
        var increment: WholeNumber?
        var threshold: WholeNumber?
        var retentionDays: WholeNumber?
        var playAllowedHosts: [String]?
        enum CodingKeys: String, CodingKey {
            case name, inboundRate = "inbound_rate_per_minute_minor", outboundRate = "outbound_rate_per_minute_minor"
            case increment = "billing_increment_seconds", threshold = "low_balance_threshold_minor"
            case retentionDays = "recording_retention_days", playAllowedHosts = "play_allowed_hosts"
        }
    }

    struct UpdateWorkspace: Decodable {
        var playAllowedHosts: Patch<[String]>
        enum CodingKeys: String, CodingKey { case playAllowedHosts = "play_allowed_hosts" }
    }

    struct CreateKey: Decodable {
        var name: String
        var scopes: [String]
        var workspaceID: String?
        enum CodingKeys: String, CodingKey { case name, scopes, workspaceID = "workspace_id" }
    }

    static let workspaceRoutes: [Route] = [
        Route("POST", "/v1/workspaces", scope: "admin", idempotent: true) { api, ctx in
            let b = try BodyDecoding.decode(CreateWorkspace.self, from: ctx.request.body)
            try check(!b.name.isEmpty && b.name.count <= 200, "name: 1 to 200 characters")
            for (field, v) in [("inbound_rate_per_minute_minor", b.inboundRate?.value), ("outbound_rate_per_minute_minor", b.outboundRate?.value),
                               ("low_balance_threshold_minor", b.threshold?.value)] {
                try check(v.map { (0...100_000_000).contains($0) } ?? true, "\(field): 0 to 100000000")
            }
            try check(b.increment.map { (1...3600).contains($0.value) } ?? true, "billing_increment_seconds: 1 to 3600")
            try check(b.retentionDays.map { (1...3650).contains($0.value) } ?? true, "recording_retention_days: 1 to 3650")
            let w = try api.store.createWorkspace(name: b.name, inboundRateMinor: b.inboundRate?.value ?? 0, outboundRateMinor: b.outboundRate?.value ?? 300,
                                                  billingIncrementSeconds: b.increment?.value ?? 60, lowBalanceThresholdMinor: b.threshold?.value ?? 10_000,
                                                  recordingRetentionDays: Int(b.retentionDays?.value ?? 90),
                                                  playAllowedHosts: b.playAllowedHosts)
            return api.ok(201, [("workspace", Render.workspace(w))])
        },
        Route("GET", "/v1/workspaces/:id", scope: "admin") { api, ctx in
            api.ok(200, [("workspace", Render.workspace(try api.store.workspace(id: ctx.param("id"))))])
        },
        // The `play` host allow-list (voice-actions.md §3): a list, or null for any host.
        Route("PATCH", "/v1/workspaces/:id", scope: "admin") { api, ctx in
            let b = try BodyDecoding.decode(UpdateWorkspace.self, from: ctx.request.body)
            var w = try api.store.workspace(id: ctx.param("id"))
            switch b.playAllowedHosts {
            case .absent: break
            case .null: w = try api.store.setPlayAllowedHosts(workspaceID: w.id, hosts: nil)
            case .value(let hosts): w = try api.store.setPlayAllowedHosts(workspaceID: w.id, hosts: hosts)
            }
            api.options.routingChanged()
            return api.ok(200, [("workspace", Render.workspace(w))])
        },
        // Not idempotent on purpose: replaying would mean keeping the key's secret for 24 h,
        // and a key is shown once and stored only hashed (admin-api.md "Conventions").
        Route("POST", "/v1/api-keys", scope: "admin") { api, ctx in
            let b = try BodyDecoding.decode(CreateKey.self, from: ctx.request.body)
            try check(!b.name.isEmpty && b.name.count <= 200, "name: 1 to 200 characters")
            try check(!b.scopes.isEmpty, "scopes: at least one of \(APIKey.allScopes.joined(separator: ", "))")
            for s in b.scopes where !APIKey.allScopes.contains(s) {
                throw APIError.badRequest("scopes: unknown scope \"\(s)\"; use \(APIKey.allScopes.joined(separator: ", "))")
            }
            let workspace = b.workspaceID ?? ctx.workspaceID
            _ = try api.store.workspace(id: workspace)
            let (key, secret) = try api.store.createAPIKey(workspaceID: workspace, name: b.name, scopes: b.scopes)
            // The secret is shown once; only its hash is stored (admin-api.md "Conventions").
            return api.ok(201, [("api_key", Render.apiKey(key)), ("secret", .string(secret))])
        },
        Route("GET", "/v1/api-keys", scope: "admin") { api, ctx in
            let p = try api.paging(ctx, list: "api-keys")
            return api.list(try api.store.apiKeys(workspaceID: ctx.workspaceID, after: p.after, limit: p.limit), scope: p.scope, Render.apiKey)
        },
        Route("DELETE", "/v1/api-keys/:id", scope: "admin") { api, ctx in
            api.ok(200, [("api_key", Render.apiKey(try api.store.revokeAPIKey(workspaceID: ctx.workspaceID, id: ctx.param("id"))))])
        },
    ]

    /// A `validation.bad_request` unless `condition` holds.
    static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(APIError) {
        if !condition { throw .badRequest(message()) }
    }
}
