import CallControl
import MediaEngine
import NetIO
import PBXConfig
import RTP
import SIPDialog
import SIPSyntax
import Testing

/// What call control tells the store over a call's life, without a store or sockets.
@Suite struct CallRecordsTests {
    static let owned = RoutedNumber.Account(workspaceID: "ws-1", numberID: "num-1", inboundRateMinor: 50, blocked: false)

    func make(ring: Int = 0, account: RoutedNumber.Account? = owned) throws -> CallControl {
        var c = try PBXConfiguration.parse(yaml: "calls: { ring_seconds: \(ring) }", source: "test")
        c.rtp.portMin = 20000
        c.rtp.portMax = 20009
        var settings = CallControl.Settings(configuration: c, mediaAddress: "127.0.0.1")
        settings.routes = RouteTable([
            RoutedNumber(number: "+254711000001", handler: .builtin(.hold), account: account),
            RoutedNumber(number: "echo", handler: .builtin(.echo), account: nil),
        ])
        let counter = Counter()
        settings.newRecordID = { "rec-\(counter.next())" }
        return CallControl(settings: settings, ports: PortPool(lower: 20000, upper: 20009))
    }

    final class Counter: @unchecked Sendable {
        var n = 0
        func next() -> Int { n += 1; return n }
    }

    func invite(to user: String, from: String = "+254722000002") -> SIPRequest {
        var h = SIPHeaders()
        h.add("Call-ID", "sess-\(user)")
        h.add("From", "<sip:\(from)@127.0.0.1>;tag=a")
        return SIPRequest(method: .invite, uri: SIPURI(user: user, host: "127.0.0.1"), headers: h)
    }

    func records(_ actions: [CallControl.Action]) -> [CallRecordUpdate] {
        actions.compactMap { if case .record(let u) = $0 { return u } else { return nil } }
    }

    func rejects(_ actions: [CallControl.Action]) -> [Int] {
        actions.compactMap { if case .command(.reject(_, let code, _, _)) = $0 { return code } else { return nil } }
    }

    @Test func ownedCallIsStartedAnsweredAndEndedInOrder() throws {
        var cc = try make(ring: 2)
        let a = records(cc.handle(.incoming(CallRef(1), invite: invite(to: "254711000001"), offer: nil)))
        #expect(a == [.started(CallRecordStart(id: "rec-1", workspaceID: "ws-1", numberID: "num-1", sessionID: "sess-254711000001",
                                               direction: "inbound", localNumber: "+254711000001", remoteNumber: "+254722000002",
                                               ratePerMinuteMinor: 50)),
                      .event(id: "rec-1", type: "call.ringing", payload: [:])])
        #expect(cc.liveRecordIDs == ["rec-1"])
        #expect(records(cc.fire(.answer(CallRef(1)))) == [.answered(id: "rec-1")])
        let end = records(cc.handle(.ended(CallRef(1), .remoteBye)))
        #expect(end == [.ended(CallRecordEnd(id: "rec-1", status: "completed", failureCode: nil, sipStatus: nil, reason: "remote_bye"))])
        #expect(cc.liveRecordIDs.isEmpty)
    }

    @Test func configOnlyNumbersAreNotRecorded() throws {
        var cc = try make()
        let actions = cc.handle(.incoming(CallRef(1), invite: invite(to: "echo"), offer: nil))
        #expect(records(actions).isEmpty)
        #expect(records(cc.handle(.ended(CallRef(1), .remoteBye))).isEmpty)
    }

    @Test func negativeWalletGets402AndAFailedRecordButFreeNumbersStillRing() throws {
        var blocked = Self.owned
        blocked.blocked = true
        var cc = try make(account: blocked)
        let actions = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254711000001"), offer: nil))
        #expect(rejects(actions) == [402])
        #expect(records(actions).last == .ended(CallRecordEnd(id: "rec-1", status: "failed", failureCode: "wallet.insufficient_funds",
                                                              sipStatus: 402, reason: "rejected_402")))
        #expect(cc.activeCalls == 0)
        // The stack then reports the rejected leg as ended: no second record.
        #expect(records(cc.handle(.ended(CallRef(1), .rejected(402)))).isEmpty)

        blocked.inboundRateMinor = 0  // a free number rings even on an empty wallet
        var free = try make(account: blocked)
        #expect(rejects(free.handle(.incoming(CallRef(2), invite: invite(to: "+254711000001"), offer: nil))).isEmpty)
    }

    @Test func mediaTimeoutFailsTheRecordAndQualityFollowsTheEnd() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254711000001"), offer: nil))
        _ = cc.handle(.established(CallRef(1), media: nil))
        _ = cc.mediaEvent(CallRef(1), .mediaTimeout)
        let end = records(cc.handle(.ended(CallRef(1), .localBye)))
        #expect(end.first.map { if case .ended(let e) = $0 { e.status == "failed" && e.failureCode == "media.timeout" } else { false } } == true)
        // No media started (no SDP), so no quality event is awaited.
        #expect(records(cc.mediaClosed(CallRef(1), MediaQuality())).isEmpty)
    }

    @Test func keysBecomeDtmfEvents() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254711000001"), offer: nil))
        let r = records(cc.mediaEvent(CallRef(1), .keys([MediaSession.KeyPress(key: "7", durationMs: 120, source: .rfc4733)])))
        #expect(r == [.event(id: "rec-1", type: "dtmf.received", payload: ["key": "7", "duration_ms": "120", "source": "rfc4733"])])
    }

    @Test func apiHangupFindsOnlyLiveCalls() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254711000001"), offer: nil))
        let (found, actions) = cc.hangup(recordID: "rec-1")
        #expect(found)
        #expect(actions.contains { if case .command(.hangup(CallRef(1))) = $0 { true } else { false } })
        #expect(cc.hangup(recordID: "rec-404").found == false)
        _ = cc.handle(.ended(CallRef(1), .localBye))
        #expect(cc.hangup(recordID: "rec-1").found == false)
    }

    @Test(arguments: [
        (EndReason.remoteBye, true, nil, "completed", nil, nil),
        (.localBye, false, nil, "canceled", nil, nil),
        (.cancelled, false, nil, "canceled", nil, 487),
        (.rejected(486), false, nil, "busy", nil, 486),
        (.failed(603), false, nil, "busy", nil, 603),
        (.failed(480), false, nil, "no_answer", nil, 480),
        (.rejected(503), false, nil, "failed", "sip.503", 503),
        (.ackTimeout, true, nil, "failed", "sip.ack_timeout", nil),
        (.sessionExpired, true, nil, "failed", "sip.session_expired", nil),
        (.remoteBye, true, "media.timeout", "failed", "media.timeout", nil),
    ] as [(EndReason, Bool, String?, String, String?, Int?)])
    func finalStatus(reason: EndReason, answered: Bool, failure: String?, status: String, code: String?, sip: Int?) {
        let e = CallRecordEnd.outcome(id: "x", reason: reason, answered: answered, failure: failure)
        #expect(e.status == status)
        #expect(e.failureCode == code)
        #expect(e.sipStatus == sip)
    }
}
