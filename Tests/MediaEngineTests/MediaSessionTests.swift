import MediaEngine
import RTP
import SIPSyntax
import Testing

@Suite struct MediaSessionTests {
    let sdpRemote = TransportAddress(host: "10.0.0.5", port: 4000)
    let natSource = TransportAddress(host: "127.0.0.1", port: 40123)

    func session(_ mode: MediaSession.Mode, held: Bool = false, timeoutMs: Int64? = 30_000) -> MediaSession {
        MediaSession(mode: mode, parameters: .init(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: 101,
                                                   remote: sdpRemote, held: held, mediaTimeoutMs: timeoutMs),
                     ssrc: 0x1234, initialSequence: 65534, initialTimestamp: 1000)
    }

    @Test func echoReturnsPayloadsBitExactWithOwnHeaderAndLatchesToSource() throws {
        var s = session(.echo)
        #expect(s.sendTo == sdpRemote)
        var sent: [[UInt8]] = []
        var back: [[UInt8]] = []
        for i in 0..<50 {
            let payload = (0..<160).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }
            sent.append(payload)
            RTPTest.packet(seq: UInt16(100 + i), ts: UInt32(160 * i), payload: payload).withUnsafeBytes {
                s.receive($0, from: natSource, nowMs: Int64(20 * i))
            }
            back += s.tick(nowMs: Int64(20 * i)).rtp
        }
        for t in 50..<70 { back += s.tick(nowMs: Int64(20 * t)).rtp }
        #expect(s.sendTo == natSource) // symmetric RTP: answer where packets come from
        #expect(back.count == 50)
        let views = try back.map { try RTPPacketView.parse($0) }
        #expect(RTPTest.payloads(back) == sent)
        #expect(views.allSatisfy { $0.header.ssrc == 0x1234 && $0.header.payloadType == 0 })
        #expect(views.map(\.header.sequence).prefix(3) == [65534, 65535, 0]) // our own sequence, wrapping
        #expect(views[1].header.timestamp == 1160)
        #expect(views.first?.header.marker == true && views[1].header.marker == false)
        #expect(s.packetsSent == 50)
    }

    @Test func silentModeSendsNothingAndGarbageIsIgnored() {
        var s = session(.silent)
        RTPTest.packet(seq: 1, ts: 0, payload: [1, 2, 3]).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 0) }
        [UInt8](repeating: 0xFF, count: 5).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 1) }
        [UInt8](repeating: 0x40, count: 40).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 1) }
        RTPTest.packet(seq: 2, ts: 160, payload: [4], pt: 101).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 2) }
        #expect(s.tick(nowMs: 100).rtp.isEmpty)
        #expect(s.packetsReceived == 1) // garbage and telephone-events are not audio packets
        #expect(s.lastPacketMs == 2) // but a telephone-event is media activity (for the media timeout)
    }

    @Test func mediaTimeoutFiresOnceAfterTheConfiguredSilence() {
        var s = session(.echo, timeoutMs: 30_000)
        RTPTest.packet(seq: 1, ts: 0, payload: [UInt8](repeating: 0xFF, count: 160)).withUnsafeBytes {
            s.receive($0, from: natSource, nowMs: 1000)
        }
        var firedAt: [Int64] = []
        for t in stride(from: Int64(0), through: 40_000, by: 20) {
            _ = s.tick(nowMs: t)
            if s.takeEvents().contains(.mediaTimeout) { firedAt.append(t) }
        }
        #expect(firedAt == [31_000])
    }

    @Test func holdStopsSendingAndPausesTheTimeoutUntilUnhold() {
        var s = session(.echo, held: true, timeoutMs: 5_000)
        var sent = 0
        var timeouts: [Int64] = []
        for t in stride(from: Int64(0), through: 60_000, by: 20) {
            if t < 1000 {
                RTPTest.packet(seq: UInt16(t / 20), ts: UInt32(t / 20 * 160), payload: [UInt8](repeating: 1, count: 160))
                    .withUnsafeBytes { s.receive($0, from: natSource, nowMs: t) }
            }
            if t == 20_000 {
                var p = s.parameters
                p.held = false
                s.update(mode: .echo, parameters: p, nowMs: t)
            }
            sent += s.tick(nowMs: t).rtp.count
            if s.takeEvents().contains(.mediaTimeout) { timeouts.append(t) }
        }
        #expect(sent == 0)  // RFC 3264 §8.4: the peer asked us not to send
        #expect(timeouts == [25_000])  // the clock restarted at unhold
    }

    @Test func reInviteKeepsOurStreamContinuous() throws {
        var s = session(.echo)
        var out: [[UInt8]] = []
        for i in 0..<10 {
            RTPTest.packet(seq: UInt16(i), ts: UInt32(160 * i), payload: [UInt8](repeating: 0x55, count: 160))
                .withUnsafeBytes { s.receive($0, from: natSource, nowMs: Int64(20 * i)) }
            out += s.tick(nowMs: Int64(20 * i)).rtp
        }
        var p = s.parameters
        p.remote = TransportAddress(host: "10.0.0.9", port: 5000)
        s.update(mode: .echo, parameters: p, nowMs: 200)
        #expect(s.sendTo.host == "10.0.0.9")
        for i in 10..<20 {
            RTPTest.packet(seq: UInt16(i), ts: UInt32(160 * i), payload: [UInt8](repeating: 0x55, count: 160))
                .withUnsafeBytes { s.receive($0, from: natSource, nowMs: Int64(20 * i)) }
            out += s.tick(nowMs: Int64(20 * i)).rtp
        }
        for t in 20..<30 { out += s.tick(nowMs: Int64(20 * t)).rtp }
        let seqs = try out.map { try RTPPacketView.parse($0).header }
        #expect(Set(seqs.map(\.ssrc)) == [0x1234])  // RFC 3550 §8: one stream, one SSRC
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 })
    }

    @Test func rtcpGoesToTheLatchedAddressAndReadsThePeersReports() throws {
        var s = session(.echo)
        var reports: [(bytes: [UInt8], to: TransportAddress)] = []
        for i in 0..<400 {
            if i != 7 && i != 8 {
                RTPTest.packet(seq: UInt16(i), ts: UInt32(160 * i), payload: [UInt8](repeating: 0x12, count: 160))
                    .withUnsafeBytes { s.receive($0, from: natSource, nowMs: Int64(20 * i)) }
            }
            reports += s.tick(nowMs: Int64(20 * i)).rtcp
        }
        // First report after 2.5 s, the next 2.5–7.5 s later (RFC 3550 §6.2, §6.3.1).
        #expect(reports.count >= 1 && reports.count <= 3)
        let first = try #require(reports.first)
        #expect(first.to == TransportAddress(host: "127.0.0.1", port: 40124))
        let packets = try RTCPCompound.parse(first.bytes)
        guard case .senderReport(let sr) = packets.first else { Issue.record("expected an SR: we were sending"); return }
        #expect(sr.ssrc == 0x1234)
        #expect(sr.reports.first?.ssrc == 0xCAFE)
        #expect(sr.reports.first?.cumulativeLost == 2)
        #expect(s.quality.packetsLost == 2)

        // The peer's RR about us, echoing our SR, gives the round trip (RFC 3550 §6.4.1).
        let block = RTCPReportBlock(ssrc: 0x1234, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 1,
                                    jitter: 8, lastSR: MediaSession.testNTP.middle32, delaySinceLastSR: 6554)
        let rr = try RTCPBuilder.compound(senderReport: nil, ssrc: 0xCAFE, reports: [block], cname: "peer")
        let rtcpFrom = TransportAddress(host: "127.0.0.1", port: 50001)
        rr.withUnsafeBytes {
            s.receiveRTCP($0, from: rtcpFrom, nowMs: 8000,
                          ntp: NTPTimestamp(seconds: MediaSession.testNTP.seconds, fraction: 0x2000_0000))
        }
        let rtt = try #require(s.quality.rttMs)
        #expect(abs(rtt - 25) < 0.2)  // 125 ms after our SR, minus the peer's 100 ms hold
        #expect(s.rtcpTo == rtcpFrom)
    }
}
