import Testing
import SIPSyntax
@testable import SIPTransaction

/// Two layers wired back to back: node 0 (UAC at 10.0.0.1) sends, node 1 (UAS at 10.0.0.2)
/// answers; every transmit reaches the other node 10 ms later unless the loss plan drops it.
@Suite struct BackToBackTests {
    static let uacAddress = TransportAddress(host: "10.0.0.1", port: 5060)
    static let uasAddress = TransportAddress(host: "10.0.0.2", port: 5060)

    func setUp(dropClient: Set<Int> = [], dropServer: Set<Int> = []) -> (Sim, ScriptedUAC, ScriptedUAS) {
        let sim = Sim(layers: [TransactionLayer(), TransactionLayer()], addresses: [Self.uacAddress, Self.uasAddress])
        sim.shouldDrop = { node, _, index in node == 0 ? dropClient.contains(index) : dropServer.contains(index) }
        let uac = ScriptedUAC(peer: Self.uasAddress)
        let uas = ScriptedUAS()
        uac.install(on: sim, node: 0)
        uas.install(on: sim, node: 1)
        return (sim, uac, uas)
    }

    func request(_ method: String, _ n: Int = 1) throws -> SIPRequest {
        try Fx.request(method, branch: "z9hG4bK-\(method)-\(n)", sentBy: "10.0.0.1:5060", rport: true,
                       callID: "b2b-\(method)-\(n)", uri: "sip:bob@10.0.0.2")
    }

    func expectAllClean(_ sim: Sim) {
        #expect(sim.layers[0].count == 0)
        #expect(sim.layers[1].count == 0)
        #expect(sim.pendingTimers == 0)
    }

    @Test func optionsExchange() throws {
        let (sim, uac, uas) = setUp()
        let req = try request("OPTIONS")
        let key = try Fx.clientKey(req)
        uac.send(req, sim: sim, node: 0)
        sim.advance(to: .seconds(1))
        #expect(uac.finalCode(key) == 200)
        #expect(uac.responseTimes[key]?.map(seconds) == [0.02])
        #expect(uas.requests.count == 1)
        // The UAS answered to the source address: RFC 3581 rport and received are on its Via.
        #expect(uas.requests.first?.topVia?.rport == 5060)
        sim.advance(to: .seconds(60))
        expectAllClean(sim)
    }

    @Test func optionsSurvivesLostRequestsAndALostResponse() throws {
        // Client loses the OPTIONS at 0 and 0.5 s; the server loses its first 200.
        let (sim, uac, uas) = setUp(dropClient: [0, 1], dropServer: [0])
        let req = try request("OPTIONS")
        let key = try Fx.clientKey(req)
        uac.send(req, sim: sim, node: 0)
        sim.advance(to: .seconds(60))
        // Retransmits at 0.5, 1.5 (arrives), 3.5 (answered from Completed with the stored 200).
        #expect(sim.transmitTimes(0) == [0, 0.5, 1.5, 3.5])
        #expect(sim.transmitTimes(1) == [1.51, 3.51])
        #expect(uac.finalCode(key) == 200)
        #expect(uac.responseTimes[key]?.map(seconds) == [3.52])
        #expect(uas.requests.count == 1) // the retransmission was absorbed
        #expect(uac.timeouts.isEmpty)
        expectAllClean(sim)
    }

    @Test func inviteExchange() throws {
        let (sim, uac, uas) = setUp()
        let req = try request("INVITE")
        let key = try Fx.clientKey(req)
        uac.send(req, sim: sim, node: 0)
        sim.advance(to: .seconds(1))
        #expect(uac.responses[key]?.map(\.statusCode) == [100, 180, 200])
        #expect(uac.acksSent == 1)
        #expect(uas.acks.count == 1)
        #expect(uas.acks.first?.ack.to?.tag == "uas")
        #expect(sim.layers[0].state(of: key) == .accepted)
        sim.advance(to: .seconds(60))
        #expect(uac.responses[key]?.count == 3) // the UAS stopped retransmitting on the ACK
        expectAllClean(sim)
    }

