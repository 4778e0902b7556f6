import CallControl
import MediaEngine
import NetIO
import PBXConfig
import SDP
import SIPDialog
import SIPSyntax
import Testing
import VoiceFlow

/// A voice-app call through call control, without sockets: ringing until the first
/// document, answer, audio, keys and timers routed to the interpreter, SIP and records out.
@Suite struct VoiceCallsTests {
    static let account = RoutedNumber.Account(workspaceID: "ws-1", numberID: "num-1", inboundRateMinor: 50, blocked: false,
                                              signingSecret: "whsec_test")

    func make() throws -> CallControl {
        var c = try PBXConfiguration.parse(yaml: "calls: { ring_seconds: 0 }", source: "test")
        c.rtp.portMin = 20000
        c.rtp.portMax = 20009
        var settings = CallControl.Settings(configuration: c, mediaAddress: "127.0.0.1")
        settings.routes = RouteTable([RoutedNumber(number: "+254711000001",
                                                   handler: .callback(url: "http://127.0.0.1:9/app", fallbackURL: nil), account: Self.account)])
        let counter = CallRecordsTests.Counter()
        settings.newRecordID = { "rec-\(counter.next())" }
        return CallControl(settings: settings, ports: PortPool(lower: 20000, upper: 20009))
    }

    func invite() -> SIPRequest {
        var h = SIPHeaders()
        h.add("Call-ID", "sess-1")
        h.add("From", "<sip:+254722000002@127.0.0.1>;tag=a")
        return SIPRequest(method: .invite, uri: SIPURI(user: "+254711000001", host: "127.0.0.1"), headers: h)
    }

    static let media = NegotiatedAudio(mediaIndex: 0, proto: "RTP/AVP", codec: .init(codec: .pcmu, payloadType: 0),
                                       telephoneEvent: nil, remoteAddress: "127.0.0.1", remotePort: 4000,
                                       remoteRTCPAddress: "127.0.0.1", remoteRTCPPort: 4001, direction: .sendrecv,
                                       isHold: false, ptime: 20)

    func voice(_ a: [CallControl.Action]) -> [CallControl.VoiceIO] {
        a.compactMap { if case .voice(_, let io) = $0 { return io } else { return nil } }
    }

    func commands(_ a: [CallControl.Action]) -> [String] {
        a.compactMap {
            guard case .command(let c) = $0 else { return nil }
            return switch c {
            case .ring: "ring"
            case .answer: "answer"
            case .reject(_, let code, _, _): "reject \(code)"
            case .hangup: "hangup"
            }
        }
    }

    func records(_ a: [CallControl.Action]) -> [CallRecordUpdate] {
        a.compactMap { if case .record(let u) = $0 { return u } else { return nil } }
    }

