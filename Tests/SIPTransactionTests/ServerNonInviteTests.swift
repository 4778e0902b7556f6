import Testing
import SIPSyntax
@testable import SIPTransaction

/// RFC 3261 §17.2.2: the non-INVITE server transaction.
@Suite struct ServerNonInviteTests {
    func bye() throws -> SIPRequest { try Fx.request("BYE", branch: "z9hG4bK-b1", cseq: 2, toTag: "pbx") }

    @Test func deliversOnceAndTryingAbsorbsRetransmissions() throws {
        let sim = Sim()
        let req = try bye()
        let acts = sim.handle(.requestReceived(req, from: Fx.phone))
        #expect(acts.map(\.label) == ["deliverRequest BYE"])
        let key = try Fx.serverKey(req)
        #expect(sim.layers[0].state(of: key) == .trying)
        #expect(sim.handle(.requestReceived(req, from: Fx.phone)).isEmpty)
    }

    @Test func proceedingResendsTheProvisional() throws {
        let sim = Sim()
        let req = try bye()
        sim.handle(.requestReceived(req, from: Fx.phone))
        let key = try Fx.serverKey(req)
        #expect(sim.handle(.sendResponse(Fx.response(req, 100, toTag: nil), key: key)).map(\.label) == ["transmit 100"])
        #expect(sim.layers[0].state(of: key) == .proceeding)
        #expect(sim.handle(.requestReceived(req, from: Fx.phone)).map(\.label) == ["transmit 100"])
    }

    @Test func finalCompletesAndTimerJEndsIt() throws {
        let sim = Sim()
        let req = try bye()
        sim.handle(.requestReceived(req, from: Fx.phone))
        let key = try Fx.serverKey(req)
        sim.advance(to: .seconds(1))
        let ok = Fx.response(req, 200)
        #expect(sim.handle(.sendResponse(ok, key: key)).map(\.label) == ["transmit 200", "startTimer J 32.0"])
        #expect(sim.layers[0].state(of: key) == .completed)
        // Retransmitted requests get the final again; further TU finals are discarded.
        sim.advance(to: .seconds(5))
        let again = sim.handle(.requestReceived(req, from: Fx.phone))
        #expect(again.map(\.label) == ["transmit 200"])
        #expect(again.first?.transmitted == .response(ok))
        #expect(sim.handle(.sendResponse(Fx.response(req, 500), key: key)).isEmpty)
        sim.advance(to: .seconds(40))
        #expect(sim.timeOfTermination(key) == 33)
        #expect(sim.layers[0].count == 0)
        #expect(sim.transmits().allSatisfy { $0.to == Fx.phone })
    }

    @Test func reliableTransportTerminatesOnTheFinal() throws {
        let sim = Sim(TransactionLayer(reliableTransport: true))
        let req = try bye()
        sim.handle(.requestReceived(req, from: Fx.phone))
        let key = try Fx.serverKey(req)
        #expect(sim.handle(.sendResponse(Fx.response(req, 200), key: key)).map(\.label) == ["transmit 200", "terminated"])
        #expect(sim.layers[0].count == 0)
        // A late retransmission is a new request again (on TCP it cannot happen).
        #expect(sim.handle(.requestReceived(req, from: Fx.phone)).map(\.label) == ["deliverRequest BYE"])
    }

    @Test func transportFailureAfterAResponseInformsTheTU() throws {
        let sim = Sim()
        let req = try bye()
        sim.handle(.requestReceived(req, from: Fx.phone))
        let key = try Fx.serverKey(req)
        #expect(sim.handle(.transportFailed(key)).isEmpty) // nothing was sent in Trying
        sim.handle(.sendResponse(Fx.response(req, 200), key: key))
        #expect(sim.handle(.transportFailed(key)).map(\.label) == ["timedOut", "cancelTimer J", "terminated"])
    }
}
