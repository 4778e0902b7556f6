import CallControl
import MediaEngine
import NetIO
import PBXConfig
import RTP
import SDP
import SIPDialog
import SIPSyntax
import Testing

/// What call control does with SDP outcomes and with what the media engine reports.
@Suite struct MediaEventsTests {
    func make() throws -> CallControl {
        var c = try PBXConfiguration.parse(yaml: """
        rtp: { media_timeout_seconds: 12 }
        numbers:
          - { number: "echo", route: echo }
        """, source: "test")
        c.rtp.portMin = 20000
        c.rtp.portMax = 20009
        var settings = CallControl.Settings(configuration: c, mediaAddress: "127.0.0.1")
        settings.srtpKey = { [UInt8](repeating: 7, count: 30) }
        return CallControl(settings: settings, ports: PortPool(lower: 20000, upper: 20009))
    }

    func invite() -> SIPRequest {
        var h = SIPHeaders()
        h.add("Call-ID", "media-1")
        return SIPRequest(method: .invite, uri: SIPURI(user: "echo", host: "127.0.0.1"), headers: h)
    }

    func negotiated(hold: Bool = false, direction: MediaDirection = .sendrecv, srtp: NegotiatedCrypto? = nil) -> NegotiatedAudio {
        var n = NegotiatedAudio(mediaIndex: 0, proto: srtp == nil ? "RTP/AVP" : "RTP/SAVP",
                                codec: NegotiatedCodec(codec: .opus, payloadType: 111, fmtp: "useinbandfec=1"),
                                telephoneEvent: NegotiatedTelephoneEvent(payloadType: 96, clockRate: 48000),
                                remoteAddress: "198.51.100.7", remotePort: 4000, remoteRTCPAddress: "198.51.100.7",
                                remoteRTCPPort: 4009, direction: direction, isHold: hold, ptime: 20)
        n.srtp = srtp
        return n
    }

    func started(_ actions: [CallControl.Action]) -> (MediaSession.Mode, MediaSession.Parameters)? {
        for a in actions { if case .media(.start(_, let mode, let p)) = a { return (mode, p) } }
        return nil
    }

    @Test func answerOffersSRTPWithTheInjectedKey() throws {
        var cc = try make()
        let actions = cc.handle(.incoming(CallRef(1), invite: invite(), offer: nil))
        let caps = actions.compactMap { a -> LocalMediaCapabilities? in
            if case .command(.answer(_, let c)) = a { return c }
            return nil
        }.first
        #expect(caps?.allowSRTP == true)
        #expect(caps?.srtpKey == [UInt8](repeating: 7, count: 30))
    }

    @Test func negotiatedAudioBecomesMediaParameters() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(), offer: nil))
        let keys = NegotiatedCrypto(tag: 2, suite: .aes128CmSha1_32, localKey: [1], remoteKey: [2])
        let (mode, p) = try #require(started(cc.handle(.established(CallRef(1), media: negotiated(srtp: keys)))))
        #expect(mode == .echo)
        #expect(p.codec == .opus(fmtp: "useinbandfec=1") && p.payloadType == 111)
        #expect(p.telephoneEventPayloadType == 96 && p.telephoneEventClockRate == 48000)
        #expect(p.remote == TransportAddress(host: "198.51.100.7", port: 4000))
        #expect(p.remoteRTCP == TransportAddress(host: "198.51.100.7", port: 4009))  // RFC 3605 a=rtcp
        #expect(p.mediaTimeoutMs == 12_000)
        #expect(p.srtp == keys)
        #expect(!p.held)
    }

    @Test func holdByReInviteStopsEchoAndPausesTheTimeout() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(), offer: nil))
        _ = cc.handle(.established(CallRef(1), media: negotiated()))
        let (mode, p) = try #require(started(cc.handle(.mediaChanged(CallRef(1), media: negotiated(hold: true, direction: .recvonly)))))
        #expect(mode == .silent)
        #expect(p.held)
    }

    @Test func mediaTimeoutHangsUpAndTheRecordSaysWhy() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(), offer: nil))
        _ = cc.handle(.established(CallRef(1), media: negotiated()))
        let actions = cc.mediaEvent(CallRef(1), .mediaTimeout)
        #expect(actions.contains { if case .command(.hangup(CallRef(1))) = $0 { return true } else { return false } })
        let end = cc.handle(.ended(CallRef(1), .localBye))
        let failure = end.compactMap { a -> String? in
            if case .log(let r) = a, r.message == "call ended" { return r.metadata["failure"] }
            return nil
        }
        #expect(failure == ["media.timeout"])
        // Events for a call that is gone change nothing.
        #expect(cc.mediaEvent(CallRef(1), .mediaTimeout).isEmpty)
    }

    @Test func keysAndQualityAreLogged() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(), offer: nil))
        let keys = cc.mediaEvent(CallRef(1), .keys([MediaSession.KeyPress(key: "5", durationMs: 120, source: .rfc4733)]))
        #expect(keys.count == 1)
        var q = MediaQuality()
        q.packetsReceived = 500
        q.rttMs = 12.34
        let logged = cc.mediaClosed(CallRef(1), q)
        guard case .log(let r)? = logged.first else { Issue.record("expected a log"); return }
        #expect(r.metadata["rtp_rx"] == "500" && r.metadata["rtt_ms"] == "12.3")
    }
}
