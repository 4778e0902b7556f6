import Testing
import SIPSyntax
@testable import SIPTransaction

/// RFC 3261 §18.2.1 / §18.2.2 and RFC 3581: received/rport stamping and response destinations.
@Suite struct ResponseRoutingTests {
    /// Receives a request and returns what the TU got and where the transaction answers.
    func receive(_ req: SIPRequest, from source: TransportAddress) throws -> (SIPRequest, TransportAddress) {
        var layer = TransactionLayer()
        let acts = layer.handle(.requestReceived(req, from: source))
        guard case .deliverRequest(let delivered, let key, _) = acts.last else { throw FixtureError(description: "not delivered") }
        let answer = layer.handle(.sendResponse(SIPResponse(to: delivered, statusCode: 200, toTag: "x"), key: key))
        guard case .transmit(let msg, let to) = answer.first else { throw FixtureError(description: "not sent") }
        // Responses built from the delivered request carry the stamped Via.
        #expect(msg.response?.topVia == delivered.topVia)
        #expect(TransactionLayer.responseDestination(for: delivered, from: source) == to)
        return (delivered, to)
    }

    @Test func receivedIsAddedWhenTheSentByDiffersFromTheSource() throws {
        let req = try Fx.request("OPTIONS", sentBy: "192.168.1.10:5062")
        let source = TransportAddress(host: "203.0.113.5", port: 5062)
        let (got, to) = try receive(req, from: source)
        let via = try #require(got.topVia)
        #expect(via.received == "203.0.113.5")
        #expect(!via.wantsRport)
        #expect(via.branch == "z9hG4bK-1")
        #expect(via.description == "SIP/2.0/UDP 192.168.1.10:5062;branch=z9hG4bK-1;received=203.0.113.5")
        // §18.2.2: the received IP, with the sent-by port.
        #expect(to == TransportAddress(host: "203.0.113.5", port: 5062))
    }

    @Test func hostNamesAlwaysGetReceived() throws {
        let req = try Fx.request("OPTIONS", sentBy: "phone.example.com")
        let (got, to) = try receive(req, from: TransportAddress(host: "10.0.0.1", port: 5060))
        #expect(got.topVia?.received == "10.0.0.1")
        #expect(to == TransportAddress(host: "10.0.0.1", port: 5060))
    }

    @Test func matchingSourceLeavesTheRequestUntouched() throws {
        let req = try Fx.request("OPTIONS", sentBy: "10.0.0.1:5070")
        let (got, to) = try receive(req, from: TransportAddress(host: "10.0.0.1", port: 41000))
        #expect(got == req)
        // Without rport the response goes to the sent-by port, not the source port.
        #expect(to == TransportAddress(host: "10.0.0.1", port: 5070))
    }

    @Test func sentByWithoutPortDefaultsTo5060() throws {
        let req = try Fx.request("OPTIONS", sentBy: "10.0.0.1")
        let (_, to) = try receive(req, from: TransportAddress(host: "10.0.0.1", port: 33333))
        #expect(to == TransportAddress(host: "10.0.0.1", port: 5060))
    }

    @Test func rportGetsTheSourcePortAndReceivedEvenWhenEqual() throws {
        let natted = try Fx.request("OPTIONS", sentBy: "192.168.1.10:5060", rport: true)
        let source = TransportAddress(host: "203.0.113.5", port: 40123)
        let (got, to) = try receive(natted, from: source)
        #expect(got.topVia?.received == "203.0.113.5")
        #expect(got.topVia?.rport == 40123)
        #expect(to == source)

        // RFC 3581 §4: received is added even when it equals the sent-by host.
        let direct = try Fx.request("OPTIONS", sentBy: "10.0.0.1:5060", rport: true)
        let (got2, to2) = try receive(direct, from: Fx.phone)
        #expect(got2.topVia?.received == "10.0.0.1")
        #expect(got2.topVia?.rport == 5060)
        #expect(to2 == Fx.phone)
    }

