import SDP
import SIPDialog
import SIPSyntax
import SIPTransaction
import Testing

/// The UAC side against our own UAS (back to back) and against scripted peers.
@Suite struct UserAgentClientTests {
    static let caps = LocalMediaCapabilities(codecs: [.pcmu, .pcma], address: "127.0.0.1", port: 20000)

    @Test func callAnsweredThenCallerHangsUp() throws {
        var t = TwoStacks()
        t.appB = { e in
            if case .incoming(let ref, _, _) = e { return [.ring(ref), .answer(ref, Self.caps)] }
            return []
        }
        let ref = t.call()
        #expect(t.eventsA.contains { if case .progress(_, 180) = $0 { return true } else { return false } })
        let media = t.eventsA.compactMap { if case .established(_, let m) = $0 { return m } else { return nil } }.first
        #expect(media?.codec.codec.name == "PCMA") // the offerer's first choice that B supports
        #expect(t.eventsB.contains { if case .established = $0 { return true } else { return false } })
        t.commandA(.hangup(ref))
        #expect(TwoStacks.ended(t.eventsA) == [.localBye])
        #expect(TwoStacks.ended(t.eventsB) == [.remoteBye])
        #expect(t.wire == ["INVITE", "100/INVITE", "180/INVITE", "200/INVITE", "ACK", "BYE", "200/BYE"])
    }

    @Test func cancelWhileRinging() {
        var t = TwoStacks()
        t.appB = { e in if case .incoming(let ref, _, _) = e { return [.ring(ref)] } else { return [] } }
        let ref = t.call()
        t.commandA(.hangup(ref))
        #expect(TwoStacks.ended(t.eventsA) == [.cancelled])
        #expect(TwoStacks.ended(t.eventsB) == [.cancelled])
        #expect(t.wire.suffix(4) == ["CANCEL", "200/CANCEL", "487/INVITE", "ACK"])
    }

    @Test func hangupBeforeAnyProvisionalWaitsToCancel() {
        var t = TwoStacks()
        t.appB = { e in if case .incoming(let ref, _, _) = e { return [.ring(ref)] } else { return [] } }
        let media = Self.caps
        let (ref, outs) = t.a.placeCall(OutgoingCall(target: SIPURI(user: "x", host: "127.0.0.1", port: 5060), fromUser: "me", media: media))
        t.absorb(outs, side: 0)
        t.absorb(t.a.command(.hangup(ref)), side: 0) // INVITE not delivered yet
        // §9.1 forbids CANCEL before a provisional: only the INVITE is on its way.
        #expect(t.inFlight.map { TwoStacks.label($0.msg) } == ["INVITE"])
        t.flush()
        #expect(t.wire.contains("CANCEL"))
        #expect(TwoStacks.ended(t.eventsA) == [.cancelled])
    }

    @Test func rejectedCall() {
        var t = TwoStacks()
        t.appB = { e in
            if case .incoming(let ref, _, _) = e { return [.reject(ref, statusCode: 486, reason: nil, headers: [])] }
            return []
        }
        _ = t.call()
        #expect(TwoStacks.ended(t.eventsA) == [.failed(486)])
        #expect(t.wire == ["INVITE", "100/INVITE", "486/INVITE", "ACK"])
    }

    @Test func calleeHangsUp() throws {
        var t = TwoStacks()
        var bRef: CallRef?
        t.appB = { e in
            if case .incoming(let ref, _, _) = e { return [.answer(ref, Self.caps)] }
            return []
        }
        _ = t.call()
        for e in t.eventsB { if case .established(let r, _) = e { bRef = r } }
        let r = try #require(bRef)
        t.absorb(t.b.command(.hangup(r)), side: 1)
        t.flush()
        #expect(TwoStacks.ended(t.eventsA) == [.remoteBye])
        #expect(TwoStacks.ended(t.eventsB) == [.localBye])
    }

