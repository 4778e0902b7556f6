import SDP
import SIPDialog
import SIPSyntax
import Testing

/// The UAS behaviour of the whole stack (transactions + user agent) on a virtual clock.
@Suite struct UserAgentServerTests {
    @Test func answeredCallLifecycle() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", body: StackHarness.sdp()))
        #expect(h.statusCodes == [100])
        let ref = try #require(h.lastIncoming)
        h.command(.answer(ref, StackHarness.caps))
        let ok = try #require(h.responses.last)
        #expect(ok.statusCode == 200)
        #expect(ok.contentType == "application/sdp")
        let answer = try SessionDescription.parse(ok.body)
        #expect(answer.media.first?.formats == ["0", "101"])
        #expect(ok.headers["Contact"]?.contains("127.0.0.1:5060") == true)
        let tag = try #require(h.localTag)
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: tag))
        #expect(h.events.contains { if case .established = $0 { return true } else { return false } })
        h.receive(StackHarness.request("BYE", cseq: 2, branch: "z9hG4bKbye", toTag: tag))
        #expect(h.statusCodes.last == 200)
        #expect(h.endReasons == [.remoteBye])
        #expect(h.stack.userAgent.legCount == 0)
    }

    @Test func twoHundredRetransmittedUntilAckThenByeOnTimeout() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", body: StackHarness.sdp()))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        h.advance(to: .milliseconds(3600))
        // RFC 3261 §13.3.1.4: T1, then doubling: sends at 0, 0.5, 1.5, 3.5 s.
        #expect(h.statusCodes.filter { $0 == 200 }.count == 4)
        h.advance(to: .seconds(33))
        #expect(h.requests.last?.method == .bye)
        #expect(h.endReasons == [.ackTimeout])
    }

    @Test func cancelBeforeAnswer() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", body: StackHarness.sdp()))
        h.command(.ring(try #require(h.lastIncoming)))
        #expect(h.statusCodes == [100, 180])
        h.receive(StackHarness.request("CANCEL"))
        #expect(h.statusCodes.suffix(2) == [200, 487])
        #expect(h.responses.last?.cseq?.method == .invite)
        #expect(h.endReasons == [.cancelled])
    }

    @Test func reInviteSendonlyPutsCallOnHold() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", body: StackHarness.sdp()))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        let tag = try #require(h.localTag)
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: tag))
        h.receive(StackHarness.request("INVITE", cseq: 2, branch: "z9hG4bKre", toTag: tag,
                                       body: StackHarness.sdp(direction: "sendonly", version: 2)))
        let ok = try #require(h.responses.last)
        #expect(ok.statusCode == 200)
        let answer = try SessionDescription.parse(ok.body)
        #expect(answer.media.first?.direction == .recvonly)
        #expect(answer.origin.sessionVersion == 2)
        #expect(h.events.contains { if case .mediaChanged(_, let m) = $0 { return m.isHold } else { return false } })
    }

    @Test func noCommonCodecGets488() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", body: StackHarness.sdp("18")))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        #expect(h.statusCodes.last == 488)
        #expect(h.responses.last?.headers["Warning"]?.hasPrefix("305") == true)
        #expect(h.endReasons == [.rejected(488)])
    }

    @Test func unknownDialogAndMethods() {
        var h = StackHarness()
        h.receive(StackHarness.request("BYE", toTag: "nope"))
        h.receive(StackHarness.request("OPTIONS", branch: "z9hG4bKo"))
        h.receive(StackHarness.request("SUBSCRIBE", branch: "z9hG4bKs"))
        h.receive(StackHarness.request("FROB", branch: "z9hG4bKf"))
        #expect(h.statusCodes == [481, 200, 405, 501])
        #expect(h.responses[1].headers["Allow"]?.contains("UPDATE") == true)
    }

    @Test func hangupWhileWaitingForAckWaitsForTheAck() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", body: StackHarness.sdp()))
        let ref = try #require(h.lastIncoming)
        h.command(.answer(ref, StackHarness.caps))
        h.command(.hangup(ref))
        #expect(h.requests.isEmpty) // §15: no BYE before the ACK
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: try #require(h.localTag)))
        #expect(h.requests.map(\.method) == [.bye])
        #expect(h.endReasons == [.localBye])
    }

    @Test func offerlessInviteGetsOfferInTwoHundredAndAnswerInAck() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE"))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        let offer = try SessionDescription.parse(try #require(h.responses.last).body)
        #expect(offer.media.first?.formats.first == "0")
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: try #require(h.localTag), body: StackHarness.sdp("0 101")))
        let established = h.events.compactMap { if case .established(_, let m) = $0 { return m } else { return nil } }
        #expect(established.first?.codec.codec.name == "PCMU")
    }

    @Test func inDialogInfoAndOutOfOrderCSeq() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", cseq: 5, body: StackHarness.sdp()))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        let tag = try #require(h.localTag)
        h.receive(StackHarness.request("ACK", cseq: 5, branch: "z9hG4bKack", toTag: tag))
        h.receive(StackHarness.request("INFO", cseq: 6, branch: "z9hG4bKi", toTag: tag))
        h.receive(StackHarness.request("INFO", cseq: 4, branch: "z9hG4bKi2", toTag: tag))
        #expect(h.statusCodes.suffix(2) == [200, 500])
        #expect(h.events.contains { if case .info = $0 { return true } else { return false } })
    }
}
