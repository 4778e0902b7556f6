import Testing
@testable import RTP

@Suite struct RTPSenderTests {
    @Test func numbersAdvanceAndTheFirstPacketIsMarked() {
        var s = RTPSender(ssrc: 9, initialSequence: 65535, initialTimestamp: 0xFFFF_FF00)
        let a = s.next(payloadType: 0, samples: 160, payloadBytes: 160)
        let b = s.next(payloadType: 0, samples: 160, payloadBytes: 160)
        let c = s.next(payloadType: 0, samples: 160, payloadBytes: 160)
        #expect(a.marker && !b.marker)
        #expect(a.sequence == 65535 && b.sequence == 0)  // wraps (RFC 3550 §5.1)
        #expect(a.timestamp == 0xFFFF_FF00 && b.timestamp == 0xFFFF_FFA0 && c.timestamp == 0x40)
        #expect(s.packets == 3 && s.octets == 480)
        #expect(a.ssrc == 9)
    }

    @Test func skippedTimeKeepsTheTimelineAndMarksTheNextTalkspurt() {
        var s = RTPSender(ssrc: 1, initialSequence: 10, initialTimestamp: 1000)
        _ = s.next(payloadType: 8, samples: 160, payloadBytes: 160)
        s.skip(samples: 480)
        let h = s.next(payloadType: 8, samples: 160, payloadBytes: 160)
        #expect(h.sequence == 11)  // no sequence gap: nothing was lost
        #expect(h.timestamp == 1000 + 160 + 480)
        #expect(h.marker)
    }
}