    @Test func inviteSurvivesLossOnBothSides() throws {
        // Client loses the INVITE twice; the server loses 100, 180, the 200 and its first two
        // retransmissions (at 1.51, 2.01, 3.01); the 200 at 5.01 gets through.
        let (sim, uac, uas) = setUp(dropClient: [0, 1], dropServer: [0, 1, 2, 3, 4])
        let req = try request("INVITE")
        let key = try Fx.clientKey(req)
        uac.send(req, sim: sim, node: 0)
        sim.advance(to: .seconds(60))
        // Timer A: 0.5, 1.5 (arrives), 3.5 (absorbed in Accepted, RFC 6026), then the 200 stops it.
        let invites = sim.transmits(0).filter { $0.message.request?.method == .invite }.map { seconds($0.time) }
        #expect(invites == [0, 0.5, 1.5, 3.5])
        #expect(sim.transmitTimes(1) == [1.51, 1.51, 1.51, 2.01, 3.01, 5.01])
        #expect(uac.responses[key]?.map(\.statusCode) == [200])
        #expect(uac.responseTimes[key]?.map(seconds) == [5.02])
        #expect(uas.requests.filter { $0.method == .invite }.count == 1)
        #expect(uas.acks.map { seconds($0.time) } == [5.03])
        #expect(uac.timeouts.isEmpty && uas.timeouts.isEmpty)
        expectAllClean(sim)
    }

    @Test func rejectedInviteSurvivesALostAck() throws {
        // The transaction-generated ACK (client transmit #1) is lost; Timer G resends the 486.
        let (sim, uac, uas) = setUp(dropClient: [1])
        uas.finalFor = { _ in 486 }
        let req = try request("INVITE")
        let key = try Fx.clientKey(req)
        uac.send(req, sim: sim, node: 0)
        sim.advance(to: .seconds(1))
        #expect(uac.responses[key]?.map(\.statusCode) == [100, 180, 486]) // delivered once
        let received = try #require(uas.requests.first)
        let serverKey = try #require(sim.layers[1].serverKey(for: received))
        #expect(sim.layers[1].state(of: serverKey) == .confirmed)
        // ACKs at 0.02 (lost) and 0.52 (answer to the G retransmission at 0.51).
        let acks = sim.transmits(0).filter { $0.message.request?.method == .ack }.map { seconds($0.time) }
        #expect(acks == [0.02, 0.52])
        sim.advance(to: .seconds(60))
        #expect(sim.timeOfTermination(serverKey, node: 1) == 5.53) // Timer I after the ACK at 0.53
        #expect(sim.timeOfTermination(key, node: 0) == 32.02)      // Timer D after the 486
        #expect(uas.timeouts.isEmpty && uas.acks.isEmpty)
        expectAllClean(sim)
    }

    @Test func cancelledInvite() throws {
        let (sim, uac, uas) = setUp()
        uas.finalFor = { _ in nil } // keeps ringing
        let inv = try request("INVITE")
        let key = try Fx.clientKey(inv)
        uac.send(inv, sim: sim, node: 0)
        sim.advance(to: .seconds(2))
        let cancel = try Fx.request("CANCEL", branch: "z9hG4bK-INVITE-1", sentBy: "10.0.0.1:5060", rport: true,
                                    callID: "b2b-INVITE-1", uri: "sip:bob@10.0.0.2")
        let cancelKey = try Fx.clientKey(cancel)
        uac.send(cancel, sim: sim, node: 0)
        sim.advance(to: .seconds(3))
        #expect(uac.finalCode(cancelKey) == 200)
        #expect(uac.finalCode(key) == 487)
        #expect(uas.requests.map(\.method) == [.invite, .cancel])
        sim.advance(to: .seconds(60))
        #expect(uac.timeouts.isEmpty && uas.timeouts.isEmpty)
        expectAllClean(sim)
    }
}