    @Test func noAnswerTimesOutWithTimerB() {
        var t = TwoStacks()
        let media = Self.caps
        // Nobody at 127.0.0.1:5999: the INVITE is never answered.
        let (_, outs) = t.a.placeCall(OutgoingCall(target: SIPURI(user: "x", host: "127.0.0.1", port: 5999), fromUser: "me", media: media))
        t.absorb(outs, side: 0)
        t.advance(by: .seconds(33))
        #expect(TwoStacks.ended(t.eventsA) == [.requestTimeout])
        #expect(t.wire.filter { $0 == "INVITE" }.count == 7) // Timer A: 0, .5, 1.5, 3.5, 7.5, 15.5, 31.5 s
    }

    @Test func digestChallengeIsAnsweredOnce() throws {
        var h = StackHarness()
        let call = OutgoingCall(target: SIPURI(user: "+254722000000", host: "127.0.0.1", port: 5061), fromUser: "acct",
                                media: Self.caps, credentials: .init(username: "acct", password: "s3cret"))
        let (_, outs) = h.stack.placeCall(call)
        h.absorb(outs)
        let invite = try #require(h.requests.last)
        var challenge = SIPResponse(to: invite, statusCode: 401, toTag: "p1")
        challenge.headers.add("WWW-Authenticate", "Digest realm=\"carrier\", nonce=\"abc123\", qop=\"auth\", algorithm=SHA-256")
        h.absorb(h.stack.receive(.response(challenge), from: h.peer))
        let retry = try #require(h.requests.last { $0.method == .invite })
        #expect(retry.cseq?.sequence == 2)
        #expect(retry.topVia?.branch != invite.topVia?.branch)
        #expect(retry.callID == invite.callID)
        let auth = try #require(retry.headers["Authorization"])
        #expect(auth.contains("algorithm=SHA-256"))
        #expect(DigestAuthenticator.verify(authorizationValue: auth, password: "s3cret", method: "INVITE", body: retry.body))
        #expect(h.requests.contains { $0.method == .ack }) // the 401 was acknowledged
        // A second challenge after the answer is tried once more, a third fails the call.
        for n in 0..<2 {
            let last = try #require(h.requests.last { $0.method == .invite })
            var again = SIPResponse(to: last, statusCode: 401, toTag: "p\(n + 2)")
            again.headers.add("WWW-Authenticate", "Digest realm=\"carrier\", nonce=\"n\(n)\"")
            h.absorb(h.stack.receive(.response(again), from: h.peer))
        }
        #expect(h.endReasons == [.failed(401)])
    }

    @Test func proxyChallengeGetsProxyAuthorizationWithMD5() throws {
        var h = StackHarness()
        let call = OutgoingCall(target: SIPURI(user: "x", host: "127.0.0.1", port: 5061), fromUser: "acct",
                                media: Self.caps, credentials: .init(username: "acct", password: "pw"))
        let (_, outs) = h.stack.placeCall(call)
        h.absorb(outs)
        let invite = try #require(h.requests.last)
        var challenge = SIPResponse(to: invite, statusCode: 407, toTag: "px")
        challenge.headers.add("Proxy-Authenticate", "Digest realm=\"proxy\", nonce=\"n1\"")
        h.absorb(h.stack.receive(.response(challenge), from: h.peer))
        let retry = try #require(h.requests.last { $0.method == .invite })
        #expect(retry.headers["Authorization"] == nil)
        let auth = try #require(retry.headers["Proxy-Authorization"])
        #expect(auth.contains("algorithm=MD5"))
        #expect(DigestAuthenticator.verify(authorizationValue: auth, password: "pw", method: "INVITE", body: retry.body))
    }

    @Test func retryAfter422WithLargerInterval() throws {
        var h = StackHarness()
        let (_, outs) = h.stack.placeCall(OutgoingCall(target: SIPURI(user: "x", host: "127.0.0.1", port: 5061), fromUser: "me", media: Self.caps))
        h.absorb(outs)
        let invite = try #require(h.requests.last)
        var r422 = SIPResponse(to: invite, statusCode: 422, toTag: "p1")
        r422.headers.add("Min-SE", "3600")
        h.absorb(h.stack.receive(.response(r422), from: h.peer))
        let retry = try #require(h.requests.last { $0.method == .invite })
        #expect(retry.headers["Session-Expires"]?.hasPrefix("3600") == true)
        #expect(retry.headers["Min-SE"] == "3600")
    }
}
