/// Parses one SIP message from a datagram (RFC 3261 §7, framing per §18.3 for UDP).
///
/// The parser is syntactic and bounded: it never traps on hostile input, rejects oversize
/// messages, and reports what it could recover so the caller can still answer 400.
public struct SIPParser: Sendable {
    /// Largest datagram accepted (RFC 3261 §18.1.1 allows up to 65,535 on UDP).
    public var maxMessageBytes: Int
    /// Upper bound on header fields, so a message cannot make us allocate without limit.
    public var maxHeaders: Int

    public init(maxMessageBytes: Int = 65535, maxHeaders: Int = 256) {
        self.maxMessageBytes = maxMessageBytes
        self.maxHeaders = maxHeaders
    }

    public func parse(_ data: [UInt8]) -> Result<SIPMessage, SIPParseFailure> {
        data.withUnsafeBufferPointer { parse(UnsafeRawBufferPointer($0)) }
    }

    public func parse(_ text: String) -> Result<SIPMessage, SIPParseFailure> {
        parse(Array(text.utf8))
    }

    public func parse(_ buf: UnsafeRawBufferPointer) -> Result<SIPMessage, SIPParseFailure> {
        func fail(_ kind: SIPParseError.Kind, _ reason: String, request: Bool = false,
                  headers: SIPHeaders? = nil, method: SIPMethod? = nil) -> Result<SIPMessage, SIPParseFailure> {
            .failure(SIPParseFailure(error: SIPParseError(kind, reason), isRequest: request, headers: headers, method: method))
        }
        let n = buf.count
        guard n <= maxMessageBytes else { return fail(.tooLarge, "message of \(n) bytes exceeds \(maxMessageBytes)") }
        var pos = 0
        // RFC 3261 §7.5: implementations SHOULD ignore CRLFs before the start line (keep-alives).
        while pos < n, buf[pos] == 0x0D || buf[pos] == 0x0A { pos += 1 }
        guard pos < n else { return fail(.empty, "empty message") }

        // Reads one line [start, end) and moves past its LF; CR before LF is stripped. Scans
        // with a local index: touching the captured `pos` per byte costs a dynamic
        // exclusivity check each time, in release builds too.
        // `bareCR` says whether a CR is left inside [start, end).
        func nextLine() -> (Int, Int, bareCR: Bool)? {
            var p = pos
            guard p < n else { return nil }
            let start = p
            var crs = 0
            while p < n {
                let b = buf[p]
                if b == 0x0A { break }
                if b == 0x0D { crs += 1 }
                p += 1
            }
            var end = p
            if p < n { p += 1 }
            if end > start, buf[end - 1] == 0x0D { end -= 1; crs -= 1 }
            pos = p
            return (start, end, crs > 0)
        }
        func text(_ r: (Int, Int, bareCR: Bool)) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: buf[r.0..<r.1]), as: UTF8.self)
        }

        guard let startLine = nextLine() else { return fail(.empty, "empty message") }
        let isResponse = startLine.1 - startLine.0 >= 4 && buf[startLine.0] == 0x53 && buf[startLine.0 + 1] == 0x49
            && buf[startLine.0 + 2] == 0x50 && buf[startLine.0 + 3] == 0x2F // "SIP/"

        // Header section, with folding (RFC 3261 §7.3.1: a line starting with SP/HT continues).
        var headers = SIPHeaders()
        var pendingName: String?
        var pendingValue: [UInt8] = []
        var pendingHasCR = false
        var headerError: SIPParseError?
        var sawBlankLine = false
        func flush() {
            if let name = pendingName {
                // A bare CR inside a line is not SIP (§25.1) and some peers end lines on it; as
                // SP it can never become a line break in a message we forward or answer.
                var value = pendingValue
                if pendingHasCR {
                    for i in value.indices where value[i] == 0x0D { value[i] = 0x20 }
                }
                headers.append(SIPHeaderField(name: name, value: HeaderText.trim(String(decoding: value, as: UTF8.self))))
                pendingName = nil
            }
        }
        while let line = nextLine() {
            if line.0 == line.1 { sawBlankLine = true; break }
            let first = buf[line.0]
            if first == 0x20 || first == 0x09 {
                guard pendingName != nil else {
                    headerError = headerError ?? SIPParseError(.badHeader, "continuation line before any header")
                    continue
                }
                pendingValue.append(0x20)
                pendingValue.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[line.0..<line.1]))
                pendingHasCR = pendingHasCR || line.bareCR
                continue
            }
            flush()
            if headers.count >= maxHeaders {
                return fail(.tooManyHeaders, "more than \(maxHeaders) header fields", request: !isResponse, headers: headers)
            }
            var colon = line.0
            while colon < line.1, buf[colon] != 0x3A { colon += 1 }
            var nameEnd = colon
            while nameEnd > line.0, buf[nameEnd - 1] == 0x20 || buf[nameEnd - 1] == 0x09 { nameEnd -= 1 }
            let nameOK = colon < line.1 && nameEnd > line.0
                && UnsafeRawBufferPointer(rebasing: buf[line.0..<nameEnd]).allSatisfy(HeaderText.isTokenByte)
            guard nameOK else {
                headerError = headerError ?? SIPParseError(.badHeader, "malformed header line '\(text(line).prefix(60))'")
                continue
            }
            pendingName = text((line.0, nameEnd, false))
            pendingValue = Array(UnsafeRawBufferPointer(rebasing: buf[(colon + 1)..<line.1]))
            pendingHasCR = line.bareCR
        }
        flush()

        // Start line. A bare CR in it (after the one before LF was stripped) is rejected so
        // that no reason phrase, URI or version we keep can carry a line break (§7.1, §7.2).
        let sl = text(startLine)
        if startLine.bareCR {
            return fail(.badStartLine, "bare CR in start line", request: !isResponse, headers: isResponse ? nil : headers)
        }
        var request: (SIPMethod, SIPURI, String)?
        var response: (Int, String, String)?
        if isResponse {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
            let parts = sl.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[1].utf8.count == 3, parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let code = Int(parts[1]), code >= 100, code <= 699 else {
                return fail(.badStartLine, "malformed status line '\(sl.prefix(80))'")
            }
            response = (code, parts.count > 2 ? String(parts[2]) : "", String(parts[0]))
        } else {
            // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly single spaces.
            let parts = sl.split(separator: " ", omittingEmptySubsequences: false)
            let methodToken = parts.first.map(String.init) ?? ""
            let method: SIPMethod? = HeaderText.isToken(methodToken) ? SIPMethod(methodToken) : nil
            guard parts.count == 3, let m = method, !parts[1].isEmpty else {
                return fail(.badStartLine, "malformed request line '\(sl.prefix(80))'", request: true, headers: headers, method: method)
            }
            let version = String(parts[2])
            guard version.uppercased().hasPrefix("SIP/"), version.utf8.count <= 16 else {
                return fail(.badStartLine, "malformed SIP version '\(version.prefix(20))'", request: true, headers: headers, method: m)
            }
            let uri: SIPURI
            do { uri = try SIPURI.parse(parts[1]) } catch {
                return fail(.badURI, "Request-URI: \(error.reason)", request: true, headers: headers, method: m)
            }
            request = (m, uri, version)
        }
        if let e = headerError {
            return fail(e.kind, e.reason, request: request != nil, headers: headers, method: request?.0)
        }

        // Body framing (§18.3): Content-Length is authoritative; extra bytes are discarded,
        // missing bytes make the message invalid. Without Content-Length on UDP the body
        // runs to the end of the datagram.
        let available = sawBlankLine ? n - pos : 0
        var bodyLength = available
        let lengths = headers.rawValues("Content-Length")
        // 1*DIGIT, at most 9 digits so the value always fits; repeated fields must agree in
        // value (`0004` and `4` do), otherwise framing is ambiguous (RFC 4475 §3.3.9).
        func length(_ v: String) -> Int? {
            let t = HeaderText.trim(v)
            guard !t.isEmpty, t.utf8.count <= 9, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int(t)
        }
        if let first = lengths.first {
            guard let cl = length(first) else {
                return fail(.badContentLength, "Content-Length '\(first.prefix(20))' is not a number", request: request != nil, headers: headers, method: request?.0)
            }
            guard lengths.allSatisfy({ length($0) == cl }) else {
                return fail(.badContentLength, "conflicting Content-Length headers", request: request != nil, headers: headers, method: request?.0)
            }
            guard cl <= available else {
                return fail(.truncatedBody, "Content-Length \(cl) exceeds the \(available) body bytes received", request: request != nil, headers: headers, method: request?.0)
            }
            bodyLength = cl
        }
        let body = bodyLength > 0 ? Array(UnsafeRawBufferPointer(rebasing: buf[pos..<(pos + bodyLength)])) : []
        // Leave exactly one Content-Length, equal to the body kept, where the first one was
        // (or last when absent): `0150` and repeated equal fields become `150`, so the model
        // says what the serializer will write and parse(serialize(m)) == m (§20.14).
        headers.set("Content-Length", String(bodyLength))

        if let (m, uri, v) = request {
            return .success(.request(SIPRequest(method: m, uri: uri, version: v, headers: headers, body: body)))
        }
        let (code, reason, v) = response!
        return .success(.response(SIPResponse(statusCode: code, reason: reason, version: v, headers: headers, body: body)))
    }
}
