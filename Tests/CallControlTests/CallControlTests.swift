import CallControl
import NetIO
import PBXConfig
import SIPDialog
import SIPSyntax
import Testing

/// Routing, limits and shutdown decisions, without any SIP on the wire.
@Suite struct CallControlTests {
    func make(ring: Int = 0, maxCalls: Int = 10) throws -> CallControl {
        var c = try PBXConfiguration.parse(yaml: """
        calls: { ring_seconds: \(ring), max_duration_seconds: 60 }
        sip: { overload: { max_active_calls: \(maxCalls), retry_after_seconds: 7 } }
        numbers:
          - { number: "+254700000001", route: hold }
        """, source: "test")
        c.rtp.portMin = 20000
        c.rtp.portMax = 20009
        return CallControl(settings: .init(configuration: c, mediaAddress: "127.0.0.1"), ports: PortPool(lower: 20000, upper: 20009))
    }

    func invite(to user: String) -> SIPRequest {
        var h = SIPHeaders()
        h.add("Call-ID", "c-\(user)")
        return SIPRequest(method: .invite, uri: SIPURI(user: user, host: "127.0.0.1"), headers: h)
    }

    func commands(_ actions: [CallControl.Action]) -> [String] {
        actions.compactMap {
            guard case .command(let c) = $0 else { return nil }
            switch c {
            case .ring: return "ring"
            case .answer(_, let caps): return "answer:\(caps.port)"
            case .reject(_, let code, _, let headers): return "reject:\(code)" + headers.map { ":\($0.0)=\($0.1)" }.joined()
            case .hangup: return "hangup"
            }
        }
    }

    @Test func routesKnownNumbersWithOrWithoutPlus() throws {
        var cc = try make()
        #expect(commands(cc.handle(.incoming(CallRef(1), invite: invite(to: "+254700000001"), offer: nil))) == ["answer:20000"])
        #expect(commands(cc.handle(.incoming(CallRef(2), invite: invite(to: "254700000001"), offer: nil))) == ["answer:20002"])
        #expect(commands(cc.handle(.incoming(CallRef(3), invite: invite(to: "+254711111111"), offer: nil))) == ["reject:404"])
        #expect(cc.activeCalls == 2)
    }

    @Test func ringsThenAnswersOnTimer() throws {
        var cc = try make(ring: 3)
        let a = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254700000001"), offer: nil))
        #expect(commands(a) == ["ring"])
        #expect(a.contains { if case .startTimer(.answer(CallRef(1)), let d) = $0 { return d == .seconds(3) } else { return false } })
        #expect(commands(cc.fire(.answer(CallRef(1)))) == ["answer:20000"])
    }

    @Test func limitsGive503WithRetryAfterAndPortsAreReused() throws {
        var cc = try make(maxCalls: 2)
        _ = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254700000001"), offer: nil))
        _ = cc.handle(.incoming(CallRef(2), invite: invite(to: "+254700000001"), offer: nil))
        #expect(commands(cc.handle(.incoming(CallRef(3), invite: invite(to: "+254700000001"), offer: nil))) == ["reject:503:Retry-After=7"])
        _ = cc.handle(.ended(CallRef(1), .remoteBye))
        #expect(commands(cc.handle(.incoming(CallRef(4), invite: invite(to: "+254700000001"), offer: nil))) == ["answer:20004"])
        cc.overloaded = true
        #expect(commands(cc.handle(.incoming(CallRef(5), invite: invite(to: "+254700000001"), offer: nil))) == ["reject:503:Retry-After=7"])
    }

    @Test func maxDurationHangsUp() throws {
        var cc = try make()
        let a = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254700000001"), offer: nil))
        #expect(a.contains { if case .startTimer(.maxDuration(CallRef(1)), let d) = $0 { return d == .seconds(60) } else { return false } })
        #expect(commands(cc.fire(.maxDuration(CallRef(1)))) == ["hangup"])
        let end = cc.handle(.ended(CallRef(1), .localBye))
        #expect(end.contains { if case .cancelTimer(.maxDuration(CallRef(1))) = $0 { return true } else { return false } })
        #expect(cc.activeCalls == 0)
    }

    @Test func shutdownDrainsThenHangsUpTheRest() throws {
        var cc = try make()
        _ = cc.handle(.incoming(CallRef(1), invite: invite(to: "+254700000001"), offer: nil))
        _ = cc.handle(.incoming(CallRef(2), invite: invite(to: "+254700000001"), offer: nil))
        let s = cc.beginShutdown(drain: .seconds(5))
        #expect(s.contains { if case .startTimer(.drainDeadline, .seconds(5)) = $0 { return true } else { return false } })
        #expect(commands(cc.handle(.incoming(CallRef(3), invite: invite(to: "+254700000001"), offer: nil))) == ["reject:503:Retry-After=7"])
        _ = cc.handle(.ended(CallRef(1), .remoteBye))
        #expect(commands(cc.fire(.drainDeadline)) == ["hangup"])
        let last = cc.handle(.ended(CallRef(2), .localBye))
        #expect(last.contains { if case .drained = $0 { return true } else { return false } })
    }
}

@Suite struct PortPoolTests {
    @Test func evenPortsRoundRobinAndExhaustion() {
        var p = PortPool(lower: 20001, upper: 20008)
        #expect(p.allocate() == 20002)
        #expect(p.allocate() == 20004)
        #expect(p.allocate() == 20006)
        #expect(p.allocate() == nil) // 20008 has no RTCP port inside the range
        p.release(20002)
        p.release(20002)
        #expect(p.allocate() == 20002)
        #expect(p.allocate() == nil)
    }
}

@Suite struct PortPoolQuarantineTests {
    @Test func releasedPortsWaitBehindTheQuarantine() {
        var p = PortPool(lower: 30000, upper: 30999, quarantine: 2)
        let a = p.allocate(), b = p.allocate(), c = p.allocate()
        #expect([a, b, c] == [30000, 30002, 30004])
        p.release(30000)
        p.release(30002)
        #expect(p.allocate() == 30006) // only 2 waiting: not more than the quarantine
        p.release(30004)
        #expect(p.allocate() == 30000) // 3 waiting: the oldest comes back
        #expect(p.allocatedCount == 2)
    }
}

@Suite struct InfoKeyTests {
    @Test func dtmfRelayAndPlainDtmfBodies() {
        let relay = CallControl.keyFromInfo(contentType: "application/dtmf-relay", body: Array("Signal=5\r\nDuration=160\r\n".utf8))
        #expect(relay?.key == "5" && relay?.durationMs == 160)
        #expect(CallControl.keyFromInfo(contentType: "application/dtmf-relay", body: Array("Signal= 11\nDuration= 100".utf8))?.key == "#")
        #expect(CallControl.keyFromInfo(contentType: "application/dtmf", body: Array("*".utf8))?.key == "*")
        #expect(CallControl.keyFromInfo(contentType: "application/dtmf-relay", body: Array("Signal=X".utf8)) == nil)
        #expect(CallControl.keyFromInfo(contentType: "text/plain", body: Array("5".utf8)) == nil)
    }
}