    @Test func rawRequestsRouteTheSameWay() throws {
        // The static helper also works on a request that was not stamped.
        let req = try Fx.request("OPTIONS", sentBy: "192.168.1.10:5060", rport: true)
        let source = TransportAddress(host: "203.0.113.5", port: 40123)
        #expect(TransactionLayer.responseDestination(for: req, from: source) == source)
        let plain = try Fx.request("OPTIONS", sentBy: "192.168.1.10:5080")
        #expect(TransactionLayer.responseDestination(for: plain, from: source) == TransportAddress(host: "203.0.113.5", port: 5080))
    }

    @Test func reliableTransportsAnswerOnTheConnection() throws {
        let req = try Fx.request("OPTIONS", sentBy: "192.168.1.10:5060", transport: "TCP")
        let source = TransportAddress(host: "203.0.113.5", port: 51000)
        let (got, to) = try receive(req, from: source)
        #expect(got.topVia?.received == "203.0.113.5")
        #expect(to == source)
    }

    @Test func onlyTheTopViaOfSeveralFieldsIsStamped() throws {
        let req = try Fx.request("OPTIONS", sentBy: "192.168.1.10:5060", rport: true,
                                 extraVias: ["SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p1",
                                             "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-p0"])
        let (got, _) = try receive(req, from: TransportAddress(host: "203.0.113.5", port: 40000))
        let vias = got.vias
        #expect(vias.count == 3)
        #expect(vias.first?.received == "203.0.113.5")
        #expect(vias.first?.rport == 40000)
        #expect(Array(got.headers.values("Via").dropFirst()) == ["SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p1",
                                                                "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK-p0"])
        #expect(got.headers.rawValues("Via").count == 3)
    }

    @Test func onlyTheTopViaOfACommaListIsStampedInPlace() throws {
        let text = "OPTIONS sip:bob@10.0.0.2 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 192.168.1.10;branch=z9hG4bK-c;rport, SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p\r\n" +
            "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: list\r\nCSeq: 1 OPTIONS\r\n\r\n"
        let req = try Fx.parseRequest(text)
        let (got, _) = try receive(req, from: TransportAddress(host: "203.0.113.5", port: 40000))
        #expect(got.headers.fields.first?.name == "Via") // still the first header
        #expect(got.headers.rawValues("Via") == [
            "SIP/2.0/UDP 192.168.1.10;branch=z9hG4bK-c;rport=40000;received=203.0.113.5, SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p",
        ])
    }

    @Test func ipv6SentByComparesWithoutBrackets() throws {
        let req = try Fx.request("OPTIONS", sentBy: "[2001:db8::1]:5060")
        let (same, to) = try receive(req, from: TransportAddress(host: "2001:db8::1", port: 5060))
        #expect(same.topVia?.received == nil)
        #expect(to == TransportAddress(host: "2001:db8::1", port: 5060))
        let (moved, to2) = try receive(req, from: TransportAddress(host: "2001:db8::2", port: 5060))
        #expect(moved.topVia?.received == "2001:db8::2")
        #expect(to2.host == "2001:db8::2")
    }

    @Test func stampedRetransmissionsStillMatch() throws {
        var layer = TransactionLayer()
        let inv = try Fx.request("INVITE", sentBy: "192.168.1.10:5060", rport: true)
        let source = TransportAddress(host: "203.0.113.5", port: 40000)
        let first = layer.handle(.requestReceived(inv, from: source))
        #expect(first.map(\.label) == ["transmit 100", "deliverRequest INVITE"])
        if case .transmit(let m, let to) = first[0] {
            #expect(to == source)
            #expect(m.response?.topVia?.rport == 40000)
        }
        guard case .deliverRequest(let delivered, let key, _) = first[1] else { throw FixtureError(description: "no delivery") }
        #expect(layer.serverKey(for: delivered) == key)
        #expect(layer.handle(.requestReceived(inv, from: source)).map(\.label) == ["transmit 100"])
        // And the ACK of a stamped 2xx-less INVITE is delivered with received/rport too.
        let ack = try Fx.request("ACK", branch: "z9hG4bK-ack", sentBy: "192.168.1.10:5060", rport: true)
        guard case .deliverAck(let gotAck, _) = layer.handle(.requestReceived(ack, from: source)).first else {
            throw FixtureError(description: "no ACK")
        }
        #expect(gotAck.topVia?.rport == 40000)
    }
}
