import Codecs
import Foundation
import MediaEngine
import RTP
import SIPSyntax
import Testing

/// Bridges, playback and recording across the legs of one worker, on a manual clock.
@Suite struct MediaGraphTests {
    let a = TransportAddress(host: "127.0.0.1", port: 42000)
    let b = TransportAddress(host: "127.0.0.1", port: 43000)

    func leg(_ codec: MediaSession.Codec, pt: UInt8, to: TransportAddress, ssrc: UInt32) -> MediaSession {
        MediaSession(mode: .silent, parameters: .init(payloadType: pt, codec: codec, telephoneEventPayloadType: nil, remote: to),
                     ssrc: ssrc, initialSequence: 0, initialTimestamp: 0)
    }

    /// Runs `ticks` ticks, feeding port 20000 one PCMU tone frame per tick; returns what each
    /// port sent (RTP only).
    func run(_ g: inout MediaGraph, ticks: Int, feed: (Int) -> [UInt8]?) -> [Int: [[UInt8]]] {
        var out: [Int: [[UInt8]]] = [:]
        for k in 0..<ticks {
            if let payload = feed(k) {
                RTPTest.packet(seq: UInt16(k), ts: UInt32(k * 160), payload: payload)
                    .withUnsafeBytes { g.receive(port: 20000, $0, from: a, nowMs: Int64(k * 20)) }
            }
            g.tick(nowMs: Int64(k * 20), ntp: MediaSession.testNTP, send: { port, ch, bytes, _ in
                if ch == .rtp { out[port, default: []].append(Array(bytes)) }
            }, event: { _, _ in })
        }
        return out
    }

    func pcmuTone(_ k: Int) -> [UInt8] { RTPTest.toneFrame(k, rate: 8000).map { G711.muLawEncode($0) } }

    @Test func bridgeCarriesPCMUToPCMAOneWayAndNothingBack() throws {
        var g = MediaGraph()
        g.activate(port: 20000); g.activate(port: 20002)
        g.start(port: 20000, session: leg(.g711(.muLaw), pt: 0, to: a, ssrc: 1), nowMs: 0)
        g.start(port: 20002, session: leg(.g711(.aLaw), pt: 8, to: b, ssrc: 2), nowMs: 0)
        let bridged = g.bridge(20000, 20002)
        #expect(bridged)
        let out = run(&g, ticks: 100) { pcmuTone($0) }
        let toB = try #require(out[20002])
        #expect(toB.count >= 90)
        #expect(try toB.allSatisfy { try RTPPacketView.parse($0).header.payloadType == 8 })
        // What B hears, decoded, is the tone A sent.
        let heard = RTPTest.payloads(toB).flatMap { $0.map { G711.aLawDecode($0) } }
        let said = (0..<100).flatMap { RTPTest.toneFrame($0, rate: 8000) }
        let best = RTPTest.bestCorrelation(Array(said[1600..<8000]), heard, maxLag: 1600)
        #expect(best.value > 0.99)
        // B sent nothing, so A is sent nothing: a bridge never invents audio.
        #expect(out[20000] == nil)
    }

    @Test func bridgeResamplesBetweenG711AndOpus() throws {
        var g = MediaGraph()
        g.activate(port: 20000); g.activate(port: 20002)
        g.start(port: 20000, session: leg(.g711(.muLaw), pt: 0, to: a, ssrc: 1), nowMs: 0)
        g.start(port: 20002, session: leg(.opus(fmtp: nil), pt: 111, to: b, ssrc: 2), nowMs: 0)
        let bridged = g.bridge(20000, 20002)
        #expect(bridged)
        let out = run(&g, ticks: 100) { pcmuTone($0) }
        let toB = try #require(out[20002])
        let decoder = try OpusDecoder()
        var pcm = [Int16](repeating: 0, count: 5760)
        var heard: [Int16] = []
        for p in RTPTest.payloads(toB) {
            let n = try p.withUnsafeBytes { b in try pcm.withUnsafeMutableBufferPointer { try decoder.decode(b, into: $0) } }
            heard += pcm[0..<n]
        }
        #expect(heard.count >= 90 * 960)  // 48 kHz frames
        let said48 = (0..<100).flatMap { RTPTest.toneFrame($0, rate: 48000) }
        let best = RTPTest.bestCorrelation(Array(said48[9600..<28800]), heard, maxLag: 9600)
        #expect(best.value > 0.85, "correlation \(best.value)")
    }

