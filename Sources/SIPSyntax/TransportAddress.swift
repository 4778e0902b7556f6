/// Where a datagram came from or goes to: a numeric IP literal (IPv4 dotted quad or IPv6
/// without brackets) and a port. Pure value; NetIO converts it to and from sockaddr.
public struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        // Brackets belong to URI syntax, not to the address itself.
        if host.hasPrefix("["), host.hasSuffix("]") {
            self.host = String(host.dropFirst().dropLast())
        } else {
            self.host = host
        }
        self.port = port
    }

    public var isIPv6: Bool { host.utf8.contains(UInt8(ascii: ":")) }

    /// The host as it is written inside a URI or Via (`[::1]` for IPv6).
    public var uriHost: String { isIPv6 ? "[\(host)]" : host }

    public var description: String { "\(uriHost):\(port)" }
}
