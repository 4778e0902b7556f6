/// UAC side: reading the answer to our own offer (RFC 3264 §7).
extension OfferAnswer {
    /// Validates `answer` against the offer we sent and extracts the audio stream to run.
    ///
    /// RFC 3264 §6 requires the same number of m= lines, each of the offered media type and
    /// profile, and no stream re-enabled that we disabled. The codec is the answer's first
    /// voice format that we offered (matched by encoding, not number: §6.1 only says SHOULD keep
    /// numbers, and the answer's numbers are what the peer expects to receive).
    /// - Throws: `NegotiationError` when the answer breaks these rules or accepts no audio.
    public static func negotiated(offer: SessionDescription,
                                  answer: SessionDescription) throws(NegotiationError) -> NegotiatedAudio {
        guard offer.media.count == answer.media.count else {
            throw .mediaCountMismatch(offered: offer.media.count, answered: answer.media.count)
        }
        var result: NegotiatedAudio? = nil
        for (index, (ours, theirs)) in zip(offer.media, answer.media).enumerated() {
            guard theirs.port != 0 else { continue }
            guard ours.port != 0 else {
                throw .mediaMismatch(index: index, detail: "answer enables a stream the offer disabled with port 0")
            }
            guard ASCII.equalsIgnoringCase(ours.media, theirs.media) else {
                throw .mediaMismatch(index: index, detail: "media type '\(theirs.media)' differs from offered '\(ours.media)'")
            }
            guard ASCII.equalsIgnoringCase(ours.proto, theirs.proto) else {
                throw .mediaMismatch(index: index, detail: "protocol '\(theirs.proto)' differs from offered '\(ours.proto)'")
            }
            guard result == nil, ASCII.equalsIgnoringCase(ours.media, "audio") else { continue }
            result = try negotiatedStream(offer: offer, answer: answer, index: index)
        }
        guard let result else { throw .noCommonMedia }
        return result
    }

    /// The negotiation of one accepted audio stream of an answer.
    static func negotiatedStream(offer: SessionDescription, answer: SessionDescription,
                                 index: Int) throws(NegotiationError) -> NegotiatedAudio {
        guard offer.media.indices.contains(index), answer.media.indices.contains(index) else {
            throw .noCommonMedia
        }
        let ours = offer.media[index]
        let theirs = answer.media[index]
        guard let (map, codec) = chooseOfferedCodec(answer: theirs, offer: ours) else {
            throw .codecNotOffered(index: index)
        }
        var events: NegotiatedTelephoneEvent? = nil
        if telephoneEvent(in: ours, clockRate: map.clockRate) != nil,
           let te = telephoneEvent(in: theirs, clockRate: map.clockRate) {
            events = NegotiatedTelephoneEvent(payloadType: te.payloadType, clockRate: te.clockRate,
                                              events: theirs.fmtp(for: te.payloadType))
        }
        guard let remote = remoteEndpoint(of: answer, index: index), isInternet(remote.connection) else {
            throw .missingConnection(index: index)
        }
        // RFC 4568 §7.1.3: an SRTP answer must pick exactly one of our a=crypto lines.
        var srtp: NegotiatedCrypto? = nil
        if ASCII.equalsIgnoringCase(theirs.proto, "RTP/SAVP") {
            let ourLines = ours.attributeValues(named: "crypto").compactMap { try? CryptoAttribute.parse($0) }
            do {
                srtp = try CryptoNegotiation.acceptAnswer(answerValues: theirs.attributeValues(named: "crypto"), offer: ourLines)
            } catch {
                throw .mediaMismatch(index: index, detail: error.message)
            }
        }
        let offered = offer.effectiveDirection(ofMediaAt: index)
        let answered = answer.effectiveDirection(ofMediaAt: index)
        let heldByAddress = remote.connection.isUnspecifiedAddress
        // RFC 3264 §6.1: the answer's direction is from the peer's side; reverse it, and never
        // exceed what we offered.
        var direction = answered.reversed.intersection(offered)
        if heldByAddress { direction = direction.intersection(.recvonly) }
        var result = NegotiatedAudio(
            mediaIndex: index,
            proto: theirs.proto,
            codec: NegotiatedCodec(codec: codec, payloadType: map.payloadType,
                                   fmtp: theirs.fmtp(for: map.payloadType)),
            telephoneEvent: events,
            remoteAddress: remote.connection.host,
            remotePort: theirs.port,
            remoteRTCPAddress: remote.rtcpAddress,
            remoteRTCPPort: remote.rtcpPort,
            direction: direction,
            // Hold is the peer refusing what we offered to send, or the RFC 2543 address.
            isHold: heldByAddress || (offered.sends && !answered.receives),
            ptime: theirs.ptime ?? ours.ptime ?? 20)
        result.srtp = srtp
        return result
    }

    /// The answer's first voice format that matches a voice format of our offer.
    static func chooseOfferedCodec(answer: MediaDescription,
                                   offer: MediaDescription) -> (RTPMap, AudioCodec)? {
        let offeredMaps = offer.payloadTypes.compactMap { AudioCodec.resolve(payloadType: $0, in: offer) }
        for pt in answer.payloadTypes {
            // An answer that reuses our numbers may omit rtpmap for them; fall back to ours.
            guard let map = AudioCodec.resolve(payloadType: pt, in: answer) ?? offer.rtpMap(for: pt),
                  !ASCII.equalsIgnoringCase(map.encodingName, "telephone-event") else { continue }
            let codec = AudioCodec(rtpMap: map)
            if offeredMaps.contains(where: { codec.matches($0) && !ASCII.equalsIgnoringCase($0.encodingName, "telephone-event") }) {
                return (map, codec)
            }
        }
        return nil
    }
}

extension AudioCodec {
    /// The codec an rtpmap names: the canonical PCMU/PCMA/opus value when it is one of those,
    /// otherwise a codec built from the rtpmap itself.
    public init(rtpMap map: RTPMap) {
        for known in [AudioCodec.pcmu, .pcma, .opus] where known.matches(map) {
            self = known
            return
        }
        let isStatic = AudioCodec.staticRTPMap(payloadType: map.payloadType).map {
            ASCII.equalsIgnoringCase($0.encodingName, map.encodingName) && $0.clockRate == map.clockRate
        } ?? false
        self.init(name: map.encodingName, clockRate: map.clockRate, channels: map.channels ?? 1,
                  staticPayloadType: isStatic ? map.payloadType : nil)
    }
}
