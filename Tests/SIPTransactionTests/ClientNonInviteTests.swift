import Testing
import SIPSyntax
@testable import SIPTransaction

/// RFC 3261 §17.1.2: the non-INVITE client transaction.
@Suite struct ClientNonInviteTests {
    func options(_ branch: String = "z9hG4bK-o1") throws -> SIPRequest {
        try Fx.request("OPTIONS", branch: branch, sentBy: "10.0.0.2:5060", uri: "sip:10.0.0.1")
    }

    @Test func timerEDoublesUpToT2UntilTimerF() throws {
        let sim = Sim()
        let req = try options()
        let key = try Fx.clientKey(req)
        #expect(sim.handle(.sendRequest(req, to: Fx.phone)).map(\.label) == ["transmit OPTIONS", "startTimer E 0.5", "startTimer F 32.0"])
        #expect(sim.layers[0].state(of: key) == .trying)
        sim.advance(to: .seconds(40))
        let times = sim.transmitTimes()
        #expect(times == [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5])
        // The intervals: 0.5, 1, 2, 4, 4, 4 … (§17.1.2.2).
        let intervals = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(Array(intervals.prefix(6)) == [0.5, 1, 2, 4, 4, 4])
        #expect(sim.timeOfTimeout(key) == 32)
        #expect(sim.timeOfTermination(key) == 32)
        #expect(sim.layers[0].count == 0)
        #expect(sim.pendingTimers == 0)
    }

    @Test func proceedingRetransmitsEveryT2() throws {
        let sim = Sim()
        let req = try options()
        let key = try Fx.clientKey(req)
        sim.handle(.sendRequest(req, to: Fx.phone))
        sim.advance(to: .milliseconds(200))
        #expect(sim.handle(.responseReceived(Fx.response(req, 100, toTag: nil), from: Fx.phone)).map(\.label) == ["deliverResponse 100"])
        #expect(sim.layers[0].state(of: key) == .proceeding)
        sim.advance(to: .seconds(20))
        // The E already pending fires at 0.5 s, then every T2 = 4 s.
        #expect(sim.transmitTimes() == [0, 0.5, 4.5, 8.5, 12.5, 16.5])
        // A final response ends it; Timer K = T4 = 5 s.
        let acts = sim.handle(.responseReceived(Fx.response(req, 200), from: Fx.phone))
        #expect(acts.map(\.label) == ["deliverResponse 200", "cancelTimer E", "cancelTimer F", "startTimer K 5.0"])
    }

    @Test func finalResponseCompletesAndTimerKAbsorbsRetransmissions() throws {
        let sim = Sim()
        let req = try options()
        let key = try Fx.clientKey(req)
        sim.handle(.sendRequest(req, to: Fx.phone))
        sim.advance(to: .milliseconds(700))
        let ok = Fx.response(req, 200)
        #expect(sim.handle(.responseReceived(ok, from: Fx.phone)).map(\.label)
                == ["deliverResponse 200", "cancelTimer E", "cancelTimer F", "startTimer K 5.0"])
        #expect(sim.layers[0].state(of: key) == .completed)
        sim.advance(to: .seconds(2))
        #expect(sim.handle(.responseReceived(ok, from: Fx.phone)).isEmpty)
        #expect(sim.handle(.responseReceived(Fx.response(req, 500), from: Fx.phone)).isEmpty)
        sim.advance(to: .seconds(10))
        #expect(sim.timeOfTermination(key) == 5.7)
        #expect(sim.transmitTimes() == [0, 0.5])
        #expect(sim.layers[0].count == 0)
    }

    @Test func reliableTransportHasNoTimerEAndZeroTimerK() throws {
        let sim = Sim(TransactionLayer(reliableTransport: true))
        let req = try options()
        #expect(sim.handle(.sendRequest(req, to: Fx.phone)).map(\.label) == ["transmit OPTIONS", "startTimer F 32.0"])
        #expect(sim.handle(.responseReceived(Fx.response(req, 404), from: Fx.phone)).map(\.label)
                == ["deliverResponse 404", "cancelTimer F", "terminated"])
        #expect(sim.layers[0].count == 0)
    }

    @Test func transportFailureTimesOut() throws {
        let sim = Sim()
        let req = try options()
        let key = try Fx.clientKey(req)
        sim.handle(.sendRequest(req, to: Fx.phone))
        #expect(sim.handle(.transportFailed(key)).map(\.label) == ["timedOut", "cancelTimer E", "cancelTimer F", "terminated"])
        #expect(sim.handle(.transportFailed(key)).isEmpty)
    }

    @Test func responsesMatchOnBranchAndCSeqMethod() throws {
        // §17.1.3: same branch, different CSeq method → different transaction.
        var layer = TransactionLayer()
        let invite = try Fx.request("INVITE", branch: "z9hG4bK-x", sentBy: "10.0.0.2:5060")
        let cancel = try Fx.request("CANCEL", branch: "z9hG4bK-x", sentBy: "10.0.0.2:5060")
        _ = layer.handle(.sendRequest(invite, to: Fx.phone))
        _ = layer.handle(.sendRequest(cancel, to: Fx.phone))
        let okCancel = Fx.response(cancel, 200)
        let acts = layer.handle(.responseReceived(okCancel, from: Fx.phone))
        #expect(acts.map(\.label) == ["deliverResponse 200", "cancelTimer E", "cancelTimer F", "startTimer K 5.0"])
        if case .deliverResponse(_, let key) = acts[0] { #expect(key == (try Fx.clientKey(cancel))) }
        #expect(layer.state(of: try Fx.clientKey(invite)) == .calling)
        // A different branch matches nothing.
        let other = try Fx.request("OPTIONS", branch: "z9hG4bK-unknown", sentBy: "10.0.0.2:5060")
        #expect(layer.handle(.responseReceived(Fx.response(other, 200), from: Fx.phone)).map(\.label) == ["deliverStrayResponse 200"])
    }
}
