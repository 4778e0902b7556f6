import Billing
import Crypto
import Foundation
import Logging

/// What the API needs from the running PBX: live calls and health. The daemon implements it
/// over its signalling queue; tests use their own.
public protocol CallRuntime: Sendable {
    /// Ends a live call by record id; false when no live call here has it.
    func hangup(callID: String) async -> Bool
    func snapshot() async -> RuntimeSnapshot
}

/// Counters and health of the running PBX for `/readyz` and `/metrics`.
public struct RuntimeSnapshot: Sendable {
    public var sipListening: Bool
    public var activeCalls: Int
    public var callsOffered: Int
    public var callsAnswered: Int
    public var rtpPacketsReceived: Int64
    public var rtpPacketsLost: Int64
    /// Voice-app calls whose interpreter runs.
    public var voiceCalls: Int = 0
    /// Callback requests, from the interpreter's command to the document back on the signalling queue.
    public var callbackLatency = LatencyHistogram()
    /// The HTTP exchange part of it (request sent to document decoded).
    public var callbackExchange = LatencyHistogram()
    /// Callback requests that failed (timeout, non-2xx, bad document...).
    public var callbackFailures: Int64 = 0

    public init(sipListening: Bool, activeCalls: Int = 0, callsOffered: Int = 0, callsAnswered: Int = 0,
                rtpPacketsReceived: Int64 = 0, rtpPacketsLost: Int64 = 0) {
        self.sipListening = sipListening
        self.activeCalls = activeCalls
        self.callsOffered = callsOffered
        self.callsAnswered = callsAnswered
        self.rtpPacketsReceived = rtpPacketsReceived
        self.rtpPacketsLost = rtpPacketsLost
    }
}

/// The admin HTTP API of admin-api.md as plain request → response handling over the store:
/// routing, bearer keys and scopes, the error envelope with a request id on every response,
/// idempotent creates and signed cursors. `HTTPServer` carries it over Hummingbird.
public final class AdminAPI: Sendable {
    public struct Options: Sendable {
        /// Secret for cursors and signed recording URLs (32 random bytes, kept in the data dir).
        public var secret: [UInt8]
        /// Where recording files live; signed URLs point at `publicBaseURL`.
        public var publicBaseURL: String
        public var clock: @Sendable () -> Int64 = Store.wallClockMs
        public var requestID: @Sendable () -> String = { "req_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
        /// Called after numbers or wallets change, so the PBX reloads its routing table.
        public var routingChanged: @Sendable () -> Void = {}
        /// Called after something was put in the webhook outbox.
        public var webhooksEnqueued: @Sendable () -> Void = {}

        public init(secret: [UInt8], publicBaseURL: String) {
            self.secret = secret
            self.publicBaseURL = publicBaseURL
        }
    }

    let store: Store
    let runtime: any CallRuntime
    let options: Options
    let cursors: CursorCodec
    let logger = Logger(label: "sautipbx.api")

    public init(store: Store, runtime: any CallRuntime, options: Options) {
        self.store = store
        self.runtime = runtime
        self.options = options
        self.cursors = CursorCodec(secret: options.secret)
    }

    var now: Int64 { options.clock() }

    /// Answers one request. Never throws: every failure is an envelope with the request id.
    public func handle(_ request: APIRequest) async -> APIResponse {
        let requestID = options.requestID()
        do {
            var response = try await dispatch(request, requestID: requestID)
            response.headers.append(("X-Request-Id", requestID))
            return response
        } catch {
            return errorResponse(error, requestID: requestID)
        }
    }

    /// The envelope for an error, also for failures the server meets before routing (a body
    /// over the size limit).
    public func errorResponse(_ error: APIError, requestID: String? = nil) -> APIResponse {
        let id = requestID ?? options.requestID()
        var response = APIResponse.json(error.status, error.body(requestID: id))
        if let allow = error.allow { response.headers.append(("Allow", allow)) }
        response.headers.append(("X-Request-Id", id))
        return response
    }

