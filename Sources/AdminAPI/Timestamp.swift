import Billing

/// Times on the wire: RFC 3339 strings (`Billing.RFC3339`, the one implementation), and the
/// `from`/`to` query forms the spec accepts (RFC 3339 or whole unix seconds).
enum Timestamp {
    static func format(_ ms: Int64?) -> JSONValue { ms.map { .string(RFC3339.format(ms: $0)) } ?? .null }

    /// RFC 3339, or up to 12 digits of unix seconds; nil when it is neither.
    static func parseQuery(_ text: String) -> Int64? {
        if !text.isEmpty, text.utf8.count <= 12, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let secs = Int64(text) {
            return secs * 1000
        }
        return RFC3339.parse(text)
    }
}
