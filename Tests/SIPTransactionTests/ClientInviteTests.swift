import Testing
import SIPSyntax
@testable import SIPTransaction

/// RFC 3261 §17.1.1 + RFC 6026 §8.4: the INVITE client transaction.
@Suite struct ClientInviteTests {
    func invite(_ extra: [String] = []) throws -> SIPRequest {
        try Fx.request("INVITE", branch: "z9hG4bK-c1", sentBy: "10.0.0.2:5060", uri: "sip:bob@10.0.0.1", extra: extra)
    }

    @Test func timerADoublesWithoutCapUntilTimerB() throws {
        let sim = Sim()
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        let first = sim.handle(.sendRequest(inv, to: Fx.phone))
        #expect(first.map(\.label) == ["transmit INVITE", "startTimer A 0.5", "startTimer B 32.0"])
        #expect(sim.layers[0].state(of: key) == .calling)
        sim.advance(to: .seconds(40))
        // Intervals 0.5, 1, 2, 4, 8, 16 s: A never caps at T2 (§17.1.1.2).
        #expect(sim.transmitTimes() == [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5])
        #expect(sim.transmits().allSatisfy { $0.to == Fx.phone && $0.message.request?.method == .invite })
        #expect(sim.timeOfTimeout(key) == 32)
        #expect(sim.timeOfTermination(key) == 32)
        #expect(sim.layers[0].count == 0)
        #expect(sim.pendingTimers == 0)
    }

    @Test func timersScaleWithT1() throws {
        let sim = Sim(TransactionLayer(timers: TransactionTimers(t1: .milliseconds(100))))
        let inv = try invite()
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.advance(to: .seconds(10))
        #expect(sim.transmitTimes() == [0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.3])
        #expect(sim.timeOfTimeout(try Fx.clientKey(inv)) == 6.4)
    }

    @Test func provisionalStopsRetransmissionAndTimerB() throws {
        let sim = Sim()
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.advance(to: .milliseconds(700))
        let acts = sim.handle(.responseReceived(Fx.response(inv, 180), from: Fx.phone))
        #expect(acts.map(\.label) == ["cancelTimer A", "cancelTimer B", "deliverResponse 180"])
        #expect(sim.layers[0].state(of: key) == .proceeding)
        #expect(sim.handle(.responseReceived(Fx.response(inv, 183), from: Fx.phone)).map(\.label) == ["deliverResponse 183"])
        sim.advance(to: .seconds(300))
        // Still ringing after 5 minutes: Proceeding has no timer (the TU's Timer C or CANCEL ends it).
        #expect(sim.transmitTimes() == [0, 0.5])
        #expect(sim.layers[0].state(of: key) == .proceeding)
        #expect(sim.pendingTimers == 0)
    }

