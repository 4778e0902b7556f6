// A real HTTP origin for AudioFetcher tests: a python3 http.server child on 127.0.0.1.
//
// Routes come from a JSON file the test (re)writes; the server re-reads it on every
// request, so a test can change a prompt's ETag or body between fetches. Every request is
// appended to a log file as one JSON line (path, If-None-Match, If-Modified-Since), which
// is how tests count requests and check validators. The child exits when its stdin closes.

import Foundation
import PBXTestSupport
import Synchronization

/// One route of the test origin.
struct Route: Encodable {
    var file: String?
    var status: Int?
    var headers: [String: String]?
    var redirect: String?
    var delay: Double?
    var noLength: Bool?
    var hangBody: Bool?
    var size: Int?

    enum CodingKeys: String, CodingKey {
        case file, status, headers, redirect, delay, size
        case noLength = "no_length"
        case hangBody = "hang_body"
    }
}

/// A logged request.
struct LoggedRequest: Decodable {
    var path: String
    var inm: String?
    var ims: String?
}

/// The python3 origin process plus its scratch directory.
final class PromptServer: @unchecked Sendable {
    let directory: URL
    private let server: PythonServer
    var port: Int { server.port }

    /// Starts the server with `routes`; files for routes go in `directory` (see `write`).
    init(routes: [String: Route] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("play-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(routes).write(to: directory.appendingPathComponent("routes.json"), options: .atomic)
        server = try PythonServer(.inline(Self.script), arguments: [directory.appendingPathComponent("routes.json").path,
                                                                    directory.appendingPathComponent("requests.log").path])
    }

    /// Replaces the route table (read by the server on each request).
    func setRoutes(_ routes: [String: Route]) throws {
        try JSONEncoder().encode(routes).write(to: directory.appendingPathComponent("routes.json"), options: .atomic)
    }

    /// Writes `bytes` to a file in the scratch directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { server.url(path) }

    /// Requests received so far, in order.
    func requests() throws -> [LoggedRequest] {
        let path = directory.appendingPathComponent("requests.log").path
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(LoggedRequest.self, from: Data($0.utf8)) }
    }

    /// A cache directory for the fetcher under test.
    var cacheDirectory: String { directory.appendingPathComponent("cache").path }

    /// Stops the child; safe to call more than once.
    func stop() { server.stop() }

    /// Stops the child and removes the scratch directory.
    func cleanup() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static let script = #"""
import json, os, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
routes_path, log_path = sys.argv[1], sys.argv[2]
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_GET(self):
        with open(routes_path) as f:
            routes = json.load(f)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        with lock:
            with open(log_path, "a") as f:
                f.write(json.dumps({"path": self.path, "inm": inm, "ims": ims}) + "\n")
        route = routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.get("delay"):
            time.sleep(route["delay"])
        if route.get("redirect"):
            self.send_response(302)
            self.send_header("Location", route["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = route.get("headers") or {}
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if (etag and inm == etag) or (not etag and modified and ims == modified):
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        if route.get("file"):
            with open(route["file"], "rb") as f:
                body = f.read()
        else:
            body = b"\0" * (route.get("size") or 0)
        self.send_response(route.get("status") or 200)
        for k, v in headers.items():
            self.send_header(k, v)
        if route.get("no_length"):
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if route.get("hang_body"):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(10)
        self.wfile.write(body)

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
def watch_stdin():
    sys.stdin.read()
    os._exit(0)
threading.Thread(target=watch_stdin, daemon=True).start()
server.serve_forever()
"""#
}

/// A settable wall clock for cache-freshness tests.
final class TestClock: Sendable {
    private let seconds = Mutex<Double>(1_800_000_000)

    /// The current test time.
    var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }

    /// Moves the clock forward.
    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
}
