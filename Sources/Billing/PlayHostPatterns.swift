import Foundation

/// The `play` host allow-list of a workspace (voice-actions.md §3 `play`: "hosts may be
/// restricted by a per-workspace allow-list"): DNS names (RFC 1035 §2.3.1 letters, digits,
/// hyphens), `*.example.com` for any subdomain, or IP literals. Stored lower-cased, unique.
public enum PlayHostPatterns {
    public static let maxEntries = 50

    /// The list cleaned up (trimmed, lower-cased, duplicates dropped), or `invalid` naming the entry.
    public static func normalize(_ hosts: [String]) throws -> [String] {
        guard hosts.count <= maxEntries else {
            throw StoreError.invalid(field: "play_allowed_hosts", message: "at most \(maxEntries) hosts")
        }
        var out: [String] = []
        for (i, raw) in hosts.enumerated() {
            let h = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard isValid(h) else {
                throw StoreError.invalid(field: "play_allowed_hosts[\(i)]",
                                         message: "a host name such as media.example.com, *.example.com, or an IP address")
            }
            if !out.contains(h) { out.append(h) }
        }
        return out
    }

    static func isValid(_ h: String) -> Bool {
        guard !h.isEmpty, h.utf8.count <= 253 else { return false }
        if h.contains(":") {  // IPv6 literal, with or without brackets
            let inner = h.hasPrefix("[") && h.hasSuffix("]") ? h.dropFirst().dropLast() : Substring(h)
            return !inner.isEmpty && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        let name = h.hasPrefix("*.") ? h.dropFirst(2) : Substring(h)
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
        }
    }
}