    @Test func playbackSendsTheSourceAndReportsItsEnd() throws {
        var g = MediaGraph()
        g.activate(port: 20000)
        g.start(port: 20000, session: leg(.g711(.muLaw), pt: 0, to: a, ssrc: 1), nowMs: 0)
        let tone = try ToneSource(sampleRate: 8000, frequencies: [425], levelDbm0: -10, durationMs: 500)
        g.withSession(port: 20000) { $0.play(tone, id: 42) }
        var sent = 0
        var events: [MediaSession.Event] = []
        for k in 0..<50 {
            g.tick(nowMs: Int64(k * 20), ntp: MediaSession.testNTP, send: { _, ch, _, _ in if ch == .rtp { sent += 1 } },
                   event: { _, e in events.append(e) })
        }
        #expect(sent == 25)  // 500 ms in 20 ms packets, then silence
        #expect(events == [.playbackFinished(id: 42)])
    }

    @Test func stereoRecordingPutsEachLegInItsOwnChannel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("graph-rec-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("call.wav").path
        var g = MediaGraph()
        g.activate(port: 20000); g.activate(port: 20002)
        g.start(port: 20000, session: leg(.g711(.muLaw), pt: 0, to: a, ssrc: 1), nowMs: 0)
        g.start(port: 20002, session: leg(.g711(.muLaw), pt: 0, to: b, ssrc: 2), nowMs: 0)
        g.bridge(20000, 20002)
        g.record(port: 20000, into: try WAVRecorder(path: path, sampleRate: 8000, channels: 2), stereo: true)
        _ = run(&g, ticks: 100) { pcmuTone($0) }
        let stopped = g.stopRecording(port: 20000)
        let done = try #require(stopped)
        #expect(done.durationMs == 2000)
        let file = try WAVFileSource(path: path)
        #expect(file.header.channels == 2)
        let raw = try Data(contentsOf: URL(fileURLWithPath: path))
        let samples = raw[file.header.dataOffset...].withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let left = stride(from: 0, to: samples.count, by: 2).map { samples[$0] }
        let right = stride(from: 1, to: samples.count, by: 2).map { samples[$0] }
        #expect(left.map { abs(Int($0)) }.max()! > 2000)  // the caller's tone
        #expect(right.allSatisfy { $0 == 0 })  // the other leg said nothing
    }

    @Test func mediaTimeoutCountsFromTheStartOnTheWorkersClock() {
        // Sessions are built on the signalling queue (clock 0 here) and started by a worker
        // whose clock has run for 100 s: nothing may time out at once.
        var g = MediaGraph()
        g.activate(port: 20000)
        var p = leg(.g711(.muLaw), pt: 0, to: a, ssrc: 1).parameters
        p.mediaTimeoutMs = 2000
        g.start(port: 20000, session: MediaSession(mode: .echo, parameters: p, ssrc: 1, initialSequence: 0, initialTimestamp: 0),
                nowMs: 100_000)
        var firedAt: [Int64] = []
        var rtcpAt: [Int64] = []
        for t in stride(from: Int64(100_000), through: 104_000, by: 20) {
            g.tick(nowMs: t, ntp: MediaSession.testNTP, send: { _, ch, _, _ in if ch == .rtcp { rtcpAt.append(t) } },
                   event: { _, e in if e == .mediaTimeout { firedAt.append(t) } })
        }
        #expect(firedAt == [102_000])
        #expect(rtcpAt == [102_500])  // first report half an interval after the start
    }

    @Test func deactivateUnbridgesAndReturnsQuality() {
        var g = MediaGraph()
        g.activate(port: 20000); g.activate(port: 20002)
        g.start(port: 20000, session: leg(.g711(.muLaw), pt: 0, to: a, ssrc: 1), nowMs: 0)
        g.start(port: 20002, session: leg(.g711(.muLaw), pt: 0, to: b, ssrc: 2), nowMs: 0)
        g.bridge(20000, 20002)
        _ = run(&g, ticks: 10) { pcmuTone($0) }
        let q = g.deactivate(port: 20000)
        #expect(q?.packetsReceived ?? 0 >= 8)
        #expect(g.count == 1)
        let again = g.bridge(20000, 20002)
        #expect(!again)  // the leg is gone
    }
}
