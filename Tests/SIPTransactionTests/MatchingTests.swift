import Testing
import SIPSyntax
@testable import SIPTransaction

/// RFC 3261 §17.2.3 / §9.2 request matching, RFC 2543 fallback, strays and junk.
@Suite struct MatchingTests {
    @Test func cancelIsItsOwnTransactionAndFindsItsInvite() throws {
        var layer = TransactionLayer()
        let inv = try Fx.request("INVITE", branch: "z9hG4bK-m1")
        _ = layer.handle(.requestReceived(inv, from: Fx.phone))
        let inviteKey = try Fx.serverKey(inv)
        let cancel = try Fx.request("CANCEL", branch: "z9hG4bK-m1")
        let acts = layer.handle(.requestReceived(cancel, from: Fx.phone))
        #expect(acts.map(\.label) == ["deliverRequest CANCEL"])
        guard case .deliverRequest(let delivered, let cancelKey, _) = acts.first else { throw FixtureError(description: "no CANCEL") }
        #expect(cancelKey.method == .cancel)
        #expect(cancelKey != inviteKey)
        #expect(layer.serverKey(for: cancel) == cancelKey)
        #expect(layer.inviteKey(forCancel: cancel) == inviteKey)
        #expect(layer.inviteKey(forCancel: delivered) == inviteKey)
        #expect(layer.count == 2)
        // The INVITE is untouched by the CANCEL; the TU answers both.
        #expect(layer.state(of: inviteKey) == .proceeding)

        // No match: another branch, another sent-by, or a branch that belongs to a non-INVITE.
        #expect(layer.inviteKey(forCancel: try Fx.request("CANCEL", branch: "z9hG4bK-other")) == nil)
        #expect(layer.inviteKey(forCancel: try Fx.request("CANCEL", branch: "z9hG4bK-m1", sentBy: "10.0.0.9:5060")) == nil)
        _ = layer.handle(.requestReceived(try Fx.request("OPTIONS", branch: "z9hG4bK-opt"), from: Fx.phone))
        #expect(layer.inviteKey(forCancel: try Fx.request("CANCEL", branch: "z9hG4bK-opt")) == nil)
    }

