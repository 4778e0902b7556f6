/// RFC 4566 §5 serialization: fixed line order, CRLF endings.
extension SessionDescription {
    /// The description as SDP text with CRLF line endings, lines in RFC 4566 §5 order.
    public func serialize() -> String {
        var out = ""
        out.reserveCapacity(256 + media.count * 256)
        line(&out, "v", String(version))
        line(&out, "o", "\(origin.username) \(origin.sessionID) \(origin.sessionVersion) \(origin.netType) \(origin.addrType) \(origin.address)")
        line(&out, "s", sessionName)
        if let info { line(&out, "i", info) }
        if let uri { line(&out, "u", uri) }
        for email in emails { line(&out, "e", email) }
        for phone in phones { line(&out, "p", phone) }
        if let connection { line(&out, "c", connection) }
        for bandwidth in bandwidths { line(&out, "b", bandwidth) }
        for time in times {
            line(&out, "t", "\(time.start) \(time.stop)")
            for r in time.repeats { line(&out, "r", r) }
        }
        if let timeZones { line(&out, "z", timeZones) }
        if let encryptionKey { line(&out, "k", encryptionKey) }
        for attribute in attributes { line(&out, attribute) }
        for m in media { m.serialize(into: &out) }
        return out
    }

    /// The serialized description as UTF-8 bytes, ready for a SIP body.
    public func bytes() -> [UInt8] {
        Array(serialize().utf8)
    }
}

extension MediaDescription {
    /// This section as SDP text with CRLF endings (m=, i=, c=, b=, k=, a= in RFC 4566 §5 order).
    public func serialize() -> String {
        var out = ""
        serialize(into: &out)
        return out
    }

    /// Appends this section to `out`.
    func serialize(into out: inout String) {
        out += "m=\(media) \(port)"
        if let portCount { out += "/\(portCount)" }
        out += " \(proto)"
        for format in formats { out += " \(format)" }
        out += "\r\n"
        if let info { line(&out, "i", info) }
        if let connection { line(&out, "c", connection) }
        for bandwidth in bandwidths { line(&out, "b", bandwidth) }
        if let encryptionKey { line(&out, "k", encryptionKey) }
        for attribute in attributes { line(&out, attribute) }
    }
}

extension SDPConnection: CustomStringConvertible {
    /// The c= value, e.g. `IN IP4 192.0.2.1`.
    public var description: String { "\(netType) \(addrType) \(address)" }
}

extension SDPBandwidth: CustomStringConvertible {
    /// The b= value, e.g. `AS:64`.
    public var description: String { "\(type):\(value)" }
}

extension SDPAttribute: CustomStringConvertible {
    /// The a= value, e.g. `rtpmap:0 PCMU/8000` or `sendrecv`.
    public var description: String {
        guard let value else { return name }
        return "\(name):\(value)"
    }
}

@inline(__always)
private func line(_ out: inout String, _ type: String, _ value: String) {
    out += type
    out += "="
    out += value
    out += "\r\n"
}

@inline(__always)
private func line(_ out: inout String, _ type: String, _ value: some CustomStringConvertible) {
    line(&out, type, value.description)
}

@inline(__always)
private func line(_ out: inout String, _ attribute: SDPAttribute) {
    out += "a="
    out += attribute.name
    if let value = attribute.value {
        out += ":"
        out += value
    }
    out += "\r\n"
}
