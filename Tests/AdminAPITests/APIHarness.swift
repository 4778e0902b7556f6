import AdminAPI
import AsyncHTTPClient
import Billing
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// A running admin API for tests: a real SQLite file in a temporary directory, the real
/// Hummingbird server on an ephemeral loopback port, and AsyncHTTPClient as the client
/// (redirects not followed, so a 302 is seen as such).
final class APIHarness: @unchecked Sendable {
    let dir: String
    let store: Store
    let api: AdminAPI
    let runtime = TestRuntime()
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    private var server: Task<Void, any Error>?
    private(set) var port = 0
    /// An admin key of the first workspace.
    private(set) var adminKey = ""
    private(set) var workspace: Workspace!
    let clock = ManualClock(1_800_000_000_000)

    init() async throws {
        dir = NSTemporaryDirectory() + "sautipbx-api-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let clock = self.clock
        store = try Store(path: dir + "/store.sqlite", clock: { clock.now })
        var options = AdminAPI.Options(secret: Array(repeating: 7, count: 32), publicBaseURL: "http://127.0.0.1")
        options.clock = { clock.now }
        api = AdminAPI(store: store, runtime: runtime, options: options)
        let (stream, cont) = AsyncStream<Int>.makeStream()
        let api = self.api
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // cancelling the server at the end logs an error
        server = Task { [logger] in
            try await AdminHTTPServer.run(api, host: "127.0.0.1", port: 0, logger: logger) { p in cont.yield(p) }
        }
        for await p in stream { port = p; break }
        workspace = try store.createWorkspace(name: "Acme")
        adminKey = try store.createAPIKey(workspaceID: workspace.id, name: "root", scopes: ["admin"]).secret
    }

    /// Stops the server and client and removes the files. Call at the end of every test.
    func close() async {
        server?.cancel()
        _ = await server?.result
        try? await client.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }

    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: HTTPHeaders
        var bytes: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
        subscript(_ path: String) -> Any? {
            var cur: Any? = json
            for part in path.split(separator: ".") {
                if let i = Int(part) { cur = (cur as? [Any]).flatMap { i < $0.count ? $0[i] : nil } } else { cur = (cur as? [String: Any])?[String(part)] }
            }
            return cur
        }
    }

    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, key: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var req = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        req.method = method
        if let key = key ?? (adminKey.isEmpty ? nil : adminKey), !key.isEmpty { req.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (k, v) in headers { req.headers.add(name: k, value: v) }
        if let json {
            req.headers.add(name: "Content-Type", value: "application/json")
            req.body = .bytes(ByteBuffer(string: json))
        }
        let resp = try await client.execute(req, timeout: .seconds(10))
        var body = try await resp.body.collect(upTo: 4 << 20)
        return Reply(status: Int(resp.status.code), headers: resp.headers, bytes: body.readBytes(length: body.readableBytes) ?? [])
    }

    /// A key of the harness workspace with exactly these scopes.
    func key(_ scopes: [String]) throws -> String {
        try store.createAPIKey(workspaceID: workspace.id, name: "k", scopes: scopes).secret
    }
}

/// Stands in for the PBX: remembers hangups, reports fixed health.
final class TestRuntime: CallRuntime, @unchecked Sendable {
    private let lock = NSLock()
    private var hungUp: [String] = []
    var live: Set<String> = []

    func hangup(callID: String) async -> Bool {
        lock.withLock { hungUp.append(callID); return live.contains(callID) }
    }

    var hangups: [String] { lock.withLock { hungUp } }

    func snapshot() async -> RuntimeSnapshot {
        RuntimeSnapshot(sipListening: true, activeCalls: 2, callsOffered: 10, callsAnswered: 8, rtpPacketsReceived: 1000, rtpPacketsLost: 3)
    }
}

/// Test time, advanced by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(_ start: Int64) { value = start }
    var now: Int64 { lock.withLock { value } }
    func advance(ms: Int64) { lock.withLock { value += ms } }
}
