import Testing
@testable import RTP

@Suite struct RTCPReporterTests {
    /// Feeds `count` packets of 20 ms at 8 kHz, skipping the sequence numbers in `lost`.
    func feed(_ t: inout SequenceTracker, count: Int, lost: Set<Int> = [], jitterEvery: Int = 0) {
        for i in 0..<count where !lost.contains(i) {
            // Arrival in timestamp units; every `jitterEvery`th packet is 40 samples (5 ms) late.
            let late: UInt32 = jitterEvery > 0 && i % jitterEvery == 0 ? 40 : 0
            _ = t.receive(sequence: UInt16(100 + i), ssrc: 0xABCD, timestamp: UInt32(i * 160),
                          arrival: UInt32(1000 + i * 160) + late)
        }
    }

    @Test func firstReportAfterHalfAnIntervalThenRandomisedWithinHalfToOneAndAHalf() {
        var r = RTCPReporter(ssrc: 7, cname: "x", nowMs: 1000)
        #expect(!r.isDue(nowMs: 3499))
        #expect(r.isDue(nowMs: 3500))
        var t = SequenceTracker()
        var now: Int64 = 3500
        var intervals: Set<Int64> = []
        for _ in 0..<50 {
            _ = r.makeReport(nowMs: now, ntp: NTPTimestamp(seconds: 1, fraction: 0), tracker: &t, clockRate: 8000, sent: nil)
            let next = r.nextReportMs
            #expect(next - now >= 2500 && next - now <= 7500)
            intervals.insert(next - now)
            now = next
        }
        #expect(intervals.count > 10)  // really randomised (RFC 3550 §6.3.1)
    }

    @Test func receiverReportWithoutSendingAndSenderReportAfterSending() throws {
        var r = RTCPReporter(ssrc: 0x1111, cname: "pbx", nowMs: 0)
        var t = SequenceTracker()
        feed(&t, count: 50, lost: [10, 11, 12])
        let rr = r.makeReport(nowMs: 5000, ntp: NTPTimestamp(seconds: 10, fraction: 0), tracker: &t, clockRate: 8000, sent: nil)
        let p1 = try RTCPCompound.parse(rr)
        guard case .receiverReport(let report) = p1.first else { Issue.record("expected RR first"); return }
        #expect(report.ssrc == 0x1111)
        #expect(report.reports.count == 1)
        #expect(report.reports[0].ssrc == 0xABCD)
        #expect(report.reports[0].cumulativeLost == 3)
        guard case .sourceDescription(let chunks) = p1.last else { Issue.record("expected SDES last"); return }
        #expect(chunks.first?.cname == "pbx")
        #expect(r.quality.packetsLost == 3)

        let sr = r.makeReport(nowMs: 10000, ntp: NTPTimestamp(seconds: 20, fraction: 0), tracker: &t, clockRate: 8000,
                              sent: (packets: 250, octets: 40000, rtpTimestamp: 1234))
        guard case .senderReport(let s) = try RTCPCompound.parse(sr).first else { Issue.record("expected SR"); return }
        #expect(s.packetCount == 250 && s.octetCount == 40000 && s.rtpTimestamp == 1234)
        #expect(s.ntp == NTPTimestamp(seconds: 20, fraction: 0))
        #expect(r.quality.reportsSent == 2)
    }

    @Test func roundTripFromThePeersReportAboutOurSR() throws {
        // We send an SR at NTP 100.0 s; the peer holds it 0.5 s and reports at our 100.75 s:
        // RTT = 0.75 − 0.5 = 250 ms (RFC 3550 §6.4.1).
        var r = RTCPReporter(ssrc: 0x2222, cname: "pbx", nowMs: 0)
        let ourSR = NTPTimestamp(seconds: 100, fraction: 0)
        let block = RTCPReportBlock(ssrc: 0x2222, fractionLost: 64, cumulativeLost: 12, extendedHighestSequence: 500,
                                    jitter: 80, lastSR: ourSR.middle32, delaySinceLastSR: 32768)
        let bytes = try RTCPBuilder.compound(senderReport: nil, ssrc: 0x9999, reports: [block], cname: "peer")
        let ok = bytes.withUnsafeBytes {
            r.receive($0, nowMs: 100, ntp: NTPTimestamp(seconds: 100, fraction: 0xC000_0000), clockRate: 8000)
        }
        #expect(ok)
        let rtt = try #require(r.quality.rttMs)
        #expect(abs(rtt - 250) < 0.1)
        #expect(r.quality.remoteFractionLost == 0.25)
        #expect(r.quality.remotePacketsLost == 12)
        #expect(r.quality.remoteJitterMs == 10)
        #expect(r.quality.reportsReceived == 1)
    }

    @Test func ourReportEchoesThePeersLastSRWithTheDelaySinceIt() throws {
        var r = RTCPReporter(ssrc: 1, cname: "pbx", nowMs: 0)
        let theirs = RTCPSenderReport(ssrc: 0xABCD, ntp: NTPTimestamp(seconds: 0x0001_2345, fraction: 0x6789_0000),
                                      rtpTimestamp: 0, packetCount: 1, octetCount: 160)
        let bytes = try RTCPBuilder.compound(senderReport: theirs, ssrc: 0xABCD, reports: [], cname: "peer")
        _ = bytes.withUnsafeBytes { r.receive($0, nowMs: 2000, ntp: NTPTimestamp(seconds: 1, fraction: 0), clockRate: 8000) }
        var t = SequenceTracker()
        feed(&t, count: 10)
        let out = r.makeReport(nowMs: 3000, ntp: NTPTimestamp(seconds: 2, fraction: 0), tracker: &t, clockRate: 8000, sent: nil)
        guard case .receiverReport(let rr) = try RTCPCompound.parse(out).first else { Issue.record("expected RR"); return }
        #expect(rr.reports[0].lastSR == 0x2345_6789)
        #expect(rr.reports[0].delaySinceLastSR == 65536)  // 1 s later, in 1/65536 s
    }

    @Test func garbageIsIgnoredAndCountsNothing() {
        var r = RTCPReporter(ssrc: 1, cname: "pbx", nowMs: 0)
        let junk: [UInt8] = [0x12, 0x34, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]
        let ok = junk.withUnsafeBytes { r.receive($0, nowMs: 0, ntp: NTPTimestamp(seconds: 0, fraction: 0), clockRate: 8000) }
        #expect(!ok)
        #expect(r.quality.reportsReceived == 0)
    }

    @Test func ntpFromUnixTime() {
        let t = NTPTimestamp(unixNanoseconds: 1_500_000_000)
        #expect(t.seconds == 2_208_988_801)
        #expect(t.fraction == 0x8000_0000)
    }

    @Test func jitterInMilliseconds() {
        var r = RTCPReporter(ssrc: 1, cname: "pbx", nowMs: 0)
        var t = SequenceTracker()
        feed(&t, count: 200, jitterEvery: 2)
        r.update(from: t, clockRate: 8000)
        // Alternate packets 5 ms late: |D| = 40 samples each step, J converges to 40 → 5 ms.
        #expect(r.quality.jitterMs > 4 && r.quality.jitterMs <= 5)
    }
}
