// Freshness and validation rules for cached prompt files (RFC 9111, private cache).
//
// - Lifetime (RFC 9111 §4.2.1): `max-age` wins; else `Expires` − `Date` (or − the time we
//   received the response when `Date` is missing); else 0. We do not use the §4.2.2
//   heuristic (10 % of the Last-Modified age): a customer who replaces a prompt should be
//   heard on the next call, and a 304 round trip is cheap.
// - Age (§4.2.3, simplified): the response's `Age` header plus the time since we got it.
// - `no-store` (§5.2.2.5): never written to disk; `no-cache` (§5.2.2.4): stored but always
//   revalidated; `must-revalidate` (§5.2.2.2): never served stale when the origin fails.
// - Validators (RFC 9110 §8.8): the ETag and Last-Modified are replayed as If-None-Match
//   and If-Modified-Since (§13.1.1, §13.1.3).
// Pure: the current time is always a parameter.

import Foundation

/// The Cache-Control directives a private cache of prompts acts on.
struct CacheDirectives: Equatable {
    /// `max-age` in seconds (RFC 9111 §5.2.2.1).
    var maxAge: Int?
    /// `no-store`.
    var noStore = false
    /// `no-cache` (the field-name form is treated like the bare directive).
    var noCache = false
    /// `must-revalidate` or `proxy-revalidate`.
    var mustRevalidate = false

    /// Parses every Cache-Control header value (comma-separated, case-insensitive names,
    /// quoted or token arguments; RFC 9111 §5.2). Unknown directives are ignored.
    init(_ values: [String]) {
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard let rawName = parts.first else { continue }
                let name = rawName.trimmingCharacters(in: .whitespaces).lowercased()
                var argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                if argument.hasPrefix("\""), argument.hasSuffix("\""), argument.count >= 2 {
                    argument = String(argument.dropFirst().dropLast())
                }
                switch name {
                case "max-age":
                    // §1.2.2: a delta-seconds too large to represent counts as 2^31.
                    if let seconds = Int(argument.prefix(12)), seconds >= 0, maxAge == nil {
                        maxAge = min(seconds, 2_147_483_648)
                    } else if maxAge == nil {
                        maxAge = 0  // §4.2.1: an invalid max-age makes the response stale
                    }
                case "no-store": noStore = true
                case "no-cache": noCache = true
                case "must-revalidate", "proxy-revalidate": mustRevalidate = true
                default: continue
                }
            }
        }
    }
}

/// What we remember about a cached body, stored next to it on disk.
struct CacheMetadata: Codable, Equatable, Sendable {
    /// The prompt URL as requested (guards against key collisions).
    var url: String
    /// Strong or weak entity tag, verbatim (quotes included).
    var etag: String?
    /// Last-Modified value, verbatim.
    var lastModified: String?
    /// When the response was received, seconds since 1970.
    var fetchedAt: Double
    /// Age the origin reported (`Age` header) when we received it.
    var initialAge: Double
    /// Freshness lifetime in seconds.
    var lifetime: Double
    /// `must-revalidate`: never serve stale.
    var mustRevalidate: Bool
    /// Body length, checked on load.
    var bodyLength: Int

    /// True while the entry may be served without contacting the origin.
    func isFresh(now: Double) -> Bool {
        (now - fetchedAt) + initialAge < lifetime
    }

    /// True if a conditional request is possible.
    var hasValidators: Bool { etag != nil || lastModified != nil }

    /// Request headers that revalidate this entry (RFC 9110 §13.1.1 / §13.1.3).
    var conditionalHeaders: [(String, String)] {
        var headers: [(String, String)] = []
        if let etag { headers.append(("If-None-Match", etag)) }
        if let lastModified { headers.append(("If-Modified-Since", lastModified)) }
        return headers
    }

    /// Metadata for a 200 response, or nil when it must not be stored (`no-store`).
    static func make(url: String, headers: [(String, String)], now: Double, bodyLength: Int) -> CacheMetadata? {
        let directives = CacheDirectives(values(headers, "cache-control"))
        if directives.noStore { return nil }
        return CacheMetadata(url: url, etag: values(headers, "etag").first, lastModified: values(headers, "last-modified").first,
                             fetchedAt: now, initialAge: age(headers), lifetime: lifetime(directives, headers, now: now),
                             mustRevalidate: directives.mustRevalidate, bodyLength: bodyLength)
    }

    /// This entry after a 304: fresh again from `now`, with any updated validators and
    /// lifetime the 304 carries (RFC 9111 §4.3.4: stored headers are updated). Nil if the
    /// 304 says `no-store`.
    func refreshed(by headers: [(String, String)], now: Double) -> CacheMetadata? {
        let directives = CacheDirectives(Self.values(headers, "cache-control"))
        if directives.noStore { return nil }
        var copy = self
        copy.fetchedAt = now
        copy.initialAge = Self.age(headers)
        if let etag = Self.values(headers, "etag").first { copy.etag = etag }
        if let modified = Self.values(headers, "last-modified").first { copy.lastModified = modified }
        if !Self.values(headers, "cache-control").isEmpty || !Self.values(headers, "expires").isEmpty {
            copy.lifetime = Self.lifetime(directives, headers, now: now)
            copy.mustRevalidate = directives.mustRevalidate
        }
        return copy
    }

    /// RFC 9111 §4.2.1 freshness lifetime.
    static func lifetime(_ directives: CacheDirectives, _ headers: [(String, String)], now: Double) -> Double {
        if directives.noCache { return 0 }
        if let maxAge = directives.maxAge { return Double(maxAge) }
        if let expiresText = values(headers, "expires").first {
            // §5.3: an invalid Expires (e.g. "0") means already expired.
            guard let expires = HTTPDate.parse(expiresText) else { return 0 }
            let date = values(headers, "date").first.flatMap(HTTPDate.parse) ?? now
            return max(0, expires - date)
        }
        return 0
    }

    /// The `Age` header in seconds (0 when absent or invalid).
    static func age(_ headers: [(String, String)]) -> Double {
        values(headers, "age").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { Double(max(0, $0)) } ?? 0
    }

    /// Values of header `name` (lower-case), trimmed, in order.
    static func values(_ headers: [(String, String)], _ name: String) -> [String] {
        headers.compactMap { $0.0.lowercased() == name ? $0.1.trimmingCharacters(in: .whitespaces) : nil }
    }
}

/// RFC 9110 §5.6.7 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the only form senders
/// may generate; the obsolete RFC 850 / asctime forms are treated as invalid.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970 for an IMF-fixdate, or nil.
    static func parse(_ text: String) -> Double? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[5] == "GMT", fields[0].count == 4,
              let day = Int(fields[1]), (1...31).contains(day),
              let month = months.firstIndex(of: fields[2].lowercased()),
              let year = Int(fields[3]), year >= 1970, year < 10_000 else { return nil }
        let clock = fields[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
