import Testing
@testable import RTP

@Suite struct SequenceTrackerTests {
    /// Feeds consecutive sequence numbers with perfect 160-sample pacing (no jitter).
    func feed(_ t: inout SequenceTracker, _ seqs: [UInt16], ssrc: UInt32 = 1) -> [SequenceVerdict] {
        seqs.map { t.receive(sequence: $0, ssrc: ssrc, timestamp: UInt32($0) &* 160, arrival: UInt32($0) &* 160 &+ 500) }
    }

    @Test func probationThenValid() {
        var t = SequenceTracker()
        #expect(feed(&t, [100]) == [.probation])
        #expect(!t.isValid)
        #expect(feed(&t, [101, 102]) == [.valid, .valid])
        #expect(t.received == 2)
        #expect(t.expected == 2)
        #expect(t.cumulativeLost == 0)
        // Non-sequential during probation restarts it.
        var u = SequenceTracker()
        #expect(feed(&u, [10, 12, 13]) == [.probation, .probation, .valid])
    }

    @Test func wrapAt65535() {
        var t = SequenceTracker()
        _ = feed(&t, [65533, 65534, 65535, 0, 1])
        #expect(t.cycles == 1 << 16)
        #expect(t.extendedHighest == 65536 + 1)
        #expect(t.expected == 4)  // base 65534 .. 65537
        #expect(t.received == 4)
    }

    @Test func lossReorderAndDuplicates() {
        var t = SequenceTracker()
        _ = feed(&t, [1, 2, 3, 5, 6])  // 4 lost
        #expect(t.cumulativeLost == 1)
        #expect(t.takeFractionLost() == 51)  // 1 of 5 expected (base is seq 2): 256/5
        _ = feed(&t, [4])  // late arrival: counted, max unchanged
        #expect(t.extendedHighest == 6)
        #expect(t.cumulativeLost == 0)
        _ = feed(&t, [6, 6])  // duplicates push lost negative (RFC 3550 A.3)
        #expect(t.cumulativeLost == -2)
        #expect(t.takeFractionLost() == 0)
    }

    @Test func bigJumpNeedsConfirmation() {
        var t = SequenceTracker()
        _ = feed(&t, [1, 2, 3])
        #expect(feed(&t, [20000]) == [.badSequence])
        #expect(feed(&t, [4]) == [.valid])
        #expect(feed(&t, [30000, 30001]) == [.badSequence, .valid])
        #expect(t.baseSeq == 30001)
        #expect(t.received == 1)
        #expect(t.extendedHighest == 30001)
    }

    @Test func ssrcChangeRestarts() {
        var t = SequenceTracker()
        _ = feed(&t, [1, 2, 3, 4])
        #expect(feed(&t, [500], ssrc: 2) == [.probation])
        #expect(t.ssrc == 2)
        #expect(t.received == 0)
        #expect(feed(&t, [501], ssrc: 2) == [.valid])
        #expect(t.baseSeq == 501)
    }

    @Test func jitterA8() {
        var t = SequenceTracker()
        // Constant transit: zero jitter.
        _ = feed(&t, Array(1...20))
        #expect(t.jitter == 0)
        // Alternate transit by 160 units: jitter converges toward 160.
        var u = SequenceTracker()
        for i in 1...400 {
            let s = UInt16(i)
            _ = u.receive(sequence: s, ssrc: 9, timestamp: UInt32(i) * 160, arrival: UInt32(i) * 160 + (i % 2 == 0 ? 160 : 0))
        }
        #expect(u.jitter >= 150 && u.jitter <= 160)
        let block = u.makeReportBlock(lastSR: 7, delaySinceLastSR: 8)
        #expect(block.ssrc == 9)
        #expect(block.jitter == u.jitter)
        #expect(block.extendedHighestSequence == 400)
        #expect(block.lastSR == 7 && block.delaySinceLastSR == 8)
        #expect(block.fractionLost == 0)
    }

    @Test func fractionOfHeavyLoss() {
        var t = SequenceTracker()
        _ = feed(&t, [1, 2])
        _ = t.takeFractionLost()
        _ = feed(&t, [100])  // 97 missing in this interval, 1 received
        #expect(t.takeFractionLost() == UInt8((97 << 8) / 98))
    }
}
