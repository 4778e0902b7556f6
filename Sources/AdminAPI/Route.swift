import Billing

/// One endpoint: method, path pattern (`:name` segments capture), the scope it needs (nil:
/// public, like `/healthz`), whether creates honour Idempotency-Key, and its handler.
struct Route: Sendable {
    typealias Handler = @Sendable (AdminAPI, Context) async throws -> APIResponse
    var method: String
    var pattern: [String]
    var scope: String?
    var idempotent: Bool
    var handler: Handler

    init(_ method: String, _ path: String, scope: String?, idempotent: Bool = false, _ handler: @escaping Handler) {
        self.method = method
        self.pattern = path.split(separator: "/").map(String.init)
        self.scope = scope
        self.idempotent = idempotent
        self.handler = handler
    }

    /// The captured parameters when `segments` fits the pattern.
    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        var params: [String: String] = [:]
        for (p, s) in zip(pattern, segments) {
            if p.hasPrefix(":") {
                guard !s.isEmpty, s.utf8.count <= 128 else { return nil }
                params[String(p.dropFirst())] = s
            } else if p != s {
                return nil
            }
        }
        return params
    }
}

extension AdminAPI {
    /// Every endpoint, in match order (literal segments such as `/v1/calls/stats` before
    /// `/v1/calls/:id`).
    static let table: [Route] = healthRoutes + workspaceRoutes + numberRoutes + callRoutes + walletRoutes + webhookRoutes + demoRoutes

    /// `?cursor=&limit=` (1-100, default 25) for a list scoped to the caller's workspace.
    func paging(_ ctx: Context, list: String) throws(APIError) -> (after: PageKey?, limit: Int, scope: String) {
        let scope = "\(list):\(ctx.workspaceID)"
        var limit = 25
        if let l = ctx.request.query["limit"] {
            guard let n = Int(l), (1...100).contains(n) else { throw .badRequest("limit: a whole number from 1 to 100") }
            limit = n
        }
        var after: PageKey?
        if let c = ctx.request.query["cursor"], !c.isEmpty { after = try cursors.decode(c, scope: scope) }
        return (after, limit, scope)
    }

    /// `{"data": [...], "next_cursor": "..." | null}`.
    func list<T>(_ page: Page<T>, scope: String, _ render: (T) -> JSONValue) -> APIResponse {
        .json(200, JSONWriter.object([("data", .array(page.items.map(render))),
                                      ("next_cursor", page.next.map { .string(cursors.encode($0, scope: scope)) } ?? .null)]))
    }

    func ok(_ status: Int = 200, _ fields: [(String, JSONValue)]) -> APIResponse {
        .json(status, JSONWriter.object(fields))
    }
}
