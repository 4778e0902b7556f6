import SIPSyntax

/// Finds one part of a multipart body (RFC 2046 §5.1), e.g. the SDP next to ISUP in SIP-I
/// (RFC 3204). The message body itself is passed through untouched; this only reads it.
enum MultipartBody {
    /// The bytes of the first part whose Content-Type starts with `type`, or nil.
    static func part(ofType type: String, contentType: String, body: [UInt8]) -> [UInt8]? {
        guard let semi = contentType.firstIndex(of: ";") else { return nil }
        let params = HeaderText.parseParams(contentType[contentType.index(after: semi)...])
        guard let boundary = params.value("boundary"), !boundary.isEmpty, boundary.utf8.count <= 70 else { return nil }
        let delimiter = Array(("--" + boundary).utf8)
        var starts: [Int] = []
        var i = 0
        // Delimiters start a line: at offset 0 or after LF.
        while i + delimiter.count <= body.count {
            if (i == 0 || body[i - 1] == 0x0A), body[i..<(i + delimiter.count)].elementsEqual(delimiter) {
                starts.append(i)
                i += delimiter.count
            } else {
                i += 1
            }
        }
        guard starts.count >= 2 else { return nil }
        for (n, start) in starts.dropLast().enumerated() {
            var p = start + delimiter.count
            // Skip the rest of the delimiter line.
            while p < body.count, body[p] != 0x0A { p += 1 }
            p += 1
            var end = starts[n + 1]
            // The CRLF before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            if end > p, body[end - 1] == 0x0A { end -= 1 }
            if end > p, body[end - 1] == 0x0D { end -= 1 }
            guard p < end else { continue }
            let part = Array(body[p..<end])
            // Part headers end at the first empty line.
            guard let (headerEnd, bodyStart) = blankLine(in: part) else { continue }
            let headerText = String(decoding: part[0..<headerEnd], as: UTF8.self).lowercased()
            let partType = headerText.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .first { $0.hasPrefix("content-type:") }
                .map { HeaderText.trim($0.dropFirst("content-type:".count)) } ?? "text/plain"
            if partType.hasPrefix(type) { return Array(part[bodyStart...]) }
        }
        return nil
    }

    private static func blankLine(in p: [UInt8]) -> (Int, Int)? {
        var i = 0
        while i < p.count {
            if p[i] == 0x0A {
                if i + 1 < p.count, p[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < p.count, p[i + 1] == 0x0D, p[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }
}
