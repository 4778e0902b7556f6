/// An audio encoding as named in SDP: encoding name, RTP clock rate, channel count.
public struct AudioCodec: Sendable, Hashable {
    /// Encoding name, e.g. "PCMU", "opus", "telephone-event" (compared case-insensitively).
    public var name: String
    /// RTP clock rate in Hz.
    public var clockRate: UInt32
    /// Channel count as signalled in a=rtpmap (opus is always 2, RFC 7587 §7).
    public var channels: Int
    /// The RFC 3551 static payload type, when the codec has one.
    public var staticPayloadType: UInt8?

    /// Creates a codec description.
    public init(name: String, clockRate: UInt32, channels: Int = 1, staticPayloadType: UInt8? = nil) {
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.staticPayloadType = staticPayloadType
    }

    /// G.711 µ-law, static payload type 0 (RFC 3551 §6).
    public static let pcmu = AudioCodec(name: "PCMU", clockRate: 8000, staticPayloadType: 0)
    /// G.711 A-law, static payload type 8 (RFC 3551 §6).
    public static let pcma = AudioCodec(name: "PCMA", clockRate: 8000, staticPayloadType: 8)
    /// Opus, dynamic payload type, always signalled as opus/48000/2 (RFC 7587 §7).
    public static let opus = AudioCodec(name: "opus", clockRate: 48000, channels: 2)
    /// RFC 4733 telephone events at a given clock rate (dynamic payload type).
    public static func telephoneEvent(clockRate: UInt32) -> AudioCodec {
        AudioCodec(name: "telephone-event", clockRate: clockRate)
    }
    /// RFC 4733 telephone events at 8000 Hz (for G.711).
    public static let telephoneEvent8000 = telephoneEvent(clockRate: 8000)
    /// RFC 4733 telephone events at 48000 Hz (for opus).
    public static let telephoneEvent48000 = telephoneEvent(clockRate: 48000)

    /// True for RFC 4733 telephone-event (not a voice codec).
    public var isTelephoneEvent: Bool { ASCII.equalsIgnoringCase(name, "telephone-event") }

    /// The rtpmap this codec would be announced with at `payloadType`.
    public func rtpMap(payloadType: UInt8) -> RTPMap {
        // RFC 4566 §6: the channel parameter may be omitted when it is one.
        RTPMap(payloadType: payloadType, encodingName: name, clockRate: clockRate,
               channels: channels == 1 ? nil : channels)
    }

    /// Whether an rtpmap describes this codec: name (ASCII case-insensitive, RFC 4855 §3),
    /// clock rate and channel count (absent means 1, RFC 4566 §6).
    public func matches(_ map: RTPMap) -> Bool {
        guard ASCII.equalsIgnoringCase(name, map.encodingName), clockRate == map.clockRate else {
            return false
        }
        // RFC 7587 §7 requires opus/48000/2, but some stacks write opus/48000; the stream is
        // the same either way, so accept it rather than fail the call.
        if ASCII.equalsIgnoringCase(name, "opus") { return true }
        return (map.channels ?? 1) == channels
    }

    /// The codec an offered format denotes: its rtpmap if present, else the RFC 3551 static
    /// assignment (only for payload types below 96; dynamic ones mean nothing without rtpmap).
    public static func resolve(payloadType: UInt8, in media: MediaDescription) -> RTPMap? {
        if let map = media.rtpMap(for: payloadType) { return map }
        return staticRTPMap(payloadType: payloadType)
    }

    /// The RFC 3551 §6 table of static audio payload types, as rtpmaps.
    public static func staticRTPMap(payloadType: UInt8) -> RTPMap? {
        let entry: (String, UInt32, Int?)
        switch payloadType {
        case 0: entry = ("PCMU", 8000, nil)
        case 3: entry = ("GSM", 8000, nil)
        case 4: entry = ("G723", 8000, nil)
        case 5: entry = ("DVI4", 8000, nil)
        case 6: entry = ("DVI4", 16000, nil)
        case 7: entry = ("LPC", 8000, nil)
        case 8: entry = ("PCMA", 8000, nil)
        // RFC 3551 §4.5.2: G.722's RTP clock is 8000 although it samples at 16 kHz.
        case 9: entry = ("G722", 8000, nil)
        case 10: entry = ("L16", 44100, 2)
        case 11: entry = ("L16", 44100, nil)
        case 12: entry = ("QCELP", 8000, nil)
        case 13: entry = ("CN", 8000, nil)
        case 14: entry = ("MPA", 90000, nil)
        case 15: entry = ("G728", 8000, nil)
        case 16: entry = ("DVI4", 11025, nil)
        case 17: entry = ("DVI4", 22050, nil)
        case 18: entry = ("G729", 8000, nil)
        default: return nil
        }
        return RTPMap(payloadType: payloadType, encodingName: entry.0, clockRate: entry.1, channels: entry.2)
    }
}

extension AudioCodec: CustomStringConvertible {
    /// `name/clock[/channels]`, e.g. `opus/48000/2`.
    public var description: String {
        channels == 1 ? "\(name)/\(clockRate)" : "\(name)/\(clockRate)/\(channels)"
    }
}
