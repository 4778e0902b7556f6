/// UAS side: answering a peer's offer (RFC 3264 §6).
extension OfferAnswer {
    /// Answers an offer for an audio-only PBX.
    ///
    /// One m= line per offered m= line, same order (RFC 3264 §6). The first audio stream with a
    /// supported profile, a usable c= address and a common codec is accepted; every other
    /// stream is rejected with port 0 and its offered formats. The codec is the first offered
    /// format we support, with the offerer's payload type number (§6.1). telephone-event is
    /// kept when offered at the codec's clock rate. The direction mirrors the offer (§6.1)
    /// and is then narrowed by `localDirectionPreference` (e.g. `.sendonly` to hold the peer).
    ///
    /// With `allowSRTP` and an `srtpKey`, an RTP/SAVP stream is accepted when one of its
    /// a=crypto lines is (RFC 4568 §7.1.2); the answer carries our line with the same tag.
    /// - Throws: `NegotiationError.noCommonMedia` when no audio stream can be accepted (→ 488).
    public static func answer(
        to offer: SessionDescription,
        capabilities: LocalMediaCapabilities,
        origin: SDPOrigin,
        localDirectionPreference: MediaDirection = .sendrecv,
        sessionName: String = "-"
    ) throws(NegotiationError) -> (answer: SessionDescription, negotiated: NegotiatedAudio) {
        var answerMedia: [MediaDescription] = []
        answerMedia.reserveCapacity(offer.media.count)
        var negotiated: NegotiatedAudio? = nil
        for (index, offered) in offer.media.enumerated() {
            if negotiated == nil,
               let accepted = accept(offer: offer, index: index, capabilities: capabilities,
                                     localDirection: localDirectionPreference) {
                answerMedia.append(accepted.media)
                negotiated = accepted.negotiated
            } else {
                answerMedia.append(rejected(offered))
            }
        }
        guard let negotiated else { throw .noCommonMedia }
        // RFC 3264 §6: "The t= line in the answer MUST equal that of the offer."
        let times = offer.times.isEmpty ? [SDPTiming()] : offer.times
        let answer = SessionDescription(origin: origin, sessionName: sessionName,
                                        connection: capabilities.connection, times: times,
                                        media: answerMedia)
        return (answer, negotiated)
    }

    /// RFC 3264 §6: a rejected stream keeps its media type, profile and formats, with port 0.
    static func rejected(_ offered: MediaDescription) -> MediaDescription {
        // A hand-built offer might have no formats; RFC 4566 §5.14 needs at least one.
        let formats = offered.formats.isEmpty ? ["0"] : offered.formats
        return MediaDescription(media: offered.media, port: 0, proto: offered.proto, formats: formats)
    }

    /// The answer section and negotiation for stream `index`, or nil when we cannot take it.
    static func accept(
        offer: SessionDescription, index: Int, capabilities: LocalMediaCapabilities,
        localDirection: MediaDirection
    ) -> (media: MediaDescription, negotiated: NegotiatedAudio)? {
        guard offer.media.indices.contains(index) else { return nil }
        let offered = offer.media[index]
        // RFC 3264 §6: a stream the offerer disabled (port 0) stays disabled.
        guard ASCII.equalsIgnoringCase(offered.media, "audio"), offered.port != 0,
              capabilities.supports(proto: offered.proto),
              let remote = remoteEndpoint(of: offer, index: index), isInternet(remote.connection),
              let (map, codec) = chooseCodec(in: offered, capabilities: capabilities) else {
            return nil
        }

        // RFC 4568 §7.1.2: an RTP/SAVP stream needs an acceptable a=crypto line, else it is
        // rejected like any stream we cannot take (→ 488 when it was the only one).
        var srtp: NegotiatedCrypto? = nil
        var cryptoAttribute: SDPAttribute? = nil
        if ASCII.equalsIgnoringCase(offered.proto, "RTP/SAVP") {
            guard let key = capabilities.srtpKey,
                  let a = try? CryptoNegotiation.answer(offerValues: offered.attributeValues(named: "crypto"), localKey: key)
            else { return nil }
            cryptoAttribute = SDPAttribute("crypto", a.attribute.value)
            srtp = a.negotiated
        }

        var formats = [String(map.payloadType)]
        // Echo the offerer's rtpmap; synthesize one for a static payload type it left implicit.
        var attributes = [map.attribute]
        var events: NegotiatedTelephoneEvent? = nil
        if capabilities.telephoneEvent,
           let te = telephoneEvent(in: offered, clockRate: map.clockRate) {
            formats.append(String(te.payloadType))
            attributes.append(te.attribute)
            let fmtp = offered.fmtp(for: te.payloadType)
            if let fmtp {
                attributes.append(FormatParameters(format: String(te.payloadType), parameters: fmtp).attribute)
            }
            events = NegotiatedTelephoneEvent(payloadType: te.payloadType, clockRate: te.clockRate, events: fmtp)
        }
        // The offerer's ptime says how it wants to receive; we honour it and say so.
        let ptime = offered.ptime ?? capabilities.ptime
        if let ptime { attributes.append(SDPAttribute("ptime", String(ptime))) }

        let offeredDirection = offer.effectiveDirection(ofMediaAt: index)
        // RFC 3264 §8.4: c=0.0.0.0 means "send neither RTP nor RTCP to me".
        let heldByAddress = remote.connection.isUnspecifiedAddress
        var direction = offeredDirection.reversed.intersection(localDirection)
        if heldByAddress { direction = direction.intersection(.recvonly) }
        attributes.append(direction.attribute)
        if let cryptoAttribute { attributes.append(cryptoAttribute) }

        let media = MediaDescription(media: offered.media, port: capabilities.port, proto: offered.proto,
                                     formats: formats, attributes: attributes)
        var negotiated = NegotiatedAudio(
            mediaIndex: index,
            proto: offered.proto,
            codec: NegotiatedCodec(codec: codec, payloadType: map.payloadType,
                                   fmtp: offered.fmtp(for: map.payloadType)),
            telephoneEvent: events,
            remoteAddress: remote.connection.host,
            remotePort: offered.port,
            remoteRTCPAddress: remote.rtcpAddress,
            remoteRTCPPort: remote.rtcpPort,
            direction: direction,
            isHold: heldByAddress || !offeredDirection.receives,
            ptime: ptime ?? 20)
        negotiated.srtp = srtp
        return (media, negotiated)
    }
}
