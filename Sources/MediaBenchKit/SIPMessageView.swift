/// A received SIP message, split into start line, headers and body on bytes (RFC 3261 §7).
/// Only what a load generator needs: it runs at setup and teardown, never per RTP packet.
public struct SIPMessageView: Sendable, Equatable {
    /// Response status code, or nil for a request.
    public let statusCode: Int?
    /// Request method, or nil for a response.
    public let method: String?
    /// Headers in arrival order, names lower-cased and compact forms expanded (RFC 3261 §7.3.3).
    public let headers: [(name: String, value: String)]
    /// The body (Content-Length bytes when the header is present and sane).
    public let body: [UInt8]

    public static func == (a: SIPMessageView, b: SIPMessageView) -> Bool {
        a.statusCode == b.statusCode && a.method == b.method && a.body == b.body
            && a.headers.elementsEqual(b.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Parses one UDP datagram. Lines may end in CRLF or bare LF; folded lines (RFC 3261
    /// §7.3.1, obsolete but legal) are joined to the header before them.
    public init(parsing bytes: [UInt8]) throws(BenchError) {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        var bodyStart: Int?
        while i < bytes.count {
            if bytes[i] == 0x0A {
                var end = i
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                if end == start { bodyStart = i + 1; break } // empty line: headers end
                lines.append(bytes[start..<end])
                start = i + 1
            }
            i += 1
        }
        guard let first = lines.first, let bodyAt = bodyStart else {
            throw .malformed("no header/body separator in SIP message")
        }
        let startLine = String(decoding: first, as: UTF8.self)
        let parts = startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        if startLine.hasPrefix("SIP/2.0 ") {
            guard parts.count >= 2, let code = Int(parts[1]), (100...699).contains(code) else {
                throw .malformed("bad status line: \(startLine.prefix(80))")
            }
            statusCode = code
            method = nil
        } else {
            guard parts.count == 3, parts[2] == "SIP/2.0" else { throw .malformed("bad request line: \(startLine.prefix(80))") }
            statusCode = nil
            method = String(parts[0])
        }
        var hs: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            if let b = line.first, b == 0x20 || b == 0x09, let last = hs.popLast() {
                hs.append((last.name, last.value + " " + SIPMessageView.trim(line)))
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A) else { throw .malformed("header line without a colon") }
            let name = SIPMessageView.trim(line[line.startIndex..<colon]).lowercased()
            hs.append((SIPMessageView.longName(name), SIPMessageView.trim(line[(colon + 1)...])))
        }
        headers = hs
        var rest = Array(bytes[bodyAt...])
        if let cl = hs.first(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }), cl >= 0, cl <= rest.count {
            rest = Array(rest.prefix(cl))
        }
        body = rest
    }

    /// First value of a header (name in lower case, long form).
    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    /// All values of a header, in order (e.g. every Via).
    public func all(_ name: String) -> [String] { headers.filter { $0.name == name }.map(\.value) }

    /// CSeq number and method (RFC 3261 §20.16).
    public var cseq: (number: Int, method: String)? {
        guard let v = header("cseq") else { return nil }
        let p = v.split(separator: " ", omittingEmptySubsequences: true)
        guard p.count == 2, let n = Int(p[0]) else { return nil }
        return (n, String(p[1]))
    }

    /// The `tag` parameter of a From or To value (RFC 3261 §19.3), looked for after the URI.
    public static func tag(in value: String) -> String? {
        let params: Substring
        if let close = value.lastIndex(of: ">") { params = value[value.index(after: close)...] } else { params = value[...] }
        for p in params.split(separator: ";").dropFirst(value.contains(">") ? 0 : 1) {
            let kv = p.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingSpaces().lowercased() == "tag" {
                let t = kv[1].trimmingSpaces()
                return t.isEmpty ? nil : String(t)
            }
        }
        return nil
    }

    /// The URI of a Contact value: inside `<…>`, or up to the first `;` without brackets.
    public static func uri(in value: String) -> String? {
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            let u = value[value.index(after: open)..<close]
            return u.isEmpty ? nil : String(u)
        }
        let u = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces() } ?? ""
        return u.isEmpty || u == "*" ? nil : String(u)
    }

    /// Builds a response to this request (RFC 3261 §8.2.6.2: Via, From, To, Call-ID and CSeq
    /// copied), with no body.
    public func response(status: Int, reason: String, userAgent: String) -> [UInt8] {
        var s = "SIP/2.0 \(status) \(reason)\r\n"
        for v in all("via") { s += "Via: \(v)\r\n" }
        for (name, canonical) in [("from", "From"), ("to", "To"), ("call-id", "Call-ID"), ("cseq", "CSeq")] {
            if let v = header(name) { s += "\(canonical): \(v)\r\n" }
        }
        s += "Server: \(userAgent)\r\nContent-Length: 0\r\n\r\n"
        return Array(s.utf8)
    }

    static func trim(_ bytes: ArraySlice<UInt8>) -> String {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// RFC 3261 §7.3.3 compact forms.
    static func longName(_ n: String) -> String {
        switch n {
        case "i": "call-id"
        case "t": "to"
        case "f": "from"
        case "m": "contact"
        case "v": "via"
        case "l": "content-length"
        case "c": "content-type"
        default: n
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
