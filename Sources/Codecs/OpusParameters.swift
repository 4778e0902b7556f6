// RFC 7587 §6.1: the optional media type parameters of audio/opus, as carried in an SDP
// "a=fmtp:<pt> ..." line. Pure value type: parsing and writing only, no libopus.
//
// Design choices:
// - Lenient reader: keys are case-insensitive, blanks around keys, values and ';' are tolerated,
//   values that are malformed or outside the RFC's ranges are ignored (the default stays), and
//   unknown keys (e.g. WebRTC's "minptime") are kept in `otherParameters` in their order.
// - Every field holds its RFC 7587 default when absent, so callers never handle "missing".
// - Parsing works on the UTF-8 bytes of the string (no Character splitting, no regex).

/// Audio bandwidths Opus can be limited to (the `OPUS_SET_MAX_BANDWIDTH` values of libopus).
public enum OpusBandwidth: Int32, Sendable, CaseIterable {
    /// 4 kHz audio bandwidth, 8 kHz effective sample rate.
    case narrowband = 1101
    /// 6 kHz audio bandwidth, 12 kHz effective sample rate.
    case mediumband = 1102
    /// 8 kHz audio bandwidth, 16 kHz effective sample rate.
    case wideband = 1103
    /// 12 kHz audio bandwidth, 24 kHz effective sample rate.
    case superwideband = 1104
    /// 20 kHz audio bandwidth, 48 kHz effective sample rate.
    case fullband = 1105

    /// The widest bandwidth worth sending to a receiver that plays back at `hz`.
    // RFC 7587 §3.1.1 Table 1 maps each Opus bandwidth to an effective sample rate; §6.1 says
    // an encoder SHOULD NOT encode frequencies above what maxplaybackrate can render.
    public init(maxPlaybackRate hz: Int) {
        switch hz {
        case ..<12000: self = .narrowband
        case ..<16000: self = .mediumband
        case ..<24000: self = .wideband
        case ..<48000: self = .superwideband
        default: self = .fullband
        }
    }
}

/// The RFC 7587 §6.1 fmtp parameters of an Opus payload type, with RFC defaults when absent.
public struct OpusParameters: Sendable, Equatable {
    /// A parameter this type does not interpret, kept as written (name and value trimmed).
    public struct UnknownParameter: Sendable, Equatable {
        /// Parameter name as written by the peer.
        public var name: String
        /// Value after '=', or "" for a bare name.
        public var value: String

        /// Creates an unknown parameter from its name and value.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Highest sample rate (Hz) the receiver can render, 8000...48000; default 48000.
    public var maxPlaybackRate = 48000
    /// Highest sample rate (Hz) the sender is likely to capture, 8000...48000; default 48000.
    public var spropMaxCaptureRate = 48000
    /// Longest packet (ms) the decoder wants; default 120. Sent as a=maxptime (RFC 7587 §7).
    public var maxPtime = 120
    /// Preferred packet duration (ms); default 20. Sent as a=ptime (RFC 7587 §7).
    public var ptime = 20
    /// Highest average bitrate (bit/s) the receiver wants, 6000...510000; nil = codec maximum.
    public var maxAverageBitrate: Int?
    /// The receiver prefers stereo; default false (mono).
    public var stereo = false
    /// The sender is likely to send stereo; default false.
    public var spropStereo = false
    /// The receiver prefers constant bitrate; default false (VBR).
    public var cbr = false
    /// The receiver can use Opus in-band FEC; default false.
    public var useInbandFEC = false
    /// The receiver prefers discontinuous transmission; default false.
    public var useDTX = false
    /// Parameters not defined by RFC 7587 (e.g. "minptime"), in the order they appeared.
    public var otherParameters: [UnknownParameter] = []

    /// All parameters at their RFC 7587 defaults.
    public init() {}

    /// Parses the parameter part of an fmtp line ("maxplaybackrate=16000;useinbandfec=1").
    ///
    /// A leading payload type ("111 minptime=10;...") is tolerated; malformed or out-of-range
    /// values are ignored and leave the default in place. Never fails.
    public init(fmtp: String) {
        self.init()
        var text = fmtp
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
                apply(segment: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                start = end + 1
            }
        }
    }

