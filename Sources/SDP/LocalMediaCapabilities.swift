/// What this end can do for one audio stream: codecs, DTMF events, RTP address and port.
public struct LocalMediaCapabilities: Sendable, Hashable {
    /// Voice codecs in our preference order (used for offers; answers follow the offerer's order,
    /// RFC 3264 §6.1). telephone-event entries here are ignored: see `telephoneEvent`.
    public var codecs: [AudioCodec]
    /// Whether RFC 4733 telephone-event is offered and accepted.
    public var telephoneEvent: Bool
    /// Local RTP address written into c= (IPv4 dotted quad or IPv6 literal).
    public var address: String
    /// Local RTP port written into m=.
    public var port: UInt16
    /// Packetization time we prefer, in ms; written as a=ptime in offers, nil to leave it out.
    public var ptime: Int?
    /// Whether RTP/SAVP (SDES-SRTP, RFC 4568) streams may be accepted.
    public var allowSRTP: Bool
    /// Our fresh key||salt (30 bytes) for answering an RTP/SAVP offer. Keys are inputs, never
    /// generated here, so negotiation stays pure and testable.
    public var srtpKey: [UInt8]?
    /// Two fresh keys to offer RTP/SAVP with (tag 1 AES_CM_128_HMAC_SHA1_80, tag 2 _32); nil
    /// offers plain RTP/AVP.
    public var srtpOfferKeys: [[UInt8]]?

    /// Creates capabilities; by default G.711 µ-law, A-law and opus with telephone-event, 20 ms.
    public init(
        codecs: [AudioCodec] = [.pcmu, .pcma, .opus],
        telephoneEvent: Bool = true,
        address: String,
        port: UInt16,
        ptime: Int? = 20,
        allowSRTP: Bool = false,
        srtpKey: [UInt8]? = nil,
        srtpOfferKeys: [[UInt8]]? = nil
    ) {
        self.codecs = codecs
        self.telephoneEvent = telephoneEvent
        self.address = address
        self.port = port
        self.ptime = ptime
        self.allowSRTP = allowSRTP
        self.srtpKey = srtpKey
        self.srtpOfferKeys = srtpOfferKeys
    }

    /// "IP6" when `address` is an IPv6 literal (contains a colon), else "IP4".
    public var addressType: String {
        address.utf8.contains(ASCII.colon) ? "IP6" : "IP4"
    }

    /// The c= line for our address.
    public var connection: SDPConnection {
        SDPConnection(netType: "IN", addrType: addressType, address: address)
    }

    /// Voice codecs without telephone-event entries or duplicates, in preference order.
    var voiceCodecs: [AudioCodec] {
        var out: [AudioCodec] = []
        for codec in codecs where !codec.isTelephoneEvent && !out.contains(codec) {
            out.append(codec)
        }
        return out
    }

    /// The local codec an offered rtpmap denotes, if we support it.
    func supportedCodec(for map: RTPMap) -> AudioCodec? {
        voiceCodecs.first { $0.matches(map) }
    }

    /// RTP profiles we can answer: RTP/AVP always, RTP/SAVP only when SRTP is allowed.
    func supports(proto: String) -> Bool {
        if ASCII.equalsIgnoringCase(proto, "RTP/AVP") { return true }
        return allowSRTP && srtpKey != nil && ASCII.equalsIgnoringCase(proto, "RTP/SAVP")
    }
}
