/// RFC 3264 offer/answer for an audio-only PBX: building offers, answering offers, and reading
/// the answer to our own offer. Pure functions: origins (ids, versions) are inputs.
public enum OfferAnswer {
    /// Builds an offer with one audio stream (RFC 3264 §5).
    ///
    /// G.711 keeps its static payload types 0 and 8; dynamic codecs get 96 upward. A
    /// telephone-event format is added per clock rate in use: PT 101 at 8000 Hz, a dynamic PT at
    /// other rates such as opus's 48000 (RFC 4733 §2.1: events share the voice clock). If the
    /// capabilities list no voice codec, PCMU is offered so the SDP stays valid.
    public static func makeOffer(
        capabilities: LocalMediaCapabilities,
        origin: SDPOrigin,
        direction: MediaDirection = .sendrecv,
        sessionName: String = "-"
    ) -> SessionDescription {
        var codecs = capabilities.voiceCodecs
        if codecs.isEmpty { codecs = [.pcmu] }
        let wantsEvents8000 = capabilities.telephoneEvent && codecs.contains { $0.clockRate == 8000 }
        var allocator = PayloadTypeAllocator(reserved: wantsEvents8000 ? [101] : [])
        for codec in codecs {
            if let pt = codec.staticPayloadType { allocator.claim(pt) }
        }

        var formats: [UInt8] = []
        var attributes: [SDPAttribute] = []
        var rates: [UInt32] = []
        for codec in codecs {
            let pt: UInt8
            if let s = codec.staticPayloadType, !formats.contains(s) {
                pt = s
            } else if let d = allocator.next() {
                pt = d
            } else {
                continue  // more than 32 dynamic codecs: the rest cannot be numbered
            }
            formats.append(pt)
            attributes.append(codec.rtpMap(payloadType: pt).attribute)
            if !rates.contains(codec.clockRate) { rates.append(codec.clockRate) }
        }
        if capabilities.telephoneEvent {
            for rate in rates {
                let pt: UInt8
                if rate == 8000, !formats.contains(101) {
                    pt = 101
                } else if let d = allocator.next() {
                    pt = d
                } else {
                    continue
                }
                formats.append(pt)
                attributes.append(AudioCodec.telephoneEvent(clockRate: rate).rtpMap(payloadType: pt).attribute)
                // RFC 4733 §2.4.1: 0-15 are the DTMF digits, 16 is flash.
                attributes.append(FormatParameters(format: String(pt), parameters: "0-16").attribute)
            }
        }
        if let ptime = capabilities.ptime { attributes.append(SDPAttribute("ptime", String(ptime))) }
        attributes.append(direction.attribute)
        // RFC 4568 §7.1.1: an SRTP offer is RTP/SAVP with one a=crypto line per suite.
        var proto = "RTP/AVP"
        if let keys = capabilities.srtpOfferKeys, let lines = try? CryptoNegotiation.makeOffer(keys: keys) {
            proto = "RTP/SAVP"
            for line in lines { attributes.append(SDPAttribute("crypto", line.value)) }
        }

        let audio = MediaDescription(media: "audio", port: capabilities.port, proto: proto,
                                     formats: formats.map { String($0) }, attributes: attributes)
        return SessionDescription(origin: origin, sessionName: sessionName,
                                  connection: capabilities.connection, media: [audio])
    }

    /// The first offered voice format we support, in the offerer's order (RFC 3264 §6.1).
    /// telephone-event never matches: `voiceCodecs` excludes it.
    static func chooseCodec(in media: MediaDescription,
                            capabilities: LocalMediaCapabilities) -> (RTPMap, AudioCodec)? {
        for pt in media.payloadTypes {
            guard let map = AudioCodec.resolve(payloadType: pt, in: media),
                  let codec = capabilities.supportedCodec(for: map) else { continue }
            return (map, codec)
        }
        return nil
    }

    /// The first telephone-event format at `clockRate` in a media section. Never assumed from a
    /// payload type number: only an rtpmap says a format is telephone-event.
    static func telephoneEvent(in media: MediaDescription, clockRate: UInt32) -> RTPMap? {
        let wanted = AudioCodec.telephoneEvent(clockRate: clockRate)
        for pt in media.payloadTypes {
            if let map = media.rtpMap(for: pt), wanted.matches(map) { return map }
        }
        return nil
    }

    /// Where the peer wants RTP and RTCP for media section `index` of its description.
    static func remoteEndpoint(of description: SessionDescription, index: Int)
        -> (connection: SDPConnection, rtcpAddress: String, rtcpPort: UInt16)? {
        guard description.media.indices.contains(index),
              let connection = description.effectiveConnection(ofMediaAt: index) else { return nil }
        let media = description.media[index]
        // RFC 3550 §11: RTCP defaults to the next port; RFC 3605 a=rtcp overrides it.
        let defaultPort = media.port < UInt16.max ? media.port + 1 : media.port
        let rtcp = media.rtcp
        let rtcpAddress = rtcp?.connection?.host ?? connection.host
        return (connection, rtcpAddress, rtcp?.port ?? defaultPort)
    }

    /// True when a connection is usable for IP media (IN IP4 / IN IP6).
    static func isInternet(_ connection: SDPConnection) -> Bool {
        ASCII.equalsIgnoringCase(connection.netType, "IN")
            && (ASCII.equalsIgnoringCase(connection.addrType, "IP4")
                || ASCII.equalsIgnoringCase(connection.addrType, "IP6"))
    }
}

/// Hands out dynamic payload types 96–127 (RFC 3551 §3), skipping claimed and reserved ones.
struct PayloadTypeAllocator {
    private var used = PayloadTypeSet()
    private var cursor: UInt8 = 96

    init(reserved: [UInt8]) {
        for pt in reserved { used.insert(pt) }
    }

    mutating func claim(_ pt: UInt8) { used.insert(pt) }

    mutating func next() -> UInt8? {
        while cursor <= 127 {
            let pt = cursor
            cursor += 1
            if !used.contains(pt) {
                used.insert(pt)
                return pt
            }
        }
        return nil
    }
}