    @Test func sentByComparesHostCaseInsensitivelyWithDefaultPort() throws {
        let a = try Fx.serverKey(try Fx.request("INVITE", branch: "z9hG4bK-p", sentBy: "PBX.Example.com"))
        let b = try Fx.serverKey(try Fx.request("INVITE", branch: "z9hG4bK-p", sentBy: "pbx.example.com:5060"))
        let c = try Fx.serverKey(try Fx.request("INVITE", branch: "z9hG4bK-p", sentBy: "pbx.example.com:5080"))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func ackForNonSuccessMatchesOnlyTheSameSentBy() throws {
        var layer = TransactionLayer()
        let inv = try Fx.request("INVITE", branch: "z9hG4bK-m2")
        _ = layer.handle(.requestReceived(inv, from: Fx.phone))
        let key = try Fx.serverKey(inv)
        let busy = Fx.response(inv, 486, toTag: "pbx")
        _ = layer.handle(.sendResponse(busy, key: key))
        let foreign = try Fx.request("ACK", branch: "z9hG4bK-m2", sentBy: "10.9.9.9:5060", toTag: "pbx")
        #expect(layer.handle(.requestReceived(foreign, from: Fx.phone)).map(\.label) == ["deliverAck"])
        #expect(layer.state(of: key) == .completed)
        #expect(layer.serverKey(for: ClientInviteTransaction.makeAck(for: inv, response: busy)) == key)
        _ = layer.handle(.requestReceived(ClientInviteTransaction.makeAck(for: inv, response: busy), from: Fx.phone))
        #expect(layer.state(of: key) == .confirmed)
    }

    @Test func rfc2543InviteRetransmissionAckAndCancel() throws {
        var layer = TransactionLayer()
        // No branch at all: the RFC 2543 rules apply.
        let inv = try Fx.request("INVITE", branch: nil)
        let first = layer.handle(.requestReceived(inv, from: Fx.phone))
        #expect(first.map(\.label) == ["transmit 100", "deliverRequest INVITE"])
        let key = try Fx.serverKey(inv)
        #expect(key.isLegacy)
        // Same Request-URI, tags, Call-ID, CSeq and Via: a retransmission.
        #expect(layer.handle(.requestReceived(inv, from: Fx.phone)).map(\.label) == ["transmit 100"])
        // Another CSeq, From tag, Request-URI or Call-ID: another transaction.
        for other in [try Fx.request("INVITE", branch: nil, cseq: 2),
                      try Fx.request("INVITE", branch: nil, fromTag: "ft2"),
                      try Fx.request("INVITE", branch: nil, uri: "sip:carol@10.0.0.2"),
                      try Fx.request("INVITE", branch: nil, callID: "call-2")] {
            #expect(layer.handle(.requestReceived(other, from: Fx.phone)).map(\.label) == ["transmit 100", "deliverRequest INVITE"])
        }
        #expect(layer.count == 5)

        // CANCEL: same fields (§9.1) → its own transaction, and it finds the INVITE.
        let cancel = try Fx.request("CANCEL", branch: nil)
        #expect(layer.handle(.requestReceived(cancel, from: Fx.phone)).map(\.label) == ["deliverRequest CANCEL"])
        #expect(layer.inviteKey(forCancel: cancel) == key)
        #expect(layer.inviteKey(forCancel: try Fx.request("CANCEL", branch: nil, cseq: 9)) != key)

        // The ACK matches when its To tag is the one of our final response.
        _ = layer.handle(.sendResponse(Fx.response(layer.originalRequest(for: key) ?? inv, 487, toTag: "pbx"), key: key))
        let wrongTag = try Fx.request("ACK", branch: nil, toTag: "nope")
        #expect(layer.handle(.requestReceived(wrongTag, from: Fx.phone)).map(\.label) == ["deliverAck"])
        let wrongURI = try Fx.request("ACK", branch: nil, toTag: "pbx", uri: "sip:carol@10.0.0.2")
        #expect(layer.handle(.requestReceived(wrongURI, from: Fx.phone)).map(\.label) == ["deliverAck"])
        #expect(layer.state(of: key) == .completed)
        let ack = try Fx.request("ACK", branch: nil, toTag: "pbx")
        #expect(layer.serverKey(for: ack) == key)
        #expect(layer.handle(.requestReceived(ack, from: Fx.phone)).map(\.label) == ["cancelTimer G", "cancelTimer H", "startTimer I 5.0"])
        #expect(layer.state(of: key) == .confirmed)
    }

    @Test func rfc2543OldStyleBranchAndNonInvite() throws {
        // A branch without the magic cookie is not trusted either (§17.2.3).
        var layer = TransactionLayer()
        let options = try Fx.request("OPTIONS", branch: "1234abcd")
        #expect(layer.handle(.requestReceived(options, from: Fx.phone)).map(\.label) == ["deliverRequest OPTIONS"])
        let key = try Fx.serverKey(options)
        #expect(key.isLegacy)
        #expect(layer.handle(.requestReceived(options, from: Fx.phone)).isEmpty) // absorbed in Trying
        let ok = Fx.response(options, 200)
        _ = layer.handle(.sendResponse(ok, key: key))
        #expect(layer.handle(.requestReceived(options, from: Fx.phone)).map(\.label) == ["transmit 200"])
        // A different To tag makes it a different request.
        let tagged = try Fx.request("OPTIONS", branch: "1234abcd", toTag: "x")
        #expect(layer.handle(.requestReceived(tagged, from: Fx.phone)).map(\.label) == ["deliverRequest OPTIONS"])
    }

    @Test func rfc2543TransactionsAreRemovedToo() throws {
        let sim = Sim()
        let inv = try Fx.request("INVITE", branch: nil)
        sim.handle(.requestReceived(inv, from: Fx.phone))
        let key = try Fx.serverKey(inv)
        sim.handle(.sendResponse(Fx.response(inv, 486, toTag: "pbx"), key: key))
        sim.advance(to: .seconds(40))
        #expect(sim.timeOfTimeout(key) == 32)
        #expect(sim.layers[0].count == 0)
        // The ACK now matches nothing.
        #expect(sim.handle(.requestReceived(try Fx.request("ACK", branch: nil, toTag: "pbx"), from: Fx.phone)).map(\.label) == ["deliverAck"])
    }

    @Test func unmatchedResponsesAreStray() throws {
        var layer = TransactionLayer()
        let req = try Fx.request("INVITE", branch: "z9hG4bK-none")
        let ok = Fx.response(req, 200)
        let acts = layer.handle(.responseReceived(ok, from: Fx.phone))
        #expect(acts.map(\.label) == ["deliverStrayResponse 200"])
        if case .deliverStrayResponse(_, let from) = acts.first { #expect(from == Fx.phone) }
        var noVia = ok
        noVia.headers.remove("Via")
        #expect(layer.handle(.responseReceived(noVia, from: Fx.phone)).map(\.label) == ["deliverStrayResponse 200"])
    }

    @Test func requestsWithoutUsableViaAreIgnored() throws {
        var layer = TransactionLayer()
        var req = try Fx.request("OPTIONS")
        req.headers.remove("Via")
        #expect(layer.handle(.requestReceived(req, from: Fx.phone)).isEmpty)
        req.headers.add("Via", "garbage")
        #expect(layer.handle(.requestReceived(req, from: Fx.phone)).isEmpty)
        #expect(layer.serverKey(for: req) == nil)
        // RFC 2543 matching needs Call-ID and CSeq.
        var legacy = try Fx.request("OPTIONS", branch: nil)
        legacy.headers.remove("Call-ID")
        #expect(layer.handle(.requestReceived(legacy, from: Fx.phone)).isEmpty)
        #expect(layer.count == 0)
    }

    @Test func keysDescribeThemselves() throws {
        let key = try Fx.serverKey(try Fx.request("BYE", branch: "z9hG4bK-d"))
        #expect(key.description == "server BYE z9hG4bK-d@10.0.0.1:5060")
        let client = try Fx.clientKey(try Fx.request("BYE", branch: "z9hG4bK-d"))
        #expect(client.description == "client BYE z9hG4bK-d")
        #expect(TimerID(key: client, name: .F).description == "Timer F of client BYE z9hG4bK-d")
    }
}
