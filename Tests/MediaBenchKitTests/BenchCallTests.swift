import Testing
@testable import MediaBenchKit

let ms: Int64 = 1_000_000

func newCall(_ codec: BenchCodec = .pcmu) -> BenchCall {
    BenchCall(.init(index: 7, runID: "run", number: "+254709999999", target: "127.0.0.1:5060",
                    local: "127.0.0.1:40000", rtpAddress: "127.0.0.1", rtpPort: 41000, codec: codec))
}

func sent(_ actions: [BenchCall.Action]) -> [String] {
    actions.compactMap { if case .send(let b) = $0 { String(decoding: b, as: UTF8.self) } else { nil } }
}

func header(_ name: String, in message: String) -> String? {
    message.split(separator: "\r\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
}

@Suite struct BenchCallTests {
    @Test func inviteCarriesTheOfferAndAParsableCallID() throws {
        var c = newCall(.opus)
        let invite = try #require(sent(c.receive(.start(nowNs: 0))).first)
        #expect(invite.hasPrefix("INVITE sip:+254709999999@127.0.0.1:5060 SIP/2.0\r\n"))
        #expect(invite.contains("\r\nContent-Type: application/sdp\r\n"))
        #expect(invite.contains("m=audio 41000 RTP/AVP 111 101"))
        let callID = try #require(header("Call-ID", in: invite))
        #expect(BenchCall.index(fromCallID: callID) == 7)
        #expect(BenchCall.index(fromCallID: "foreign@host") == nil)
        // Content-Length matches the body.
        let body = try #require(invite.split(separator: "\r\n\r\n", maxSplits: 1).last)
        #expect(header("Content-Length", in: invite) == String(body.utf8.count))
        #expect(c.state == .calling)
    }

    @Test func timerARetransmitsAtDoublingIntervalsUntilAProvisional() {
        var c = newCall()
        _ = c.receive(.start(nowNs: 0))
        #expect(sent(c.receive(.timerFired(nowNs: 499 * ms))).isEmpty)
        #expect(sent(c.receive(.timerFired(nowNs: 500 * ms))).count == 1)  // T1
        #expect(sent(c.receive(.timerFired(nowNs: 1400 * ms))).isEmpty)
        #expect(sent(c.receive(.timerFired(nowNs: 1500 * ms))).count == 1) // + 2·T1
        _ = c.receive(.responseReceived(response(100, "Trying", cseq: "1 INVITE", toTag: nil), nowNs: 1600 * ms))
        #expect(c.state == .proceeding)
        #expect(sent(c.receive(.timerFired(nowNs: 3500 * ms))).isEmpty)  // stopped by the 100
    }

    @Test func noAnswerWithinFiveSecondsFails() {
        var c = newCall()
        _ = c.receive(.start(nowNs: 0))
        _ = c.receive(.responseReceived(response(180, "Ringing", cseq: "1 INVITE"), nowNs: 10 * ms))
        #expect(c.receive(.timerFired(nowNs: 4999 * ms)).isEmpty)
        #expect(c.receive(.timerFired(nowNs: 5000 * ms)) == [.failed("timeout")])
        #expect(c.state == .failed("no 200 within 5 s"))
    }

    @Test func answeredCallIsAckedToTheContactAndHungUp() throws {
        var c = newCall()
        _ = c.receive(.start(nowNs: 0))
        let ok = response(200, "OK", cseq: "1 INVITE", body: answerSDP)
        let actions = c.receive(.responseReceived(ok, nowNs: 20 * ms))
        #expect(actions.contains(.established(RemoteMedia(address: "127.0.0.1", port: 20002, payloadType: 0))))
        let ack = try #require(sent(actions).first)
        #expect(ack.hasPrefix("ACK sip:pbx@127.0.0.1:5060;transport=udp SIP/2.0\r\n"))
        #expect(header("To", in: ack)?.hasSuffix(";tag=pbx1") == true)
        #expect(header("CSeq", in: ack) == "1 ACK")
        #expect(c.state == .established)
        // A retransmitted 200 gets the same ACK again (RFC 3261 §13.2.2.4), nothing else.
        #expect(sent(c.receive(.responseReceived(ok, nowNs: 520 * ms))) == [ack])

        let bye = try #require(sent(c.receive(.hangUp(nowNs: 1000 * ms))).first)
        #expect(bye.hasPrefix("BYE sip:pbx@127.0.0.1:5060;transport=udp SIP/2.0\r\n"))
        #expect(header("CSeq", in: bye) == "2 BYE")
        #expect(header("Via", in: bye) != header("Via", in: ack)) // a new transaction
        // Timer E: 500 ms, 1 s, 2 s, then capped at T2 = 4 s.
        var t: Int64 = 1000 * ms
        for gap in [500, 1000, 2000, 4000, 4000] as [Int64] {
            #expect(sent(c.receive(.timerFired(nowNs: t + gap * ms - 1))).isEmpty)
            t += gap * ms
            #expect(sent(c.receive(.timerFired(nowNs: t))) == [bye])
        }
        #expect(c.receive(.responseReceived(response(200, "OK", cseq: "2 BYE"), nowNs: t)) == [.terminated])
        #expect(c.state == .terminated)
    }

    @Test func unansweredByeEndsAtTimerF() {
        var c = newCall()
        _ = c.receive(.start(nowNs: 0))
        _ = c.receive(.responseReceived(response(200, "OK", cseq: "1 INVITE", body: answerSDP), nowNs: 0))
        _ = c.receive(.hangUp(nowNs: 0))
        #expect(c.receive(.timerFired(nowNs: 32_000 * ms)) == [.failed("BYE unanswered"), .terminated])
    }

    @Test func failureResponseIsAckedInTheInviteTransaction() throws {
        var c = newCall()
        let invite = try #require(sent(c.receive(.start(nowNs: 0))).first)
        let actions = c.receive(.responseReceived(response(503, "Service Unavailable", cseq: "1 INVITE"), nowNs: 5 * ms))
        #expect(actions.last == .failed("status 503"))
        let ack = try #require(sent(actions).first)
        #expect(ack.hasPrefix("ACK sip:+254709999999@127.0.0.1:5060 SIP/2.0\r\n"))
        #expect(header("Via", in: ack) == header("Via", in: invite)) // RFC 3261 §17.1.1.3
        #expect(c.nextTimerNs == .max)
    }

    @Test func answerWithTheWrongCodecIsEndedAtOnce() {
        var c = newCall(.opus)
        _ = c.receive(.start(nowNs: 0))
        let actions = c.receive(.responseReceived(response(200, "OK", cseq: "1 INVITE", body: answerSDP), nowNs: 0))
        let out = sent(actions)
        #expect(out.count == 2)
        #expect(out.last?.hasPrefix("BYE ") == true)
        if case .failed = c.state {} else { Issue.record("expected failed, got \(c.state)") }
    }

    @Test func lateAnswerAfterTheTimeoutIsAckedAndEnded() {
        var c = newCall()
        _ = c.receive(.start(nowNs: 0))
        _ = c.receive(.timerFired(nowNs: 6000 * ms))
        let out = sent(c.receive(.responseReceived(response(200, "OK", cseq: "1 INVITE", body: answerSDP), nowNs: 6100 * ms)))
        #expect(out.map { String($0.prefix(4)) } == ["ACK ", "BYE "])
    }

    @Test func daemonByeEndsTheCallAndStrayResponsesAreIgnored() {
        var c = newCall()
        #expect(c.receive(.byeReceived).isEmpty) // not up yet
        _ = c.receive(.start(nowNs: 0))
        _ = c.receive(.responseReceived(response(200, "OK", cseq: "1 INVITE", body: answerSDP), nowNs: 0))
        #expect(c.receive(.responseReceived(response(200, "OK", cseq: "5 OPTIONS"), nowNs: 0)).isEmpty)
        #expect(c.receive(.byeReceived) == [.terminated])
        #expect(c.receive(.hangUp(nowNs: 0)).isEmpty)
    }
}

@Suite struct BenchOptionsTests {
    @Test func defaults() throws {
        let o = try BenchOptions.parse([])
        #expect(o.targetHost == "127.0.0.1")
        #expect(o.targetPort == 5060)
        #expect(o.number == "+254709999999")
        #expect(o.cps == 200)
        #expect(o.codec == .pcmu)
        #expect(o.warmupSeconds == 3)
        #expect(o.seconds == 20)
        #expect(!o.realtimeSender)
        #expect(o.effectiveTimeoutSeconds == 100 / 200 * 2 + 10 + 3 + 20 + 1 + 40 + 60)
    }

    @Test func parsesEveryOption() throws {
        let o = try BenchOptions.parse(["--target", "127.0.0.2:25060", "--number", "echo", "--legs", "1500", "--cps", "300",
                                        "--codec", "OPUS", "--warmup", "2", "--seconds", "10", "--drain", "2",
                                        "--pid", "42", "--name", "pbx", "--timeout", "99", "--realtime"])
        #expect(o.targetHost == "127.0.0.2")
        #expect(o.targetPort == 25060)
        #expect(o.number == "echo")
        #expect(o.legs == 1500)
        #expect(o.cps == 300)
        #expect(o.codec == .opus)
        #expect(o.drainSeconds == 2)
        #expect(o.pid == 42)
        #expect(o.processName == "pbx")
        #expect(o.effectiveTimeoutSeconds == 99)
        #expect(o.realtimeSender)
    }

    @Test func refusesNonLoopbackAndBadValues() {
        for args in [["--target", "10.0.0.1:5060"], ["--target", "example.com:5060"], ["--target", "127.0.0.1"],
                     ["--legs", "0"], ["--legs", "x"], ["--codec", "g729"], ["--cps"], ["--bogus"],
                     ["--number", "a b"], ["--target", "127.0.0.1:70000"]] {
            #expect(throws: BenchError.self, "\(args)") { try BenchOptions.parse(args) }
        }
        #expect(BenchOptions.isIPv4Loopback("127.255.0.1"))
        #expect(!BenchOptions.isIPv4Loopback("128.0.0.1"))
        #expect(!BenchOptions.isIPv4Loopback("127.0.0"))
    }
}
