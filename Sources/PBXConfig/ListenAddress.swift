#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The address family of an IP literal.
public enum IPFamily: Sendable, Equatable, Hashable {
    /// An IPv4 dotted-quad literal.
    case ipv4
    /// An IPv6 literal (written in brackets in host:port form).
    case ipv6
}

/// An IP literal and port to bind, parsed from "host:port" or "[v6host]:port".
///
/// Hosts must be IP literals, not names: a daemon should not depend on DNS to start, and a
/// name could resolve to several addresses. The host is stored in canonical form (as
/// `inet_ntop` prints it), so "0:0:0:0:0:0:0:1" and "::1" compare equal.
public struct ListenAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Canonical IP literal, IPv6 without brackets.
    public let host: String
    /// Port, 1-65535.
    public let port: UInt16
    /// Whether the host is IPv4 or IPv6.
    public let family: IPFamily

    /// Parses "host:port"; returns a reason when the text is not a valid listen address.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        let hostText: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            // RFC 3986 §3.2.2: an IPv6 literal in an authority is enclosed in brackets.
            guard let close = text.firstIndex(of: "]") else { return .failure(.unclosedBracket) }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(.missingPort) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.missingPort) }
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
            if hostText.contains(":") { return .failure(.unbracketedIPv6) }
        }
        // The port is checked first: "abc:99999" is reported for its port, the likelier slip.
        guard let port = parsePort(portText) else { return .failure(.badPort) }
        guard let (canonical, family) = canonicalIP(String(hostText)) else {
            return .failure(.notAnIPLiteral)
        }
        if text.hasPrefix("[") && family == .ipv4 { return .failure(.notAnIPLiteral) }
        return .success(ListenAddress(canonicalHost: canonical, port: port, family: family))
    }

    /// Creates an address from parts already known to be valid (host must be an IP literal).
    public init?(host: String, port: UInt16) {
        guard port > 0, let (canonical, family) = canonicalIP(host) else { return nil }
        self.host = canonical
        self.port = port
        self.family = family
    }

    /// For hosts already in canonical form (defaults and parse results).
    init(canonicalHost host: String, port: UInt16, family: IPFamily) {
        self.host = host
        self.port = port
        self.family = family
    }

    /// Whether this is the any-address (0.0.0.0 or ::), which needs a public address for SIP/SDP.
    public var isWildcard: Bool { host == "0.0.0.0" || host == "::" }

    /// "host:port", with brackets around IPv6 hosts.
    public var description: String {
        family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Why a string is not a valid listen address.
public enum ListenAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No ":port" after the host.
    case missingPort
    /// Port not a decimal number in 1-65535.
    case badPort
    /// Host is not an IPv4 or IPv6 literal.
    case notAnIPLiteral
    /// An IPv6 host without brackets, so the port cannot be told apart.
    case unbracketedIPv6
    /// "[" without "]".
    case unclosedBracket

    /// The reason, as shown in parentheses after `is not host:port`.
    public var description: String {
        switch self {
        case .missingPort: return "missing :port"
        case .badPort: return "port must be 1-65535"
        case .notAnIPLiteral: return "host must be an IPv4 or IPv6 address literal"
        case .unbracketedIPv6: return "write IPv6 hosts in brackets, e.g. [::1]:5060"
        case .unclosedBracket: return "missing ] after IPv6 host"
        }
    }
}

/// A decimal port 1-65535 (no sign, no spaces).
func parsePort(_ text: Substring) -> UInt16? {
    guard !text.isEmpty, text.utf8.count <= 5 else { return nil }
    var value = 0
    for byte in text.utf8 {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    guard (1...65535).contains(value) else { return nil }
    return UInt16(value)
}

/// Validates an IP literal with inet_pton and returns it as inet_ntop prints it.
func canonicalIP(_ text: String) -> (String, IPFamily)? {
    // inet_pton accepts no zone ids ("fe80::1%eth0"); that is fine for listen addresses.
    guard !text.isEmpty, !text.utf8.contains(0) else { return nil }
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
        return ntop(AF_INET, &v4).map { ($0, .ipv4) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
        return ntop(AF_INET6, &v6).map { ($0, .ipv6) }
    }
    return nil
}

private func ntop<T>(_ family: Int32, _ address: inout T) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let ok = withUnsafePointer(to: &address) { pointer in
        inet_ntop(family, pointer, &buffer, socklen_t(buffer.count)) != nil
    }
    guard ok else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