    /// Our parameters as an fmtp parameter string (without the payload type).
    ///
    /// Only values that differ from the RFC 7587 default are written, in the RFC's order,
    /// followed by `otherParameters`. `ptime` and `maxptime` are never written here: RFC 7587
    /// §7 maps them to the SDP attributes a=ptime and a=maxptime, outside a=fmtp.
    public var fmtp: String {
        var parts: [String] = []
        if maxPlaybackRate != 48000 { parts.append("maxplaybackrate=\(maxPlaybackRate)") }
        if spropMaxCaptureRate != 48000 {
            parts.append("sprop-maxcapturerate=\(spropMaxCaptureRate)")
        }
        if let maxAverageBitrate { parts.append("maxaveragebitrate=\(maxAverageBitrate)") }
        if stereo { parts.append("stereo=1") }
        if spropStereo { parts.append("sprop-stereo=1") }
        if cbr { parts.append("cbr=1") }
        if useInbandFEC { parts.append("useinbandfec=1") }
        if useDTX { parts.append("usedtx=1") }
        for other in otherParameters {
            parts.append(other.value.isEmpty ? other.name : "\(other.name)=\(other.value)")
        }
        return parts.joined(separator: ";")
    }

    // MARK: Parsing

    /// Interprets one "key=value" segment (already split at ';').
    private mutating func apply(segment: UnsafeBufferPointer<UInt8>) {
        let trimmed = Self.trim(segment)
        guard !trimmed.isEmpty else { return }
        var equals = trimmed.startIndex
        while equals < trimmed.endIndex, trimmed[equals] != UInt8(ascii: "=") { equals += 1 }
        var key = Self.trim(trimmed[trimmed.startIndex..<equals])
        let value =
            equals < trimmed.endIndex
            ? Self.trim(trimmed[(equals + 1)..<trimmed.endIndex]) : trimmed[equals..<equals]
        // Tolerate a payload type in front of the first key ("111 minptime=10"): a key has
        // no blanks, so keep what follows the last blank.
        if let blank = key.lastIndex(where: Self.isBlank) {
            key = key[(blank + 1)..<key.endIndex]
        }
        guard !key.isEmpty else { return }

        if Self.matches(key, "maxplaybackrate") {
            if let n = Self.number(value, in: 8000...48000) { maxPlaybackRate = n }
        } else if Self.matches(key, "sprop-maxcapturerate") {
            if let n = Self.number(value, in: 8000...48000) { spropMaxCaptureRate = n }
        } else if Self.matches(key, "maxptime") {
            if let n = Self.number(value, in: 3...120) { maxPtime = n }
        } else if Self.matches(key, "ptime") {
            if let n = Self.number(value, in: 3...120) { ptime = n }
        } else if Self.matches(key, "maxaveragebitrate") {
            // RFC 7587 §6.1: values outside 6000...510000 SHOULD be ignored.
            if let n = Self.number(value, in: 6000...510000) { maxAverageBitrate = n }
        } else if Self.matches(key, "stereo") {
            if let flag = Self.flag(value) { stereo = flag }
        } else if Self.matches(key, "sprop-stereo") {
            if let flag = Self.flag(value) { spropStereo = flag }
        } else if Self.matches(key, "cbr") {
            if let flag = Self.flag(value) { cbr = flag }
        } else if Self.matches(key, "useinbandfec") {
            if let flag = Self.flag(value) { useInbandFEC = flag }
        } else if Self.matches(key, "usedtx") {
            if let flag = Self.flag(value) { useDTX = flag }
        } else {
            otherParameters.append(
                UnknownParameter(
                    name: String(decoding: key, as: UTF8.self),
                    value: String(decoding: value, as: UTF8.self)))
        }
    }

    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }

    private static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> Bytes {
        trim(bytes[bytes.startIndex..<bytes.endIndex])
    }

    private static func trim(_ bytes: Bytes) -> Bytes {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while lower < upper, isBlank(bytes[lower]) { lower += 1 }
        while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
        return bytes[lower..<upper]
    }

    /// ASCII case-insensitive comparison of a key with a lowercase parameter name.
    private static func matches(_ key: Bytes, _ name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in
            var i = key.startIndex
            for byte in expected {
                let c = key[i]
                let lower = c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c
                if lower != byte { return false }
                i += 1
            }
            return true
        }
    }

    /// A plain decimal number within `range`, or nil (sign, blanks inside, overflow: nil).
    private static func number(_ value: Bytes, in range: ClosedRange<Int>) -> Int? {
        guard !value.isEmpty, value.count <= 9 else { return nil }
        var result = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return range.contains(result) ? result : nil
    }

    /// RFC 7587 §6.1 boolean parameters take exactly "0" or "1".
    private static func flag(_ value: Bytes) -> Bool? {
        guard value.count == 1, let byte = value.first else { return nil }
        switch byte {
        case UInt8(ascii: "0"): return false
        case UInt8(ascii: "1"): return true
        default: return nil
        }
    }
}
