import Billing

/// Webhook subscriptions and their delivery log (admin-api.md "Webhooks").
extension AdminAPI {
    struct CreateWebhook: Decodable {
        var url: String
        var events: [String]
    }

    static let webhookRoutes: [Route] = [
        Route("POST", "/v1/webhooks", scope: "webhooks.write", idempotent: true) { api, ctx in
            let b = try BodyDecoding.decode(CreateWebhook.self, from: ctx.request.body)
            // The store checks the URL and each event type (`webhooks.event_unsupported`).
            try check(!b.events.isEmpty, "events: at least one of \(WebhookEvent.allTypes.joined(separator: ", "))")
            let w = try api.store.createWebhook(workspaceID: ctx.workspaceID, url: b.url, events: b.events)
            // The secret is shown here and after rotation only.
            return api.ok(201, [("webhook", Render.webhook(w, showSecret: true))])
        },
        Route("GET", "/v1/webhooks", scope: "webhooks.read") { api, ctx in
            let p = try api.paging(ctx, list: "webhooks")
            return api.list(try api.store.webhooks(workspaceID: ctx.workspaceID, after: p.after, limit: p.limit), scope: p.scope) {
                Render.webhook($0, showSecret: false)
            }
        },
        Route("GET", "/v1/webhooks/:id", scope: "webhooks.read") { api, ctx in
            api.ok(200, [("webhook", Render.webhook(try api.store.webhook(workspaceID: ctx.workspaceID, id: ctx.param("id")), showSecret: false))])
        },
        Route("DELETE", "/v1/webhooks/:id", scope: "webhooks.write") { api, ctx in
            let w = try api.store.deleteWebhook(workspaceID: ctx.workspaceID, id: ctx.param("id"))
            return api.ok(200, [("webhook", Render.webhook(w, showSecret: false))])
        },
        Route("POST", "/v1/webhooks/:id/rotate-secret", scope: "webhooks.write") { api, ctx in
            // The previous secret keeps signing (second v1=) for 24 h so receivers can roll over.
            let w = try api.store.rotateWebhookSecret(workspaceID: ctx.workspaceID, id: ctx.param("id"), overlapSeconds: 86_400, now: api.now)
            return api.ok(200, [("webhook", Render.webhook(w, showSecret: true))])
        },
        Route("GET", "/v1/webhooks/:id/deliveries", scope: "webhooks.read") { api, ctx in
            _ = try api.store.webhook(workspaceID: ctx.workspaceID, id: ctx.param("id"))
            let p = try api.paging(ctx, list: "deliveries:\(ctx.param("id"))")
            return api.list(try api.store.deliveries(workspaceID: ctx.workspaceID, webhookID: ctx.param("id"), after: p.after, limit: p.limit),
                            scope: p.scope, Render.delivery)
        },
        Route("POST", "/v1/webhook-deliveries/:id/retry", scope: "webhooks.write") { api, ctx in
            let d = try api.store.retryDelivery(workspaceID: ctx.workspaceID, id: ctx.param("id"), now: api.now)
            api.options.webhooksEnqueued()
            return api.ok(200, [("delivery", Render.delivery(d))])
        },
    ]
}
