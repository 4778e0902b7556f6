import MediaEngine
import RTP
import SIPSyntax
import Testing

@Suite struct MediaSessionTests {
    let sdpRemote = TransportAddress(host: "10.0.0.5", port: 4000)
    let natSource = TransportAddress(host: "127.0.0.1", port: 40123)

    func packet(seq: UInt16, ts: UInt32, payload: [UInt8], pt: UInt8 = 0) -> [UInt8] {
        var b: [UInt8] = []
        try? RTPHeader(payloadType: pt, sequence: seq, timestamp: ts, ssrc: 0xCAFE).append(to: &b)
        return b + payload
    }

    func session(_ mode: MediaSession.Mode) -> MediaSession {
        MediaSession(mode: mode, parameters: .init(payloadType: 0, clockRate: 8000, telephoneEventPayloadType: 101, remote: sdpRemote),
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
            packet(seq: UInt16(100 + i), ts: UInt32(160 * i), payload: payload).withUnsafeBytes {
                s.receive($0, from: natSource, nowMs: Int64(20 * i))
            }
            back += s.tick(nowMs: Int64(20 * i))
        }
        for t in 50..<70 { back += s.tick(nowMs: Int64(20 * t)) }
        #expect(s.sendTo == natSource) // symmetric RTP: answer where packets come from
        #expect(back.count == 50)
        let views = try back.map { try RTPPacketView.parse($0) }
        #expect(back.enumerated().allSatisfy { Array($0.element[views[$0.offset].payloadRange]) == sent[$0.offset] })
        #expect(views.allSatisfy { $0.header.ssrc == 0x1234 && $0.header.payloadType == 0 })
        #expect(views.map(\.header.sequence).prefix(3) == [65534, 65535, 0]) // our own sequence, wrapping
        #expect(views[1].header.timestamp == 1160)
        #expect(views.first?.header.marker == true && views[1].header.marker == false)
    }

    @Test func silentModeSendsNothingAndGarbageIsIgnored() {
        var s = session(.silent)
        packet(seq: 1, ts: 0, payload: [1, 2, 3]).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 0) }
        [UInt8](repeating: 0xFF, count: 5).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 1) }
        packet(seq: 2, ts: 160, payload: [4], pt: 101).withUnsafeBytes { s.receive($0, from: natSource, nowMs: 2) }
        #expect(s.tick(nowMs: 100).isEmpty)
        #expect(s.packetsReceived == 1) // garbage and telephone-events are not audio packets
        #expect(s.lastPacketMs == 2) // but a telephone-event is media activity (for the media timeout)
    }
}
