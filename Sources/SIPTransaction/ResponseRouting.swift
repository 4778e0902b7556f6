import SIPSyntax

/// Where responses go (RFC 3261 §18.2.2 with RFC 3581 symmetric response routing) and the
/// Via stamping that makes it work (§18.2.1, RFC 3581 §4).
extension TransactionLayer {
    /// The address a response to `request` must be sent to, given the packet's source.
    ///
    /// Reliable transports answer on the connection the request came in on (the source).
    /// Otherwise: the `received` IP (or the source IP), and the `rport` value (or the source
    /// port) when the client asked for rport, else the sent-by port (default 5060/5061).
    /// Multicast `maddr` (§18.2.2 bullet 2) is not supported and ignored.
    public static func responseDestination(for request: SIPRequest, from source: TransportAddress) -> TransportAddress {
        guard let via = request.topVia else { return source }
        return responseDestination(via: via, from: source)
    }

    /// `responseDestination(for:from:)` with the top Via already parsed.
    static func responseDestination(via: Via, from source: TransportAddress) -> TransportAddress {
        // §18.2.2: "the response MUST be sent using the existing connection to the source".
        if isReliable(transport: via.transport) { return source }
        var host = source.host
        if let received = via.received, !received.isEmpty { host = received }
        let port: Int
        if via.wantsRport {
            // RFC 3581 §4: send to the source port, which rport records.
            port = via.rport ?? source.port
        } else {
            port = via.port ?? TransactionKey.defaultPort(transport: via.transport)
        }
        return TransportAddress(host: host, port: port)
    }

    /// Whether a Via transport is connection-oriented (no retransmissions, zero wait timers).
    static func isReliable(transport: String) -> Bool {
        switch transport {
        case "TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS": true
        default: false
        }
    }

    /// The top Via with `received`/`rport` filled in, or nil when nothing needs adding.
    ///
    /// §18.2.1: add `received` when the sent-by host is a name or an IP different from the
    /// packet's source. RFC 3581 §4: when the client sent `rport`, set it to the source port
    /// and add `received` even if it equals the sent-by host.
    static func stampedVia(_ via: Via, source: TransportAddress) -> Via? {
        var stamped = via
        let wantsRport = via.wantsRport
        if wantsRport || !sameHost(via.host, source.host) {
            stamped.params.set("received", source.host)
        }
        if wantsRport { stamped.params.set("rport", String(source.port)) }
        return stamped == via ? nil : stamped
    }

    /// The request with its top Via stamped (§18.2.1, RFC 3581 §4); unchanged when not needed.
    static func stamped(_ request: SIPRequest, via: Via, source: TransportAddress) -> SIPRequest {
        guard let v = stampedVia(via, source: source) else { return request }
        var copy = request
        replaceTopVia(of: &copy, with: v)
        return copy
    }

    /// Replaces the top Via element of a request, keeping the other Via elements in order.
    static func replaceTopVia(of request: inout SIPRequest, with via: Via) {
        let raw = request.headers.rawValues("Via")
        let text = via.description
        if raw.count == 1, let only = raw.first {
            // One Via field: rewrite it in place (`set` keeps its position among the headers).
            if !only.utf8.contains(UInt8(ascii: ",")) {
                request.headers.set("Via", text)
            } else {
                var parts = HeaderText.splitList(only)
                guard !parts.isEmpty else { return }
                parts[0] = text
                request.headers.set("Via", parts.joined(separator: ", "))
            }
        } else {
            // Several Via fields: drop the first element, insert the new one before the rest.
            request.headers.removeFirstElement("Via")
            request.headers.prepend("Via", text)
        }
    }

    /// Compares a sent-by host with a source IP: case-insensitive, IPv6 brackets ignored.
    static func sameHost(_ sentBy: String, _ source: String) -> Bool {
        var h = Substring(sentBy)
        if h.hasPrefix("["), h.hasSuffix("]") { h = h.dropFirst().dropLast() }
        return h.utf8.count == source.utf8.count && h.lowercased() == source.lowercased()
    }
}
