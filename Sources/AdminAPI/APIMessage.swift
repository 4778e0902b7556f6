/// A request as the admin API sees it, independent of the HTTP server that carried it, so
/// every handler can be tested without sockets and the server adapter stays thin.
public struct APIRequest: Sendable {
    public var method: String
    /// The path without the query, percent-decoding not applied (ids are plain).
    public var path: String
    public var query: [String: String]
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        var lower: [String: String] = [:]
        for (k, v) in headers { lower[k.lowercased()] = v }
        self.headers = lower
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Splits a raw request target ("/v1/calls?limit=5&status=failed") into path and query,
    /// decoding `%XX` and `+` in query values (RFC 3986 §2.1, HTML form encoding).
    public static func split(target: String) -> (path: String, query: [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: q)...].split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(kv[0])
            if query[key] == nil { query[key] = kv.count > 1 ? percentDecode(kv[1]) : "" }
        }
        return (String(target[..<q]), query)
    }

    static func percentDecode(_ s: Substring) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "+") { out.append(UInt8(ascii: " ")); continue }
            if b == UInt8(ascii: "%"), it.count >= 2, let h = hex(it[it.startIndex]), let l = hex(it[it.startIndex + 1]) {
                out.append(h << 4 | l)
                it = it.dropFirst(2)
                continue
            }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// What a handler answers: status, headers and body bytes (JSON unless said otherwise).
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// A JSON response.
    public static func json(_ status: Int, _ body: [UInt8]) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: body)
    }
}
