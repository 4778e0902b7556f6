/// Writes messages in wire form (RFC 3261 §7). Content-Length is always written from the body
/// actually sent, because on UDP a wrong length corrupts framing (§18.3, §20.14).
public enum SIPSerializer {
    public static func serialize(_ message: SIPMessage) -> [UInt8] {
        switch message {
        case .request(let r): serialize(r)
        case .response(let r): serialize(r)
        }
    }

    public static func serialize(_ r: SIPRequest) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + r.body.count)
        append(&out, "\(r.method) \(r.uri) \(r.version)\r\n")
        appendHeaders(&out, r.headers, bodyCount: r.body.count)
        out.append(contentsOf: r.body)
        return out
    }

    public static func serialize(_ r: SIPResponse) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + r.body.count)
        append(&out, "\(r.version) \(r.statusCode) \(r.reason)\r\n")
        appendHeaders(&out, r.headers, bodyCount: r.body.count)
        out.append(contentsOf: r.body)
        return out
    }

    static func appendHeaders(_ out: inout [UInt8], _ headers: SIPHeaders, bodyCount: Int) {
        for f in headers.fields where f.key != "content-length" {
            append(&out, f.name)
            append(&out, ": ")
            append(&out, f.value)
            append(&out, "\r\n")
        }
        append(&out, "Content-Length: \(bodyCount)\r\n\r\n")
    }

    @inline(__always) static func append(_ out: inout [UInt8], _ s: String) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }
}
