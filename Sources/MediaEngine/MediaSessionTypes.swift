import Codecs
import RTP
import SIPSyntax
import SDP
import SRTP

extension MediaSession {
    /// What the leg sends.
    public enum Mode: Sendable, Equatable {
        /// Send the caller's audio back (the echo test number).
        case echo
        /// Receive; send only what a source, a bridge or nothing gives (answered and held).
        case silent
    }

    /// The leg's voice codec as negotiated in SDP.
    public enum Codec: Sendable, Equatable {
        case g711(G711Law)
        /// Opus (RFC 7587) with the peer's fmtp, always 48 kHz on the wire.
        case opus(fmtp: String?)

        /// Samples per second of the PCM the codec works on (and of its RTP clock).
        public var sampleRate: Int {
            switch self {
            case .g711: 8000
            case .opus: 48000
            }
        }
    }

    /// What was negotiated for this leg (from SDP).
    public struct Parameters: Sendable, Equatable {
        public var payloadType: UInt8
        public var codec: Codec
        public var telephoneEventPayloadType: UInt8?
        public var telephoneEventClockRate: Int
        /// Where the SDP says to send RTP and RTCP; replaced by the real sources once packets
        /// arrive (symmetric RTP).
        public var remote: TransportAddress
        public var remoteRTCP: TransportAddress?
        /// The peer put us on hold (sendonly/inactive/0.0.0.0, RFC 3264 §8.4): we send nothing
        /// and the media timeout is paused.
        public var held: Bool
        /// No RTP for this long outside hold ends the call (`media.timeout`); nil disables it.
        public var mediaTimeoutMs: Int64?
        /// SDES-SRTP suite and keys (RFC 4568), as SDP negotiated them; nil for plain RTP.
        public var srtp: NegotiatedCrypto?

        public init(payloadType: UInt8, codec: Codec, telephoneEventPayloadType: UInt8?, telephoneEventClockRate: Int = 8000,
                    remote: TransportAddress, remoteRTCP: TransportAddress? = nil, held: Bool = false,
                    mediaTimeoutMs: Int64? = 30_000, srtp: NegotiatedCrypto? = nil) {
            self.payloadType = payloadType
            self.codec = codec
            self.telephoneEventPayloadType = telephoneEventPayloadType
            self.telephoneEventClockRate = telephoneEventClockRate
            self.remote = remote
            self.remoteRTCP = remoteRTCP
            self.held = held
            self.mediaTimeoutMs = mediaTimeoutMs
            self.srtp = srtp
        }

        /// The RTP clock rate of the voice codec.
        public var clockRate: Int { codec.sampleRate }
        /// G.711 law, when the codec is G.711 (in-band DTMF runs on it).
        public var g711: G711Law? {
            if case .g711(let law) = codec { return law }
            return nil
        }
    }

    /// A key the caller pressed, once per press, with where it was found.
    public struct KeyPress: Sendable, Equatable {
        public enum Source: String, Sendable { case rfc4733, inband, sipInfo = "sip_info" }
        public var key: Character
        public var durationMs: Int
        public var source: Source
        public init(key: Character, durationMs: Int, source: Source) {
            self.key = key
            self.durationMs = durationMs
            self.source = source
        }
    }

    /// What a leg reports to call control.
    public enum Event: Sendable, Equatable {
        case keys([KeyPress])
        /// No RTP for `mediaTimeoutMs` outside hold.
        case mediaTimeout
        /// The audio source started with `play(_:id:)` finished playing.
        case playbackFinished(id: UInt64)
        /// Voice activity started or ended on what the caller sends.
        case speech(started: Bool)
        /// Packets we could not use: SRTP authentication or replay failures.
        case srtpFailure(code: String)
    }

    /// Which socket of the leg's pair a packet goes out on.
    public enum Channel: Sendable { case rtp, rtcp }
}

extension SRTPSession {
    /// The SRTP context for negotiated keys; nil when libsrtp refuses them (negotiation
    /// checked suite and key lengths already).
    static func make(keys: NegotiatedCrypto) -> SRTPSession? {
        try? SRTPSession(suite: keys.suite, localKey: keys.localKey, remoteKey: keys.remoteKey)
    }
}
