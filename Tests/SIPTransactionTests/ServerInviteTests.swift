import Testing
import SIPSyntax
@testable import SIPTransaction

/// RFC 3261 §17.2.1 + RFC 6026 §8.5–§8.7: the INVITE server transaction.
@Suite struct ServerInviteTests {
    func invite(_ branch: String = "z9hG4bK-s1") throws -> SIPRequest {
        try Fx.request("INVITE", branch: branch, extra: ["Timestamp: 54"])
    }

    /// Receives the INVITE and returns its key and the request as delivered to the TU.
    func start(_ sim: Sim, _ inv: SIPRequest) throws -> (TransactionKey, SIPRequest) {
        let acts = sim.handle(.requestReceived(inv, from: Fx.phone))
        #expect(acts.map(\.label) == ["transmit 100", "deliverRequest INVITE"])
        guard case .deliverRequest(let delivered, let key, let from) = acts.last else {
            throw FixtureError(description: "no delivery")
        }
        #expect(from == Fx.phone)
        return (key, delivered)
    }

    @Test func newInviteGets100TryingAtOnceAndGoesToTheTU() throws {
        let sim = Sim()
        let inv = try invite()
        let (key, delivered) = try start(sim, inv)
        #expect(key == (try Fx.serverKey(inv)))
        #expect(key.isServer && key.method == .invite && key.branch == "z9hG4bK-s1" && key.sentBy == "10.0.0.1:5060")
        #expect(sim.layers[0].state(of: key) == .proceeding)
        #expect(sim.layers[0].originalRequest(for: key) == delivered)
        let (_, trying, to) = try #require(sim.transmits().first)
        #expect(to == Fx.phone)
        let r = try #require(trying.response)
        #expect(r.statusCode == 100)
        #expect(r.to?.tag == nil)
        #expect(r.headers["Timestamp"] == "54") // §8.2.6.1
        #expect(r.topVia?.branch == "z9hG4bK-s1")
        #expect(sim.pendingTimers == 0) // no timer runs in Proceeding
    }

    @Test func retransmittedInviteResendsTheLatestResponse() throws {
        let sim = Sim()
        let inv = try invite()
        let (key, req) = try start(sim, inv)
        #expect(sim.handle(.requestReceived(inv, from: Fx.phone)).map(\.label) == ["transmit 100"])
        let ringing = Fx.response(req, 180, toTag: "pbx")
        #expect(sim.handle(.sendResponse(ringing, key: key)).map(\.label) == ["transmit 180"])
        let again = sim.handle(.requestReceived(inv, from: Fx.phone))
        #expect(again.map(\.label) == ["transmit 180"])
        #expect(again.first?.transmitted == .response(ringing))
    }

    @Test func nonSuccessFinalRetransmitsOnTimerGUntilTimerH() throws {
        let sim = Sim()
        let inv = try invite()
        let (key, req) = try start(sim, inv)
        sim.advance(to: .seconds(1))
        let busy = Fx.response(req, 486, toTag: "pbx")
        #expect(sim.handle(.sendResponse(busy, key: key)).map(\.label) == ["transmit 486", "startTimer G 0.5", "startTimer H 32.0"])
        #expect(sim.layers[0].state(of: key) == .completed)
        sim.advance(to: .seconds(40))
        let finals = sim.transmits().filter { $0.message.response?.statusCode == 486 }.map { seconds($0.time) }
        // G: 0.5, 1, 2, 4, 4, 4 … after the 486 at t = 1 s.
        #expect(finals == [1, 1.5, 2.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5, 32.5])
        #expect(sim.transmits().allSatisfy { $0.to == Fx.phone })
        #expect(sim.timeOfTimeout(key) == 33)
        #expect(sim.timeOfTermination(key) == 33)
        #expect(sim.layers[0].count == 0)
        #expect(sim.pendingTimers == 0)
    }

    @Test func retransmittedInviteInCompletedGetsTheFinalAgain() throws {
        let sim = Sim()
        let inv = try invite()
        let (key, req) = try start(sim, inv)
        sim.handle(.sendResponse(Fx.response(req, 404), key: key))
        #expect(sim.handle(.requestReceived(inv, from: Fx.phone)).map(\.label) == ["transmit 404"])
        // Further TU responses are ignored after a non-2xx final.
        #expect(sim.handle(.sendResponse(Fx.response(req, 200), key: key)).isEmpty)
    }

    @Test func ackConfirmsThenTimerIEndsIt() throws {
        let sim = Sim()
        let inv = try invite()
        let (key, req) = try start(sim, inv)
        let busy = Fx.response(req, 486, toTag: "pbx")
        sim.handle(.sendResponse(busy, key: key))
        sim.advance(to: .seconds(2))
        // The client transaction's ACK: same branch, To tag of the 486 (§17.1.1.3).
        let ack = ClientInviteTransaction.makeAck(for: inv, response: busy)
        #expect(sim.handle(.requestReceived(ack, from: Fx.phone)).map(\.label) == ["cancelTimer G", "cancelTimer H", "startTimer I 5.0"])
        #expect(sim.layers[0].state(of: key) == .confirmed)
        // Confirmed absorbs ACKs and INVITE retransmissions.
        #expect(sim.handle(.requestReceived(ack, from: Fx.phone)).isEmpty)
        #expect(sim.handle(.requestReceived(inv, from: Fx.phone)).isEmpty)
        sim.advance(to: .seconds(10))
        #expect(sim.timeOfTermination(key) == 7)
        #expect(sim.timeOfTimeout(key) == nil)
        #expect(sim.layers[0].count == 0)
        // The retransmissions before the ACK: at 0.5 and 1.5 s.
        #expect(sim.transmitTimes() == [0, 0, 0.5, 1.5])
    }

