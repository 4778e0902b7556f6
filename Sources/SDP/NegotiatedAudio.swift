/// The outcome of an RFC 3264 offer/answer exchange for the one audio stream a call uses.
public struct NegotiatedAudio: Sendable, Hashable {
    /// Index of the accepted m= line in both offer and answer.
    public var mediaIndex: Int
    /// RTP profile of the accepted stream, e.g. "RTP/AVP" or "RTP/SAVP".
    public var proto: String
    /// The voice codec, with the payload type to send it with and the peer's fmtp.
    public var codec: NegotiatedCodec
    /// RFC 4733 events at the codec's clock rate, when both sides support them.
    public var telephoneEvent: NegotiatedTelephoneEvent?
    /// Where to send RTP: the peer's c= host (without multicast suffixes).
    public var remoteAddress: String
    /// The peer's RTP port.
    public var remotePort: UInt16
    /// Where to send RTCP: the a=rtcp address if it names one, else `remoteAddress` (RFC 3605).
    public var remoteRTCPAddress: String
    /// The peer's RTCP port: a=rtcp if present, else the RTP port plus one (RFC 3550 §11);
    /// when the RTP port is 65535 (no successor) the RTP port itself.
    public var remoteRTCPPort: UInt16
    /// The stream direction from our side: what we may do.
    public var direction: MediaDirection
    /// True when the peer has put us on hold: its SDP says it will not receive (sendonly or
    /// inactive where we offered to send) or uses the RFC 2543 address 0.0.0.0 (RFC 3264 §8.4).
    public var isHold: Bool
    /// Packetization time to send with, in ms (the peer's a=ptime, else ours, else 20).
    public var ptime: Int
    /// SDES-SRTP keys agreed by a=crypto (RFC 4568) on an RTP/SAVP stream; nil for plain RTP.
    public var srtp: NegotiatedCrypto?

    /// Creates a negotiation result.
    public init(mediaIndex: Int, proto: String, codec: NegotiatedCodec,
                telephoneEvent: NegotiatedTelephoneEvent?, remoteAddress: String, remotePort: UInt16,
                remoteRTCPAddress: String, remoteRTCPPort: UInt16, direction: MediaDirection,
                isHold: Bool, ptime: Int) {
        self.mediaIndex = mediaIndex
        self.proto = proto
        self.codec = codec
        self.telephoneEvent = telephoneEvent
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.remoteRTCPAddress = remoteRTCPAddress
        self.remoteRTCPPort = remoteRTCPPort
        self.direction = direction
        self.isHold = isHold
        self.ptime = ptime
    }

    /// Whether we may send RTP to the peer.
    public var canSend: Bool { direction.sends }
    /// Whether we should expect RTP from the peer.
    public var canReceive: Bool { direction.receives }
}

/// The chosen voice codec of a negotiated stream.
public struct NegotiatedCodec: Sendable, Hashable {
    /// The codec (our canonical description of it).
    public var codec: AudioCodec
    /// The payload type number used on the wire.
    public var payloadType: UInt8
    /// The peer's a=fmtp parameters for it, raw (e.g. opus `useinbandfec=1`).
    public var fmtp: String?

    /// Creates a chosen codec.
    public init(codec: AudioCodec, payloadType: UInt8, fmtp: String? = nil) {
        self.codec = codec
        self.payloadType = payloadType
        self.fmtp = fmtp
    }
}

/// Negotiated RFC 4733 telephone-event format.
public struct NegotiatedTelephoneEvent: Sendable, Hashable {
    /// The payload type number used on the wire.
    public var payloadType: UInt8
    /// Its clock rate (equal to the voice codec's, RFC 4733 §2.1).
    public var clockRate: UInt32
    /// The peer's event list from a=fmtp (e.g. `0-16`); nil means 0-15 (RFC 4733 §2.4.1).
    public var events: String?

    /// Creates a telephone-event format.
    public init(payloadType: UInt8, clockRate: UInt32, events: String? = nil) {
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.events = events
    }
}

/// Why an offer or answer could not be negotiated. The SIP layer answers 488 (RFC 3261 §21.4.26)
/// or, on the UAC side, tears the session down.
public enum NegotiationError: Error, Sendable, Hashable {
    /// No audio stream of the offer could be accepted (unknown codecs, profiles or no address).
    case noCommonMedia
    /// The answer has a different number of m= lines than the offer (RFC 3264 §6).
    case mediaCountMismatch(offered: Int, answered: Int)
    /// An answer m= line does not correspond to the offered one (type, profile, or a stream the
    /// offer disabled).
    case mediaMismatch(index: Int, detail: String)
    /// The answer accepted the audio stream with no codec that we offered.
    case codecNotOffered(index: Int)
    /// The accepted stream has no c= line at either level (RFC 4566 §5.7).
    case missingConnection(index: Int)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .noCommonMedia: "sdp.no_common_media"
        case .mediaCountMismatch: "sdp.media_count_mismatch"
        case .mediaMismatch: "sdp.media_mismatch"
        case .codecNotOffered: "sdp.codec_not_offered"
        case .missingConnection: "sdp.missing_connection"
        }
    }

    /// Human-readable explanation of what to fix.
    public var message: String {
        switch self {
        case .noCommonMedia:
            return "no acceptable audio stream: offer an RTP/AVP audio m= line with a supported codec and a c= address"
        case .mediaCountMismatch(let offered, let answered):
            return "answer has \(answered) m= lines but the offer had \(offered); RFC 3264 §6 requires one per offered stream"
        case .mediaMismatch(let index, let detail):
            return "answer m= line \(index + 1): \(detail)"
        case .codecNotOffered(let index):
            return "answer m= line \(index + 1) accepts the stream with no codec from the offer (RFC 3264 §6.1)"
        case .missingConnection(let index):
            return "m= line \(index + 1) has no c= line and there is none at session level (RFC 4566 §5.7)"
        }
    }
}

extension NegotiationError: CustomStringConvertible {
    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }
}
