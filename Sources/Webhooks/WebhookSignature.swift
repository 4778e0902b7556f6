import Crypto

/// Signs and verifies the `X-Sautikit-Signature` header of outbound HTTP callbacks.
///
/// Format (spec/voice-actions.md §1): `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
/// During a secret rotation the header carries one `v1=` per secret, current first, so a
/// receiver holding either secret accepts it (the same scheme Stripe uses). Nothing here is
/// specific to one kind of callback: webhooks and voice callbacks both use it.
public enum WebhookSignature {
    /// The HTTP header that carries the signature.
    public static let headerName = "X-Sautikit-Signature"
    /// Default maximum distance between `t` and the receiver's clock, in seconds (spec: 5 min).
    public static let defaultTolerance: Int64 = 300

    /// Headers longer than this are rejected unread; a real one is under 150 bytes per secret.
    static let maxHeaderBytes = 4096
    /// At most this many `v1=` entries are considered; more can only be an attack or a bug.
    static let maxSignatures = 8
    /// `t` has at most 12 digits (year 33658), so parsing can never overflow Int64.
    static let maxTimestampDigits = 12
    /// A hex-encoded SHA-256 HMAC is 32 bytes = 64 hex digits.
    static let macByteCount = 32

    /// The header value for `body` signed at `timestamp` (unix seconds) with each of `secrets`, in order.
    public static func header(body: [UInt8], secrets: [String], timestamp: Int64) -> String {
        var value = "t="
        value.reserveCapacity(24 + secrets.count * 68)
        value += String(timestamp)
        for secret in secrets {
            value += ",v1="
            value += hex(mac(body: body, secret: secret, timestamp: timestamp))
        }
        return value
    }

    /// True when `header` holds a `v1` signature of `body` by `secret` whose `t` is within
    /// `tolerance` seconds of `now` (unix seconds), in either direction.
    ///
    /// Hostile input never traps: oversize headers, a missing or repeated `t`, non-digit or
    /// huge timestamps and malformed hex all simply fail verification.
    public static func verify(
        header: String,
        body: [UInt8],
        secret: String,
        now: Int64,
        tolerance: Int64 = defaultTolerance
    ) -> Bool {
        guard tolerance >= 0 else { return false }
        var header = header
        guard let parsed = header.withUTF8({ parse($0) }) else { return false }
        // Reject stale or future-dated headers before spending an HMAC on them (replay defence).
        let (age, overflow) = now.subtractingReportingOverflow(parsed.timestamp)
        guard !overflow, age <= tolerance, age >= -tolerance else { return false }
        guard !parsed.signatures.isEmpty else { return false }
        let expected = mac(body: body, secret: secret, timestamp: parsed.timestamp)
        // Compare against every candidate without early exit so timing reveals nothing about
        // which entry (or how many leading bytes) matched.
        var matched: UInt8 = 0
        for candidate in parsed.signatures {
            matched |= constantTimeEqual(candidate, expected) ? 1 : 0
        }
        return matched == 1
    }

    // MARK: - Internals

    /// The parts of a header that verification needs.
    struct Parsed: Equatable {
        var timestamp: Int64
        var signatures: [[UInt8]]
    }

    /// Parses `t=…,v1=…[,v1=…]`; unknown keys (future schemes such as `v2`) and malformed `v1`
    /// values are skipped; a missing, repeated or malformed `t` makes the whole header invalid.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        guard bytes.count <= maxHeaderBytes else { return nil }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        var itemStart = 0
        while itemStart <= bytes.count {
            var itemEnd = itemStart
            while itemEnd < bytes.count && bytes[itemEnd] != UInt8(ascii: ",") { itemEnd += 1 }
            if let (key, value) = splitItem(bytes, from: itemStart, to: itemEnd) {
                if equalsASCII(bytes, key, "t") {
                    guard timestamp == nil, let t = parseTimestamp(bytes, value) else { return nil }
                    timestamp = t
                } else if equalsASCII(bytes, key, "v1"), signatures.count < maxSignatures,
                    let mac = decodeHexMAC(bytes, value)
                {
                    signatures.append(mac)
                }
            }
            itemStart = itemEnd + 1
        }
        guard let timestamp else { return nil }
        return Parsed(timestamp: timestamp, signatures: signatures)
    }

    /// Splits one `key=value` item into trimmed key and value ranges; nil when there is no `=`.
    private static func splitItem(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> (key: Range<Int>, value: Range<Int>)? {
        var equals = start
        while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
        guard equals < end else { return nil }
        return (trim(bytes, start..<equals), trim(bytes, (equals + 1)..<end))
    }

    /// Drops optional whitespace (RFC 9110 §5.6.3 OWS: SP / HTAB) from both ends of `range`.
    private static func trim(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && isOWS(bytes[lower]) { lower += 1 }
        while upper > lower && isOWS(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private static func isOWS(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func equalsASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let text = literal.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != text[offset] {
            return false
        }
        return true
    }

    /// Decimal digits only, 1…12 of them: no sign, no spaces inside, no overflow possible.
    private static func parseTimestamp(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        guard !range.isEmpty, range.count <= maxTimestampDigits else { return nil }
        var value: Int64 = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    /// Exactly 64 hex digits (either case) → 32 bytes; anything else → nil.
    private static func decodeHexMAC(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8]? {
        guard range.count == macByteCount * 2 else { return nil }
        var mac = [UInt8](repeating: 0, count: macByteCount)
        var index = range.lowerBound
        for byteIndex in 0..<macByteCount {
            guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return nil }
            mac[byteIndex] = high << 4 | low
            index += 2
        }
        return mac
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// HMAC-SHA256(secret, "<t>.<body>"), fed in two parts so the body is never copied.
    static func mac(body: [UInt8], secret: String, timestamp: Int64) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        hmac.update(data: Array((String(timestamp) + ".").utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }

    /// Equal length and equal bytes, touching every byte regardless of where a difference is.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// Lower-case hex, as receivers' `hmac.hexdigest()` produces.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            let table = digits.utf8Start
            var out = 0
            for byte in bytes {
                buffer[out] = table[Int(byte >> 4)]
                buffer[out + 1] = table[Int(byte & 0x0F)]
                out += 2
            }
            return out
        }
    }
}