    @Test func reliableTransportHasNoTimerGAndZeroTimerI() throws {
        let sim = Sim(TransactionLayer(reliableTransport: true))
        let inv = try invite()
        let (key, req) = try start(sim, inv)
        let busy = Fx.response(req, 486, toTag: "pbx")
        #expect(sim.handle(.sendResponse(busy, key: key)).map(\.label) == ["transmit 486", "startTimer H 32.0"])
        let ack = ClientInviteTransaction.makeAck(for: inv, response: busy)
        #expect(sim.handle(.requestReceived(ack, from: Fx.phone)).map(\.label) == ["cancelTimer H", "terminated"])
        #expect(sim.layers[0].count == 0)
    }

    @Test func successEntersAcceptedUntilTimerL() throws {
        let sim = Sim()
        let inv = try invite()
        let (key, req) = try start(sim, inv)
        sim.advance(to: .seconds(1))
        let ok = Fx.response(req, 200, toTag: "pbx")
        #expect(sim.handle(.sendResponse(ok, key: key)).map(\.label) == ["transmit 200", "startTimer L 32.0"])
        #expect(sim.layers[0].state(of: key) == .accepted)
        // RFC 6026 §8.7: retransmitted INVITEs are absorbed: neither answered nor delivered.
        #expect(sim.handle(.requestReceived(inv, from: Fx.phone)).isEmpty)
        // The TU's own 2xx retransmissions (§13.3.1.4) are sent; other responses are not.
        #expect(sim.handle(.sendResponse(ok, key: key)).map(\.label) == ["transmit 200"])
        #expect(sim.handle(.sendResponse(Fx.response(req, 180), key: key)).isEmpty)
        #expect(sim.handle(.sendResponse(Fx.response(req, 500), key: key)).isEmpty)
        // The 2xx ACK (new branch) matches no transaction and goes to the TU.
        let ack = try Fx.ackFor2xx(inv, ok, branch: "z9hG4bK-ack2xx")
        let acts = sim.handle(.requestReceived(ack, from: Fx.phone))
        #expect(acts.map(\.label) == ["deliverAck"])
        // An ACK reusing the INVITE branch matches the Accepted transaction: also to the TU.
        let sameBranch = try Fx.ackFor2xx(inv, ok, branch: "z9hG4bK-s1")
        #expect(sim.handle(.requestReceived(sameBranch, from: Fx.phone)).map(\.label) == ["deliverAck"])
        #expect(sim.layers[0].state(of: key) == .accepted)
        sim.advance(to: .seconds(40))
        #expect(sim.timeOfTermination(key) == 33)
        #expect(sim.timeOfTimeout(key) == nil)
        #expect(sim.layers[0].count == 0)
        // After Timer L an INVITE with that branch would be new again; the 2xx is the TU's business.
        #expect(sim.transmits().filter { $0.message.response?.statusCode == 200 }.count == 2)
    }

    @Test func timerLAppliesOnReliableTransportToo() throws {
        let sim = Sim(TransactionLayer(reliableTransport: true))
        let (key, req) = try start(sim, try invite())
        #expect(sim.handle(.sendResponse(Fx.response(req, 200), key: key)).map(\.label) == ["transmit 200", "startTimer L 32.0"])
    }

    @Test func transportFailureInformsTheTU() throws {
        let sim = Sim()
        let (key, req) = try start(sim, try invite())
        sim.handle(.sendResponse(Fx.response(req, 486), key: key))
        #expect(sim.handle(.transportFailed(key)).map(\.label) == ["timedOut", "cancelTimer G", "cancelTimer H", "terminated"])

        let (key2, req2) = try start(sim, try invite("z9hG4bK-s2"))
        sim.handle(.sendResponse(Fx.response(req2, 200), key: key2))
        // In Accepted the failure is reported once; the transaction stays to absorb retransmissions.
        #expect(sim.handle(.transportFailed(key2)).map(\.label) == ["timedOut"])
        #expect(sim.handle(.transportFailed(key2)).isEmpty)
        #expect(sim.layers[0].state(of: key2) == .accepted)
    }

    @Test func staleAndUnknownEventsAreIgnored() throws {
        let sim = Sim()
        let (key, req) = try start(sim, try invite())
        sim.handle(.sendResponse(Fx.response(req, 486), key: key))
        // A timer that is not running (L) and a timer of an unknown transaction do nothing.
        #expect(sim.handle(.timerFired(TimerID(key: key, name: .L))).isEmpty)
        let ghost = TransactionKey(isServer: true, branch: "z9hG4bK-ghost", sentBy: "1.2.3.4:5060", method: .invite)
        #expect(sim.handle(.timerFired(TimerID(key: ghost, name: .H))).isEmpty)
        #expect(sim.handle(.sendResponse(Fx.response(req, 200), key: ghost)).isEmpty)
        #expect(sim.handle(.transportFailed(ghost)).isEmpty)
        // An ACK before any final response is absorbed.
        let (key2, _) = try start(sim, try invite("z9hG4bK-s3"))
        let early = try Fx.request("ACK", branch: "z9hG4bK-s3")
        #expect(sim.handle(.requestReceived(early, from: Fx.phone)).isEmpty)
        #expect(sim.layers[0].state(of: key2) == .proceeding)
        #expect(sim.layers[0].runningTimers(of: key) == [.G, .H])
    }
}