    private func dispatch(_ request: APIRequest, requestID: String) async throws(APIError) -> APIResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var allowed: [String] = []
        for route in Self.table {
            guard let params = route.match(segments) else { continue }
            guard route.method == request.method || (route.method == "GET" && request.method == "HEAD") else {
                allowed.append(route.method)
                continue
            }
            var ctx = Context(request: request, params: params, requestID: requestID, key: nil)
            if let scope = route.scope { ctx.key = try authorize(request, scope: scope) }
            if route.idempotent, let key = request.header("Idempotency-Key"), let ws = ctx.key?.workspaceID {
                return try await idempotent(ctx, workspaceID: ws, key: key, route: route)
            }
            return try await run(route, ctx)
        }
        if !allowed.isEmpty {
            var e = APIError.methodNotAllowed(allowed)
            e.allow = allowed.joined(separator: ", ")
            throw e
        }
        throw .notFound
    }

    func run(_ route: Route, _ ctx: Context) async throws(APIError) -> APIResponse {
        do {
            return try await route.handler(self, ctx)
        } catch let e as APIError {
            throw e
        } catch let e as StoreError {
            throw APIError.from(e)
        } catch {
            logger.error("request failed", metadata: ["request_id": "\(ctx.requestID)", "path": "\(ctx.request.path)", "error": "\(error)"])
            throw .internalError
        }
    }

    /// `Authorization: Bearer <key>`; admin-api.md: 401 `api_key.invalid` / `api_key.revoked`,
    /// 403 `api_key.scope_denied`. The `admin` scope carries every other scope.
    func authorize(_ request: APIRequest, scope: String) throws(APIError) -> APIKey {
        guard let auth = request.header("Authorization"), auth.count > 7,
              auth.prefix(7).lowercased() == "bearer " else {
            throw APIError(401, "api_key.invalid", "send Authorization: Bearer <api key>")
        }
        let secret = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let lookup: KeyLookup
        do { lookup = try store.authenticate(secret: secret) } catch { throw .internalError }
        switch lookup {
        case .unknown: throw APIError(401, "api_key.invalid", "this API key is not valid")
        case .revoked: throw APIError(401, "api_key.revoked", "this API key was revoked; create a new one")
        case .valid(let key):
            guard key.scopes.contains(scope) || key.scopes.contains("admin") else {
                throw APIError(403, "api_key.scope_denied", "this API key lacks the \(scope) scope")
            }
            return key
        }
    }

    /// admin-api.md: the same Idempotency-Key and body replay the first response; another
    /// body with that key is 409 `idempotency.conflict`. Server errors are not remembered, so
    /// a retry after a 5xx runs again.
    private func idempotent(_ ctx: Context, workspaceID: String, key: String, route: Route) async throws(APIError) -> APIResponse {
        guard !key.isEmpty, key.utf8.count <= 255 else { throw .badRequest("Idempotency-Key: 1 to 255 characters") }
        let methodPath = "\(ctx.request.method) \(ctx.request.path)"
        let hash = SHA256.hash(data: ctx.request.body).map { String(format: "%02x", $0) }.joined()
        let found: IdempotencyLookup
        do {
            found = try store.idempotencyLookup(workspaceID: workspaceID, key: key, methodPath: methodPath, requestHash: hash)
        } catch { throw .internalError }
        switch found {
        case .conflict: throw APIError.from(.idempotencyConflict)
        case .replay(let status, let body):
            return APIResponse(status: status, headers: [("Content-Type", "application/json"), ("Idempotent-Replayed", "true")], body: body)
        case .miss:
            let response: APIResponse
            do {
                response = try await run(route, ctx)
            } catch where error.status < 500 {
                try? store.idempotencySave(workspaceID: workspaceID, key: key, methodPath: methodPath, requestHash: hash,
                                           status: error.status, body: error.body(requestID: ctx.requestID))
                throw error
            }
            try? store.idempotencySave(workspaceID: workspaceID, key: key, methodPath: methodPath, requestHash: hash,
                                       status: response.status, body: response.body)
            return response
        }
    }
}

/// One request being handled.
struct Context: Sendable {
    var request: APIRequest
    var params: [String: String]
    var requestID: String
    var key: APIKey?

    /// The caller's workspace (routes with a scope always have a key).
    var workspaceID: String { key?.workspaceID ?? "" }

    func param(_ name: String) -> String { params[name] ?? "" }
}
