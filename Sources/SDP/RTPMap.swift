/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]` (RFC 4566 §6).
public struct RTPMap: Sendable, Hashable {
    /// RTP payload type, 0–127.
    public var payloadType: UInt8
    /// Encoding name as written (compare case-insensitively, RFC 4855 §3).
    public var encodingName: String
    /// RTP clock rate in Hz.
    public var clockRate: UInt32
    /// Channel count for audio (the encoding parameters); nil when absent, which means 1.
    public var channels: Int?

    /// Creates an rtpmap entry.
    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    /// The attribute value, e.g. `0 PCMU/8000` or `111 opus/48000/2`.
    public var attributeValue: String {
        var s = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { s += "/\(channels)" }
        return s
    }

    /// The full attribute.
    public var attribute: SDPAttribute { SDPAttribute("rtpmap", attributeValue) }

    /// Parses an attribute value; nil when malformed.
    public init?(attributeValue: String) {
        guard case .success(let map) = RTPMap.decode(Array(attributeValue.utf8)[...]) else { return nil }
        self = map
    }

    /// Parses the value bytes, explaining what is wrong on failure (used by the parser).
    static func decode(_ value: ArraySlice<UInt8>) -> Result<RTPMap, AttributeProblem> {
        let usage = "expected '<payload type> <encoding name>/<clock rate>[/<channels>]'"
        let parts = ASCII.fields(value)
        guard parts.count == 2, let ptField = parts.first, let encField = parts.last else {
            return .failure(AttributeProblem(usage))
        }
        guard let pt = ASCII.parseInt(ptField, in: 0...Int.max) else {
            return .failure(AttributeProblem("payload type '\(ASCII.string(ptField))' is not a number"))
        }
        guard pt <= 127 else {
            return .failure(AttributeProblem("payload type \(pt) is out of range 0-127"))
        }
        let pieces = encField.split(separator: ASCII.slash, omittingEmptySubsequences: false)
        guard pieces.count == 2 || pieces.count == 3 else {
            return .failure(AttributeProblem("'\(ASCII.string(encField))' has no '/<clock rate>'; \(usage)"))
        }
        let name = pieces[0]
        guard ASCII.isToken(name) else {
            return .failure(AttributeProblem("encoding name '\(ASCII.string(name))' is not a token"))
        }
        guard let clock = ASCII.parseInt(pieces[1], in: 1...Int(UInt32.max)) else {
            return .failure(AttributeProblem("clock rate '\(ASCII.string(pieces[1]))' is not a number in 1-\(UInt32.max)"))
        }
        var channels: Int? = nil
        if pieces.count == 3 {
            guard let c = ASCII.parseInt(pieces[2], in: 1...255) else {
                return .failure(AttributeProblem("channels '\(ASCII.string(pieces[2]))' is not a number in 1-255"))
            }
            channels = c
        }
        return .success(RTPMap(payloadType: UInt8(pt), encodingName: ASCII.string(name),
                               clockRate: UInt32(clock), channels: channels))
    }
}

/// `a=fmtp:<format> <format specific parameters>` (RFC 4566 §6), split into its two parts.
public struct FormatParameters: Sendable, Hashable {
    /// The format (payload type number for RTP) the parameters belong to.
    public var format: String
    /// The parameters, raw, e.g. `0-16` or `minptime=10;useinbandfec=1`.
    public var parameters: String

    /// Creates an fmtp entry.
    public init(format: String, parameters: String) {
        self.format = format
        self.parameters = parameters
    }

    /// The full attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("fmtp", parameters.isEmpty ? format : "\(format) \(parameters)")
    }

    /// Splits an attribute value at the first run of spaces; nil when it has no format.
    public init?(attributeValue: String) {
        let utf8 = attributeValue.utf8
        var i = utf8.startIndex
        while i < utf8.endIndex, utf8[i] != ASCII.space, utf8[i] != ASCII.tab { i = utf8.index(after: i) }
        guard i > utf8.startIndex else { return nil }
        format = String(attributeValue[..<i])
        while i < utf8.endIndex, utf8[i] == ASCII.space || utf8[i] == ASCII.tab { i = utf8.index(after: i) }
        parameters = String(attributeValue[i...])
    }

    /// The format field of raw value bytes, for the parser's check against the m= line.
    static func formatField(_ value: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var i = value.startIndex
        while i < value.endIndex, value[i] != ASCII.space, value[i] != ASCII.tab { i += 1 }
        return value[value.startIndex..<i]
    }
}

/// `a=rtcp:<port> [<nettype> <addrtype> <address>]` (RFC 3605 §2.1).
public struct RTCPAttribute: Sendable, Hashable {
    /// RTCP port.
    public var port: UInt16
    /// RTCP address when it differs from the media's c=.
    public var connection: SDPConnection?

    /// Creates an rtcp attribute.
    public init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }

    /// Parses an attribute value; nil when malformed.
    public init?(attributeValue: String) {
        let parts = ASCII.fields(attributeValue[...])
        guard parts.count == 1 || parts.count == 4, let first = parts.first,
              let port = ASCII.parseInt(first.utf8, in: 0...65535) else { return nil }
        self.port = UInt16(port)
        if parts.count == 4 {
            connection = SDPConnection(netType: String(parts[1]), addrType: String(parts[2]),
                                       address: String(parts[3]))
        } else {
            connection = nil
        }
    }
}

/// A description of what is wrong inside one attribute value.
struct AttributeProblem: Error {
    let detail: String
    init(_ detail: String) { self.detail = detail }
}
