/// Header-name normalisation: compact forms (RFC 3261 §7.3.3 and later RFCs) expand to their
/// long form, and well-known names get their conventional capitalisation so that the
/// serializer emits the same spelling whatever the peer sent. Names compare
/// case-insensitively (RFC 3261 §7.3.1), so every field also carries a lower-cased key.
public enum HeaderName {
    /// Compact form (lower-cased, one letter) to long form.
    static let compact: [String: String] = [
        "i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length",
        "c": "Content-Type", "f": "From", "s": "Subject", "k": "Supported", "t": "To",
        "v": "Via", "o": "Event", "r": "Refer-To", "b": "Referred-By", "u": "Allow-Events",
        "x": "Session-Expires", "a": "Accept-Contact", "j": "Reject-Contact",
        "d": "Request-Disposition", "y": "Identity", "n": "Identity-Info",
    ]

    /// Lower-cased long name to the canonical spelling.
    static let canonical: [String: String] = {
        let names = [
            "Accept", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
            "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact",
            "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
            "Content-Type", "CSeq", "Date", "Error-Info", "Event", "Expires", "From",
            "In-Reply-To", "Max-Forwards", "Min-Expires", "Min-SE", "MIME-Version",
            "Organization", "P-Asserted-Identity", "Priority", "Privacy", "Proxy-Authenticate",
            "Proxy-Authorization", "Proxy-Require", "RAck", "Reason", "Record-Route",
            "Refer-To", "Referred-By", "Reply-To", "Require", "Retry-After", "Route", "RSeq",
            "Server", "Session-Expires", "Subject", "Supported", "Timestamp", "To",
            "Unsupported", "User-Agent", "Via", "Warning", "WWW-Authenticate",
        ]
        var table: [String: String] = [:]
        for n in names { table[n.lowercased()] = n }
        return table
    }()

    /// Headers whose values may NOT be split on commas: their grammar allows commas inside a
    /// single value outside quotes (RFC 3261 §7.3.1 lists the auth headers; Date has a comma).
    static let notLists: Set<String> = [
        "www-authenticate", "authorization", "proxy-authenticate", "proxy-authorization",
        "authentication-info", "date", "subject", "user-agent", "server", "organization",
        "call-id", "cseq", "from", "to", "content-length", "content-type", "max-forwards",
        "retry-after", "timestamp", "reason-phrase", "session-expires", "min-se",
    ]

    /// Returns (canonical name, lower-cased key) for a name as written on the wire.
    public static func normalize(_ raw: String) -> (name: String, key: String) {
        let lower = raw.lowercased()
        if lower.utf8.count == 1, let long = compact[lower] {
            return (long, long.lowercased())
        }
        if let canon = canonical[lower] { return (canon, lower) }
        return (raw, lower)
    }

    /// Whether a header of this (lower-cased) name is a comma-separated list.
    public static func isList(_ key: String) -> Bool { !notLists.contains(key) }
}
