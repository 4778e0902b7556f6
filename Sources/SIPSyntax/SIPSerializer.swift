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
        append(&out, "\(r.method) \(r.uri) \(r.version)")
        appendCRLF(&out)
        appendHeaders(&out, r.headers, bodyCount: r.body.count)
        out.append(contentsOf: r.body)
        return out
    }

    public static func serialize(_ r: SIPResponse) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + r.body.count)
        append(&out, "\(r.version) \(r.statusCode) \(r.reason)")
        appendCRLF(&out)
        appendHeaders(&out, r.headers, bodyCount: r.body.count)
        out.append(contentsOf: r.body)
        return out
    }

    /// Writes the fields in order. The one Content-Length is written where the first one
    /// stood (appended when there was none) so that order survives a parse/serialize round trip.
    static func appendHeaders(_ out: inout [UInt8], _ headers: SIPHeaders, bodyCount: Int) {
        var wroteLength = false
        for f in headers.fields {
            if f.key == "content-length" {
                if !wroteLength { append(&out, "Content-Length: \(bodyCount)"); appendCRLF(&out) }
                wroteLength = true
                continue
            }
            append(&out, f.name)
            append(&out, ": ")
            append(&out, f.value)
            appendCRLF(&out)
        }
        if !wroteLength { append(&out, "Content-Length: \(bodyCount)"); appendCRLF(&out) }
        appendCRLF(&out)
    }

    /// Appends text with CR and LF turned into SP: a value built from peer or application
    /// input (a reason phrase quoting a bad line, a header value) can never inject a line.
    @inline(__always) static func append(_ out: inout [UInt8], _ s: String) {
        var s = s
        s.withUTF8 { bytes in
            var clean = true
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0D || bytes[i] == 0x0A { clean = false; break }
                i += 1
            }
            if clean { out.append(contentsOf: bytes); return }
            for b in bytes { out.append(b == 0x0D || b == 0x0A ? 0x20 : b) }
        }
    }

    /// Appends the CRLF that ends a line.
    @inline(__always) static func appendCRLF(_ out: inout [UInt8]) { out.append(0x0D); out.append(0x0A) }
}