    @Test func ringsFetchesAnswersPlaysAndHangsUp() throws {
        var cc = try make()
        let ref = CallRef(1)
        let incoming = cc.handle(.incoming(ref, invite: invite(), offer: nil))
        #expect(commands(incoming) == ["ring"])  // no answer before the app says so
        guard case .fetch(let token, let url, let method, let request, let secret)? = voice(incoming).first else {
            Issue.record("no fetch")
            return
        }
        #expect(url == "http://127.0.0.1:9/app" && method == "POST")
        #expect(request.callID == "rec-1" && request.sessionID == "sess-1" && request.from == "+254722000002"
                && request.to == "+254711000001" && secret == "whsec_test" && request.step == 1
                && request.callStatus == .ringing && request.direction == .inbound)
        let doc = cc.voiceEvent(ref, .fetched(token: token, actions: [.say(.init(text: "Hello"))], status: 200, elapsedMs: 2))
        #expect(commands(doc) == ["answer"])
        #expect(records(doc).contains(.answered(id: "rec-1")))
        let up = cc.handle(.established(ref, media: Self.media))
        guard case .playAudio(let t, .say(let say), _)? = voice(up).first else {
            Issue.record("no audio after media started")
            return
        }
        #expect(say.text == "Hello")
        // The media engine reports the end of exactly that playback by its id.
        #expect(commands(cc.mediaEvent(ref, .playbackFinished(id: UInt64(t + 100)))).isEmpty)
        #expect(commands(cc.mediaEvent(ref, .playbackFinished(id: UInt64(t)))) == ["hangup"])
        let end = records(cc.handle(.ended(ref, .localBye)))
        #expect(end.contains(.ended(CallRecordEnd(id: "rec-1", status: "completed", failureCode: nil, sipStatus: nil, reason: "local_bye"))))
        #expect(cc.activeVoiceCalls == 0)
    }

    @Test func failingCallbackEndsFailedWithItsCode() throws {
        var cc = try make()
        let ref = CallRef(1)
        guard case .fetch(let token, _, _, _, _)? = voice(cc.handle(.incoming(ref, invite: invite(), offer: nil))).first else {
            Issue.record("no fetch")
            return
        }
        let failed = cc.voiceEvent(ref, .fetchFailed(token: token, code: "callback.timeout", message: "no answer in 10 s"))
        #expect(commands(failed) == ["answer"])
        #expect(records(failed).contains(.event(id: "rec-1", type: "callback.failed",
                                                payload: ["url": "http://127.0.0.1:9/app", "step": "1", "code": "callback.timeout",
                                                          "message": "no answer in 10 s"])))
        guard case .playAudio(let t, _, _)? = voice(cc.handle(.established(ref, media: Self.media))).first else {
            Issue.record("no apology")
            return
        }
        #expect(commands(cc.mediaEvent(ref, .playbackFinished(id: UInt64(t)))) == ["hangup"])
        let end = records(cc.handle(.ended(ref, .localBye)))
        #expect(end.contains(.ended(CallRecordEnd(id: "rec-1", status: "failed", failureCode: "callback.timeout", sipStatus: nil,
                                                  reason: "local_bye"))))
    }

    @Test func keysAndTimersReachTheInterpreterAndRejectIsFree() throws {
        var cc = try make()
        let ref = CallRef(1)
        guard case .fetch(let token, _, _, _, _)? = voice(cc.handle(.incoming(ref, invite: invite(), offer: nil))).first else {
            Issue.record("no fetch")
            return
        }
        var g = VoiceAction.GetDigits()
        g.numDigits = 1
        _ = cc.voiceEvent(ref, .fetched(token: token, actions: [.getDigits(g)], status: 200, elapsedMs: 1))
        let up = cc.handle(.established(ref, media: Self.media))
        #expect(up.contains { if case .startTimer(.voice(ref, .digits), _) = $0 { true } else { false } })
        let key = cc.handle(.info(ref, contentType: "application/dtmf-relay", body: Array("Signal=7\r\nDuration=160\r\n".utf8)))
        guard case .fetch(_, _, _, let r, _)? = voice(key).first else {
            Issue.record("no fetch after the key")
            return
        }
        #expect(r.digits == "7" && r.step == 2 && r.callStatus == .answered)

        // A second call that the app rejects: 486 before answer, busy, no answer record.
        var cc2 = try make()
        guard case .fetch(let t2, _, _, _, _)? = voice(cc2.handle(.incoming(ref, invite: invite(), offer: nil))).first else { return }
        let rj = cc2.voiceEvent(ref, .fetched(token: t2, actions: [.reject(.init(reason: .busy))], status: 200, elapsedMs: 1))
        #expect(commands(rj) == ["reject 486"])
        #expect(!records(rj).contains(.answered(id: "rec-1")))
        let end = records(cc2.handle(.ended(ref, .rejected(486))))
        #expect(end.contains(.ended(CallRecordEnd(id: "rec-1", status: "busy", failureCode: nil, sipStatus: 486, reason: "rejected_486"))))
    }
}
