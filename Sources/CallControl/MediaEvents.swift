import MediaEngine
import RTP
import SDP
import SIPDialog
import SIPSyntax

/// What the media engine reports about a leg, and how SDP becomes media parameters.
extension CallControl {
    /// The media parameters for what SDP negotiated: codec and payload types, where to send
    /// RTP and RTCP (RFC 3605 a=rtcp), hold (RFC 3264 §8.4) and the media timeout.
    public func parameters(_ n: NegotiatedAudio) -> MediaSession.Parameters {
        let name = n.codec.codec.name.uppercased()
        let codec: MediaSession.Codec = name == "OPUS" ? .opus(fmtp: n.codec.fmtp) : .g711(name == "PCMA" ? .aLaw : .muLaw)
        return MediaSession.Parameters(
            payloadType: n.codec.payloadType, codec: codec,
            telephoneEventPayloadType: n.telephoneEvent?.payloadType,
            telephoneEventClockRate: Int(n.telephoneEvent?.clockRate ?? 8000),
            remote: TransportAddress(host: n.remoteAddress, port: Int(n.remotePort)),
            remoteRTCP: TransportAddress(host: n.remoteRTCPAddress, port: Int(n.remoteRTCPPort)),
            held: n.isHold || !n.canSend,
            mediaTimeoutMs: Int64(settings.mediaTimeoutSeconds) * 1000,
            srtp: n.srtp)
    }

    /// An event from a leg's media worker.
    public mutating func mediaEvent(_ ref: CallRef, _ event: MediaSession.Event) -> [Action] {
        guard var call = calls[ref] else { return [] }
        switch event {
        case .keys(let keys):
            return keysPressed(ref, keys)
        case .mediaTimeout:
            // No RTP outside hold for `media_timeout_seconds`: the caller is gone (a dead NAT
            // binding, a crashed phone); end the call and say why.
            call.failure = "media.timeout"
            calls[ref] = call
            return [.log(LogRecord(level: .notice, message: "no RTP received, hanging up", call: ref,
                                   metadata: ["call_id": call.callID, "failure": "media.timeout",
                                              "timeout_s": String(settings.mediaTimeoutSeconds)])),
                    .command(.hangup(ref))]
        case .srtpFailure(let code):
            return [.log(LogRecord(level: .warning, message: "SRTP packets rejected", call: ref,
                                   metadata: ["call_id": call.callID, "error": code]))]
        case .playbackFinished(let id):
            return voiceEvent(ref, .audioFinished(token: Int(truncatingIfNeeded: id)))
        case .speech(let started):
            return voiceEvent(ref, .speech(started: started))
        }
    }

    /// A leg's media closed: its quality figures (RTCP, RFC 3550 §6.4) go to the log and, on a
/// recorded call, become its `media.quality` event.
    public mutating func mediaClosed(_ ref: CallRef, _ quality: MediaQuality) -> [Action] {
        var out: [Action] = [.log(LogRecord(level: .info, message: "media quality", call: ref, metadata: quality.metadata))]
        if let id = closingRecords.removeValue(forKey: ref) {
            out.append(.record(.event(id: id, type: "media.quality", payload: quality.metadata)))
        }
        return out
    }
}
