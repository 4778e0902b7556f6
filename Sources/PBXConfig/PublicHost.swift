/// The host the PBX advertises in Contact, Via and SDP `c=` when it listens on a wildcard.
///
/// Unlike listen addresses this may be a DNS name: RFC 3261 §19.1.1 allows a hostname in
/// SIP URIs and RFC 4566 §5.7 allows an FQDN in `c=` (though IP literals work with more peers).
public struct PublicHost: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// What kind of host this is.
    public enum Kind: Sendable, Equatable, Hashable {
        /// IPv4 literal.
        case ipv4
        /// IPv6 literal (stored without brackets).
        case ipv6
        /// DNS hostname (RFC 1123 §2.1 letters, digits, hyphens, dots).
        case domainName
    }

    /// The host: canonical IP literal (IPv6 without brackets) or a lowercase DNS name.
    public let host: String
    /// IPv4, IPv6 or DNS name.
    public let kind: Kind

    /// Parses an IP literal ("203.0.113.7", "2001:db8::7" or "[2001:db8::7]") or a hostname.
    public init?(_ text: String) {
        var literal = Substring(text)
        if literal.hasPrefix("[") && literal.hasSuffix("]") && literal.count > 2 {
            literal = literal.dropFirst().dropLast()
            guard let (canonical, family) = canonicalIP(String(literal)), family == .ipv6 else { return nil }
            self.host = canonical
            self.kind = .ipv6
            return
        }
        if let (canonical, family) = canonicalIP(text) {
            self.host = canonical
            self.kind = family == .ipv4 ? .ipv4 : .ipv6
            return
        }
        guard isHostname(text) else { return nil }
        // DNS names compare case-insensitively (RFC 4343); store one spelling.
        self.host = text.lowercased()
        self.kind = .domainName
    }

    /// The host as written in a SIP URI or Via sent-by: IPv6 in brackets (RFC 3261 §25.1).
    public var uriHost: String { kind == .ipv6 ? "[\(host)]" : host }

    /// The host as written in an SDP `c=`/`o=` line (RFC 4566 §5.7: IPv6 without brackets).
    public var sdpAddress: String { host }

    /// The SDP address type: "IP4" or "IP6"; DNS names use "IP4" unless the operator
    /// knows better (RFC 4566 §5.7 leaves the family of an FQDN to the address type).
    public var sdpAddressType: String { kind == .ipv6 ? "IP6" : "IP4" }

    /// The host as configured, IPv6 in brackets.
    public var description: String { uriHost }
}

/// RFC 1123 §2.1 hostname: dot-separated labels of letters, digits and inner hyphens,
/// each 1-63 bytes, 253 bytes in all; an optional trailing dot is not accepted (URIs omit it).
private func isHostname(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= 253 else { return false }
    var labelLength = 0
    var previous: UInt8 = UInt8(ascii: ".")
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "."):
            guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
            labelLength = 0
        case UInt8(ascii: "-"):
            guard labelLength > 0 else { return false }
            labelLength += 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            labelLength += 1
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            labelLength += 1
        default:
            return false
        }
        guard labelLength <= 63 else { return false }
        previous = byte
    }
    guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
    // RFC 3261 §25.1: the toplabel starts with a letter; this also rejects typo'd IPv4 such
    // as "10.0.0.300" instead of taking it for a name.
    let topLabelStart = bytes.count - labelLength
    let first = bytes[topLabelStart] | 0x20
    return first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")
}
