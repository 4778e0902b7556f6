import Billing

/// The workspace's KES wallet: balance, manual top-ups and the ledger (admin-api.md "Billing").
extension AdminAPI {
    struct TopUp: Decodable {
        var amountMinor: WholeNumber
        var reference: String?
        enum CodingKeys: String, CodingKey { case amountMinor = "amount_minor", reference }
    }

    static let walletRoutes: [Route] = [
        Route("GET", "/v1/wallet", scope: "wallet.read") { api, ctx in
            api.ok(200, [("wallet", Render.wallet(try api.store.wallet(workspaceID: ctx.workspaceID)))])
        },
        Route("POST", "/v1/wallet/topups", scope: "wallet.write", idempotent: true) { api, ctx in
            let b = try BodyDecoding.decode(TopUp.self, from: ctx.request.body)
            try check((b.reference ?? "").count <= 200, "reference: at most 200 characters")
            let entry = try api.store.topUp(workspaceID: ctx.workspaceID, amountMinor: b.amountMinor.value, reference: b.reference)
            // A wallet back at or above zero takes billable calls again.
            api.options.routingChanged()
            api.options.webhooksEnqueued()
            return api.ok(201, [("ledger_entry", Render.ledger(entry)), ("balance_minor", .int(entry.balanceAfterMinor))])
        },
        Route("GET", "/v1/wallet/ledger", scope: "wallet.read") { api, ctx in
            let p = try api.paging(ctx, list: "ledger")
            return api.list(try api.store.ledger(workspaceID: ctx.workspaceID, after: p.after, limit: p.limit), scope: p.scope, Render.ledger)
        },
    ]
}
