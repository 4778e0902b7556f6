import SIPDialog
import SIPSyntax
import Testing

/// RFC 4028 through the whole stack: 422, negotiated headers, expiry BYE, refreshes.
@Suite struct SessionTimerIntegrationTests {
    @Test func tooSmallIntervalGets422WithMinSE() {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", extra: ["Supported: timer", "Session-Expires: 60"], body: StackHarness.sdp()))
        #expect(h.statusCodes == [100, 422])
        #expect(h.responses.last?.headers["Min-SE"] == "90")
        #expect(h.stack.userAgent.legCount == 0)
    }

    @Test func uacRefresherThatGoesQuietGetsBye() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", extra: ["Supported: timer", "Session-Expires: 120;refresher=uac"], body: StackHarness.sdp()))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        let ok = try #require(h.responses.last)
        #expect(ok.headers["Session-Expires"] == "120;refresher=uac")
        #expect(ok.headers["Require"] == "timer")
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: try #require(h.localTag)))
        // §10: BYE at interval - min(32, interval/3) = 120 - 32 = 88 s without refresh.
        h.advance(to: .seconds(87))
        #expect(h.requests.isEmpty)
        h.advance(to: .seconds(89))
        #expect(h.newRequestMethods == [.bye])
        #expect(h.endReasons == [.sessionExpired])
    }

    @Test func refreshByUpdateKeepsTheCallUp() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", extra: ["Supported: timer", "Session-Expires: 120;refresher=uac"], body: StackHarness.sdp()))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        let tag = try #require(h.localTag)
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: tag))
        h.advance(to: .seconds(60))
        h.receive(StackHarness.request("UPDATE", cseq: 2, branch: "z9hG4bKup", toTag: tag,
                                       extra: ["Supported: timer", "Session-Expires: 120;refresher=uac"]))
        #expect(h.statusCodes.last == 200)
        h.advance(to: .seconds(140)) // 60 + 88 = 148 is the new deadline
        #expect(h.requests.isEmpty)
        h.advance(to: .seconds(150))
        #expect(h.newRequestMethods == [.bye])
    }

    @Test func uasRefresherSendsUpdateWhenPeerAllowsIt() throws {
        var h = StackHarness()
        h.receive(StackHarness.request("INVITE", extra: ["Allow: INVITE, ACK, BYE, UPDATE"], body: StackHarness.sdp()))
        h.command(.answer(try #require(h.lastIncoming), StackHarness.caps))
        // The UAC does not support timers: we refresh (RFC 4028 §9 table 2).
        #expect(h.responses.last?.headers["Session-Expires"] == "1800;refresher=uas")
        #expect(h.responses.last?.headers["Require"] == nil)
        h.receive(StackHarness.request("ACK", branch: "z9hG4bKack", toTag: try #require(h.localTag)))
        h.advance(to: .seconds(901))
        #expect(h.newRequestMethods == [.update])
        #expect(h.requests.first?.headers["Session-Expires"] == "1800;refresher=uac")
    }
}
