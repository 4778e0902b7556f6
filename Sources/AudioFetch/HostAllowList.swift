// URL checks for `play`: http/https only, and the host inside the workspace allow-list.
//
// The same check runs on the first URL and on every redirect hop, so an allowed host
// cannot bounce the fetch to a forbidden one. Hosts compare case-insensitively (RFC 3986
// §3.2.2: reg-names are case-insensitive) and without a trailing root dot. An entry
// "*.example.com" matches any subdomain at any depth but not "example.com" itself; list
// both to allow both. IP literals match only exact entries.

import Foundation

/// A per-workspace list of hosts `play` may fetch from.
public struct HostAllowList: Sendable, Equatable {
    /// Exact host names (lower-cased).
    private var exact: Set<String> = []
    /// Suffixes from "*.example.com" entries, kept with their leading dot (".example.com").
    private var suffixes: [String] = []

    /// Builds the list from entries like "prompts.example.com" or "*.example.com".
    public init(_ entries: [String]) {
        for entry in entries {
            let host = Self.normalize(entry)
            if host.hasPrefix("*.") {
                let suffix = String(host.dropFirst())
                if suffix.count > 1 { suffixes.append(suffix) }
            } else if !host.isEmpty {
                exact.insert(host)
            }
        }
    }

    /// True if `host` equals an entry or ends with a wildcard entry's suffix.
    public func allows(_ host: String) -> Bool {
        let host = Self.normalize(host)
        guard !host.isEmpty else { return false }
        if exact.contains(host) { return true }
        return suffixes.contains { host.hasSuffix($0) && host.count > $0.count }
    }

    /// Lower-cased, trimmed, without a trailing root dot.
    static func normalize(_ host: String) -> String {
        var host = host.trimmingCharacters(in: .whitespaces).lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        return host
    }
}

/// Validation of prompt URLs and redirect targets.
enum PromptURL {
    /// Parses `text` (resolved against `base` for relative redirects) and checks the scheme
    /// and the host against `allowList` (nil = any host).
    static func validate(_ text: String, relativeTo base: URL? = nil,
                         allowList: HostAllowList?) -> Result<URL, AudioFetchError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let parsed = URL(string: trimmed, relativeTo: base)?.absoluteURL else {
            return .failure(AudioFetchError(.badURL, "'\(text.prefix(200))' is not a valid URL"))
        }
        let scheme = parsed.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            return .failure(AudioFetchError(.badURL, "'\(text.prefix(200))' is not an http or https URL"))
        }
        guard let host = parsed.host, !host.isEmpty else {
            return .failure(AudioFetchError(.badURL, "'\(text.prefix(200))' has no host"))
        }
        if let allowList, !allowList.allows(host) {
            return .failure(AudioFetchError(.hostNotAllowed, "host '\(host)' is not in this workspace's play allow-list"))
        }
        return .success(parsed)
    }
}
