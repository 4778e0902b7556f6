/// One `m=` section with its i=, c=, b=, k= and a= lines (RFC 4566 §5.14).
public struct MediaDescription: Sendable, Hashable {
    /// Media type: "audio", "video", "application", ...
    public var media: String
    /// Transport port; 0 means the stream is rejected or disabled (RFC 3264 §5.1, §6).
    public var port: UInt16
    /// Number of ports from `<port>/<number of ports>`, when written.
    public var portCount: Int?
    /// Transport protocol: "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", ...
    public var proto: String
    /// Formats: payload type numbers for RTP protocols, tokens otherwise.
    public var formats: [String]
    /// `i=`: media title.
    public var info: String?
    /// `c=` for this section; nil means the session-level one applies.
    public var connection: SDPConnection?
    /// `b=` lines for this section.
    public var bandwidths: [SDPBandwidth]
    /// `k=` line, raw (obsolete, kept for round trips).
    public var encryptionKey: String?
    /// `a=` lines for this section, in order.
    public var attributes: [SDPAttribute]

    /// Creates a media section.
    public init(
        media: String,
        port: UInt16,
        portCount: Int? = nil,
        proto: String,
        formats: [String],
        info: String? = nil,
        connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [],
        encryptionKey: String? = nil,
        attributes: [SDPAttribute] = []
    ) {
        self.media = media
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.info = info
        self.connection = connection
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
    }

    /// True when the protocol carries RTP, so formats are payload type numbers (RFC 4566 §5.14).
    public var isRTP: Bool { MediaDescription.isRTPProto(proto) }

    /// True when `proto` is an RTP profile ("RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP", ...).
    static func isRTPProto(_ proto: String) -> Bool {
        // Any profile whose '/'-separated components include "RTP" carries RTP payload types.
        var componentLength = 0
        var matched = true
        for b in proto.utf8 {
            if b == ASCII.slash {
                if matched && componentLength == 3 { return true }
                componentLength = 0
                matched = true
                continue
            }
            let expected: UInt8 = componentLength == 0 ? 0x72 : componentLength == 1 ? 0x74 : 0x70  // "rtp"
            matched = matched && componentLength < 3 && ASCII.lower(b) == expected
            componentLength += 1
        }
        return matched && componentLength == 3
    }

    /// Formats as payload type numbers; non-numeric formats are skipped.
    public var payloadTypes: [UInt8] {
        formats.compactMap { f in ASCII.parseInt(f.utf8, in: 0...127).map { UInt8($0) } }
    }

    /// Values of attributes named `name` (ASCII case-insensitive); property attributes give "".
    public func attributeValues(named name: String) -> [String] {
        attributes.values(named: name)
    }

    /// The first value of attribute `name`, if present.
    public func firstAttributeValue(named name: String) -> String? {
        for attribute in attributes where attribute.hasName(name) { return attribute.value ?? "" }
        return nil
    }

    /// All well-formed `a=rtpmap` entries, in order.
    public var rtpMaps: [RTPMap] {
        attributes.compactMap { a in
            guard a.hasName("rtpmap"), let v = a.value else { return nil }
            return RTPMap(attributeValue: v)
        }
    }

    /// The `a=rtpmap` entry for a payload type, if any.
    public func rtpMap(for payloadType: UInt8) -> RTPMap? {
        rtpMaps.first { $0.payloadType == payloadType }
    }

    /// All `a=fmtp` entries, in order.
    public var formatParameters: [FormatParameters] {
        attributes.compactMap { a in
            guard a.hasName("fmtp"), let v = a.value else { return nil }
            return FormatParameters(attributeValue: v)
        }
    }

    /// The `a=fmtp` parameters for a format (e.g. "101" → "0-16"), if any.
    public func fmtp(for format: String) -> String? {
        formatParameters.first { $0.format == format }?.parameters
    }

    /// The `a=fmtp` parameters for a payload type, if any.
    public func fmtp(for payloadType: UInt8) -> String? {
        fmtp(for: String(payloadType))
    }

    /// `a=ptime` in milliseconds; a fractional value ("20.0") is truncated, values outside
    /// 1–1000 are ignored as nonsense.
    public var ptime: Int? { MediaDescription.milliseconds(firstAttributeValue(named: "ptime")) }

    /// `a=maxptime` in milliseconds (RFC 4566 §6), same rules as `ptime`.
    public var maxptime: Int? { MediaDescription.milliseconds(firstAttributeValue(named: "maxptime")) }

    /// The section's own direction attribute; nil means the session's (or sendrecv) applies.
    public var direction: MediaDirection? { MediaDirection.first(in: attributes) }

    /// Direction of this section given the session-level default (RFC 3264 §5.1: sendrecv when
    /// neither level says anything).
    public func effectiveDirection(sessionDirection: MediaDirection?) -> MediaDirection {
        direction ?? sessionDirection ?? .sendrecv
    }

    /// `a=rtcp` (RFC 3605), if present and well-formed.
    public var rtcp: RTCPAttribute? {
        firstAttributeValue(named: "rtcp").flatMap { RTCPAttribute(attributeValue: $0) }
    }

    /// True when `a=rtcp-mux` is present (RFC 5761).
    public var rtcpMux: Bool { attributes.contains { $0.hasName("rtcp-mux") } }

    /// Raw `a=crypto` values (RFC 4568), for the SRTP layer.
    public var cryptoLines: [String] { attributeValues(named: "crypto") }

    /// Replaces any direction attribute with `direction` (appended when none was present).
    public mutating func setDirection(_ direction: MediaDirection) {
        let isDirection = { (a: SDPAttribute) in MediaDirection(attribute: a) != nil }
        let position = attributes.firstIndex(where: isDirection)
        attributes.removeAll(where: isDirection)
        // Attributes before the first direction attribute are untouched, so `position` is
        // still in bounds after the removal.
        attributes.insert(direction.attribute, at: min(position ?? attributes.count, attributes.count))
    }

    private static func milliseconds(_ value: String?) -> Int? {
        guard let value else { return nil }
        let utf8 = value.utf8
        let end = utf8.firstIndex(of: UInt8(ascii: ".")) ?? utf8.endIndex
        return ASCII.parseInt(utf8[utf8.startIndex..<end], in: 1...1000)
    }
}