    @Test func nonSuccessFinalIsAckedByTheTransaction() throws {
        let sim = Sim()
        let inv = try invite(["Route: <sip:proxy1.example;lr>", "Route: <sip:proxy2.example;lr>",
                              "Contact: <sip:pbx@10.0.0.2>", "Content-Type: application/sdp"])
        let key = try Fx.clientKey(inv)
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.handle(.responseReceived(Fx.response(inv, 180, toTag: "callee"), from: Fx.phone))
        sim.advance(to: .seconds(3))
        let busy = Fx.response(inv, 486, toTag: "callee")
        let acts = sim.handle(.responseReceived(busy, from: Fx.phone))
        #expect(acts.map(\.label) == ["transmit ACK", "deliverResponse 486", "startTimer D 32.0"])
        #expect(sim.layers[0].state(of: key) == .completed)

        // §17.1.1.3: the ACK's fields.
        let ack = try #require(acts.first?.transmitted?.request)
        #expect(ack.method == .ack)
        #expect(ack.uri == inv.uri)
        #expect(ack.headers.values("Via") == [try #require(inv.headers.values("Via").first)])
        #expect(ack.topVia?.branch == "z9hG4bK-c1")
        #expect(ack.callID == inv.callID)
        #expect(ack.headers["From"] == inv.headers["From"])
        #expect(ack.to?.tag == "callee")
        #expect(ack.cseq == CSeq(1, .ack))
        #expect(ack.headers.rawValues("Route") == ["<sip:proxy1.example;lr>", "<sip:proxy2.example;lr>"])
        #expect(ack.headers["Contact"] == nil)
        #expect(ack.body.isEmpty)
        if case .transmit(_, let to) = acts[0] { #expect(to == Fx.phone) }

        // Each retransmitted 486 is ACKed again and not delivered.
        sim.advance(to: .seconds(4))
        #expect(sim.handle(.responseReceived(busy, from: Fx.phone)).map(\.label) == ["transmit ACK"])
        #expect(sim.handle(.responseReceived(Fx.response(inv, 180), from: Fx.phone)).isEmpty)

        // Timer D: 32 s after the 486.
        sim.advance(to: .seconds(60))
        #expect(sim.timeOfTermination(key) == 35)
        #expect(sim.layers[0].count == 0)
        // After Timer D the response matches nothing.
        #expect(sim.handle(.responseReceived(busy, from: Fx.phone)).map(\.label) == ["deliverStrayResponse 486"])
    }

    @Test func successEntersAcceptedUntilTimerM() throws {
        let sim = Sim()
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.advance(to: .seconds(1))
        let ok = Fx.response(inv, 200, toTag: "callee")
        let acts = sim.handle(.responseReceived(ok, from: Fx.phone))
        #expect(acts.map(\.label) == ["cancelTimer A", "cancelTimer B", "deliverResponse 200", "startTimer M 32.0"])
        #expect(sim.layers[0].state(of: key) == .accepted)
        // RFC 6026 §8.4: retransmitted 2xx (and other forks' 2xx) still go to the TU; no ACK here.
        sim.advance(to: .seconds(2))
        #expect(sim.handle(.responseReceived(ok, from: Fx.phone)).map(\.label) == ["deliverResponse 200"])
        #expect(sim.handle(.responseReceived(Fx.response(inv, 200, toTag: "fork2"), from: Fx.phone)).map(\.label) == ["deliverResponse 200"])
        #expect(sim.handle(.responseReceived(Fx.response(inv, 180), from: Fx.phone)).isEmpty)
        #expect(sim.handle(.responseReceived(Fx.response(inv, 486), from: Fx.phone)).isEmpty)
        #expect(sim.transmits().count == 2) // the INVITE and its one retransmission
        sim.advance(to: .seconds(40))
        #expect(sim.timeOfTermination(key) == 33)
        #expect(sim.layers[0].count == 0)
        // After Timer M the 2xx is stray: the TU may re-ACK it.
        #expect(sim.handle(.responseReceived(ok, from: Fx.phone)).map(\.label) == ["deliverStrayResponse 200"])
    }

    @Test func reliableTransportHasNoTimerAAndZeroTimerD() throws {
        let sim = Sim(TransactionLayer(reliableTransport: true))
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        #expect(sim.handle(.sendRequest(inv, to: Fx.phone)).map(\.label) == ["transmit INVITE", "startTimer B 32.0"])
        let acts = sim.handle(.responseReceived(Fx.response(inv, 603), from: Fx.phone))
        #expect(acts.map(\.label) == ["cancelTimer B", "transmit ACK", "deliverResponse 603", "terminated"])
        #expect(sim.layers[0].state(of: key) == nil)
        #expect(sim.layers[0].count == 0)
    }

    @Test func tcpViaIsReliableEvenOnAnUnreliableLayer() throws {
        let sim = Sim()
        let inv = try Fx.request("INVITE", branch: "z9hG4bK-t", sentBy: "10.0.0.2:5060", transport: "TCP")
        #expect(sim.handle(.sendRequest(inv, to: Fx.phone)).map(\.label) == ["transmit INVITE", "startTimer B 32.0"])
    }

    @Test func timerBStillBoundsCallingOnReliableTransport() throws {
        let sim = Sim(TransactionLayer(reliableTransport: true))
        let inv = try invite()
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.advance(to: .seconds(33))
        #expect(sim.transmitTimes() == [0])
        #expect(sim.timeOfTimeout(try Fx.clientKey(inv)) == 32)
    }

    @Test func cancelRestartsTimerBInProceeding() throws {
        // RFC 3261 §9.1: no final response 64*T1 after the CANCEL → give the INVITE up.
        let sim = Sim()
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.handle(.responseReceived(Fx.response(inv, 180), from: Fx.phone))
        sim.advance(to: .seconds(10))
        let cancel = try Fx.request("CANCEL", branch: "z9hG4bK-c1", sentBy: "10.0.0.2:5060", uri: "sip:bob@10.0.0.1")
        let cancelKey = try Fx.clientKey(cancel)
        #expect(cancelKey != key)
        let acts = sim.handle(.sendRequest(cancel, to: Fx.phone))
        #expect(acts.map(\.label) == ["transmit CANCEL", "startTimer E 0.5", "startTimer F 32.0", "startTimer B 32.0"])
        sim.handle(.responseReceived(Fx.response(cancel, 200), from: Fx.phone))
        sim.advance(to: .seconds(60))
        #expect(sim.timeOfTimeout(key) == 42)
        #expect(sim.layers[0].count == 0)
    }

    @Test func cancelledInviteStillCompletesWith487() throws {
        let sim = Sim()
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        sim.handle(.sendRequest(inv, to: Fx.phone))
        sim.handle(.responseReceived(Fx.response(inv, 180), from: Fx.phone))
        let cancel = try Fx.request("CANCEL", branch: "z9hG4bK-c1", sentBy: "10.0.0.2:5060", uri: "sip:bob@10.0.0.1")
        sim.handle(.sendRequest(cancel, to: Fx.phone))
        let acts = sim.handle(.responseReceived(Fx.response(inv, 487), from: Fx.phone))
        #expect(acts.map(\.label) == ["cancelTimer B", "transmit ACK", "deliverResponse 487", "startTimer D 32.0"])
        #expect(sim.layers[0].state(of: key) == .completed)
    }

    @Test func transportFailureTimesOut() throws {
        let sim = Sim()
        let inv = try invite()
        let key = try Fx.clientKey(inv)
        sim.handle(.sendRequest(inv, to: Fx.phone))
        let acts = sim.handle(.transportFailed(key))
        #expect(acts.map(\.label) == ["timedOut", "cancelTimer A", "cancelTimer B", "terminated"])
        #expect(sim.layers[0].count == 0)
        #expect(sim.pendingTimers == 0)
    }

    @Test func ackIsSentStatelesslyAndDuplicateBranchesAreRefused() throws {
        var layer = TransactionLayer()
        let inv = try invite()
        let ack = try Fx.request("ACK", branch: "z9hG4bK-ack", sentBy: "10.0.0.2:5060")
        #expect(layer.handle(.sendRequest(ack, to: Fx.phone)).map(\.label) == ["transmit ACK"])
        #expect(layer.count == 0)
        #expect(layer.handle(.sendRequest(inv, to: Fx.phone)).count == 3)
        #expect(layer.handle(.sendRequest(inv, to: Fx.phone)).isEmpty) // same branch + method
        let noBranch = try Fx.request("INVITE", branch: nil, sentBy: "10.0.0.2:5060")
        #expect(layer.handle(.sendRequest(noBranch, to: Fx.phone)).isEmpty)
        #expect(layer.count == 1)
    }
}
