/// Field-level parsers for the structured line types (o, c, b, t, m, a).
extension SDPParser {
    /// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (RFC 4566 §5.2).
    static func origin(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) -> SDPOrigin {
        let f = ASCII.fields(value)
        guard f.count == 6 else {
            throw .badOrigin(line: n, detail: "expected 6 fields '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>', found \(f.count)")
        }
        guard ASCII.isNonWhitespace(f[0]) else { throw .badOrigin(line: n, detail: "username has control characters") }
        let id = try number(f[1], "sess-id", n) { .badOrigin(line: n, detail: $0) }
        let version = try number(f[2], "sess-version", n) { .badOrigin(line: n, detail: $0) }
        guard ASCII.isToken(f[3]) else { throw .badOrigin(line: n, detail: "nettype '\(ASCII.string(f[3]))' is not a token") }
        guard ASCII.isToken(f[4]) else { throw .badOrigin(line: n, detail: "addrtype '\(ASCII.string(f[4]))' is not a token") }
        guard ASCII.isNonWhitespace(f[5]) else { throw .badOrigin(line: n, detail: "address has control characters") }
        return SDPOrigin(username: ASCII.string(f[0]), sessionID: id, sessionVersion: version,
                         netType: ASCII.string(f[3]), addrType: ASCII.string(f[4]), address: ASCII.string(f[5]))
    }

    /// `c=<nettype> <addrtype> <connection-address>` (RFC 4566 §5.7).
    static func connection(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) -> SDPConnection {
        let f = ASCII.fields(value)
        guard f.count == 3 else {
            throw .badConnection(line: n, detail: "expected 3 fields '<nettype> <addrtype> <address>', found \(f.count)")
        }
        guard ASCII.isToken(f[0]) else { throw .badConnection(line: n, detail: "nettype '\(ASCII.string(f[0]))' is not a token") }
        guard ASCII.isToken(f[1]) else { throw .badConnection(line: n, detail: "addrtype '\(ASCII.string(f[1]))' is not a token") }
        guard ASCII.isNonWhitespace(f[2]) else { throw .badConnection(line: n, detail: "address has control characters") }
        return SDPConnection(netType: ASCII.string(f[0]), addrType: ASCII.string(f[1]), address: ASCII.string(f[2]))
    }

    /// `b=<bwtype>:<bandwidth>` (RFC 4566 §5.8).
    static func bandwidth(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) -> SDPBandwidth {
        guard let colon = value.firstIndex(of: ASCII.colon) else {
            throw .badBandwidth(line: n, detail: "expected '<bwtype>:<bandwidth>'")
        }
        let type = value[value.startIndex..<colon]
        guard ASCII.isToken(type) else {
            throw .badBandwidth(line: n, detail: "bandwidth type '\(ASCII.string(type))' is not a token")
        }
        let amount = try number(value[(colon + 1)...], "bandwidth", n) { .badBandwidth(line: n, detail: $0) }
        return SDPBandwidth(type: ASCII.string(type), value: amount)
    }

    /// `t=<start-time> <stop-time>` (RFC 4566 §5.9).
    static func timing(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) -> SDPTiming {
        let f = ASCII.fields(value)
        guard f.count == 2 else {
            throw .badTiming(line: n, detail: "expected 't=<start-time> <stop-time>', found \(f.count) fields")
        }
        let start = try number(f[0], "start time", n) { .badTiming(line: n, detail: $0) }
        let stop = try number(f[1], "stop time", n) { .badTiming(line: n, detail: $0) }
        return SDPTiming(start: start, stop: stop)
    }

    /// `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` (RFC 4566 §5.14).
    static func media(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) -> MediaDescription {
        let f = ASCII.fields(value)
        guard f.count >= 4 else {
            let detail = f.count == 3
                ? "no formats after the protocol; at least one is required"
                : "expected '<media> <port> <proto> <format> ...', found \(f.count) fields"
            throw .badMedia(line: n, detail: detail)
        }
        guard ASCII.isToken(f[0]) else { throw .badMedia(line: n, detail: "media type '\(ASCII.string(f[0]))' is not a token") }
        let portField = f[1]
        let slash = portField.firstIndex(of: ASCII.slash)
        let portBytes = portField[portField.startIndex..<(slash ?? portField.endIndex)]
        guard let port = ASCII.parseInt(portBytes, in: 0...65535) else {
            throw .badMedia(line: n, detail: "port '\(ASCII.string(portBytes))' is not a number in 0-65535")
        }
        var portCount: Int? = nil
        if let slash {
            let countBytes = portField[(slash + 1)...]
            guard let c = ASCII.parseInt(countBytes, in: 1...65535) else {
                throw .badMedia(line: n, detail: "number of ports '\(ASCII.string(countBytes))' is not a number in 1-65535")
            }
            portCount = c
        }
        let protoParts = f[2].split(separator: ASCII.slash, omittingEmptySubsequences: false)
        guard protoParts.allSatisfy({ ASCII.isToken($0) }) else {
            throw .badMedia(line: n, detail: "protocol '\(ASCII.string(f[2]))' is not a '/'-separated list of tokens")
        }
        let proto = ASCII.string(f[2])
        let rtp = MediaDescription.isRTPProto(proto)
        var formats: [String] = []
        formats.reserveCapacity(f.count - 3)
        for format in f[3...] {
            if rtp {
                // RFC 3551 §6 / RFC 4566 §5.14: RTP formats are payload type numbers 0-127.
                guard format.allSatisfy({ $0 >= ASCII.zero && $0 <= ASCII.nine }) else {
                    throw .badMedia(line: n, detail: "format '\(ASCII.string(format))' is not a payload type number for \(proto)")
                }
                guard ASCII.parseInt(format, in: 0...127) != nil else {
                    throw .badMedia(line: n, detail: "payload type \(ASCII.string(format)) is out of range 0-127")
                }
            } else {
                guard ASCII.isNonWhitespace(format) else {
                    throw .badMedia(line: n, detail: "format has control characters")
                }
            }
            formats.append(ASCII.string(format))
        }
        return MediaDescription(media: ASCII.string(f[0]), port: UInt16(port), portCount: portCount,
                                proto: proto, formats: formats)
    }

    /// `a=<attribute>` or `a=<attribute>:<value>` (RFC 4566 §5.13).
    static func attribute(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) -> SDPAttribute {
        let colon = value.firstIndex(of: ASCII.colon)
        let name = value[value.startIndex..<(colon ?? value.endIndex)]
        guard ASCII.isToken(name) else {
            throw .badAttribute(line: n, detail: name.isEmpty
                ? "attribute name is empty"
                : "attribute name '\(ASCII.string(name))' is not a token")
        }
        return SDPAttribute(ASCII.string(name), colon.map { ASCII.string(value[($0 + 1)...]) })
    }

    /// A decimal field that must fit UInt64; `fail` builds the line-specific error.
    static func number(_ bytes: ArraySlice<UInt8>, _ what: String, _ n: Int,
                       _ fail: (String) -> SDPError) throws(SDPError) -> UInt64 {
        if let v = ASCII.parseUInt64(bytes) { return v }
        let digitsOnly = !bytes.isEmpty && bytes.allSatisfy { $0 >= ASCII.zero && $0 <= ASCII.nine }
        throw fail(digitsOnly
            ? "\(what) \(ASCII.string(bytes.prefix(40))) is larger than \(UInt64.max)"
            : "\(what) '\(ASCII.string(bytes.prefix(40)))' is not an unsigned decimal number")
    }
}
