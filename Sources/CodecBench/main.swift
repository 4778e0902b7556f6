// Per-frame cost of the media pieces, without sockets: what one 20 ms frame of each step
// costs on this machine, and how many legs of that work one core could carry. Run:
//   swift run -c release CodecBench [frames]
// The socket-level figure (whole daemon, N concurrent echo calls) is bench/media.sh.
import Codecs
import Glibc
import MediaEngine
import RTP
import SDP
import SIPSyntax
import SRTP

let frames = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000

func nowNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Runs `body` `frames` times (after a short warm-up) and prints µs per frame.
func measure(_ name: String, _ body: (Int) -> Void) {
    for i in 0..<min(200, frames) { body(i) }
    let start = nowNs()
    for i in 0..<frames { body(i) }
    let us = Double(nowNs() - start) / Double(frames) / 1000
    let legs = us > 0 ? Int(20_000 / us) : 0
    print(String(repeating: " ", count: max(0, 44 - name.count)) + name + ":  " + format(us) + " µs/frame   (\(legs) legs per core at 20 ms)")
}

func format(_ v: Double) -> String {
    let hundredths = Int((v * 100).rounded())
    let frac = hundredths % 100
    return "\(hundredths / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
}

/// A voice-like test signal (harmonics of a moving pitch, syllable envelope), frame k.
func voiceFrame(_ k: Int, rate: Int) -> [Int16] {
    let n = rate / 50
    return (0..<n).map { i in
        let t = Double(k * n + i) / Double(rate)
        let f0 = 140 + 40 * sin(2 * .pi * 0.7 * t)
        let env = 0.3 + 0.7 * abs(sin(2 * .pi * 2.5 * t))
        var v = 0.0
        for h in 1...8 { v += sin(2 * .pi * f0 * Double(h) * t) / Double(h) }
        return Int16(max(-32767, min(32767, 5000 * env * v)))
    }
}

let pcm8 = (0..<50).map { voiceFrame($0, rate: 8000) }
let pcm48 = (0..<50).map { voiceFrame($0, rate: 48000) }
print("CodecBench: \(frames) frames per line, one thread")

var ulaw = [UInt8](repeating: 0, count: 160)
var out8 = [Int16](repeating: 0, count: 160)
measure("G.711 μ-law encode + decode (160 samples)") { i in
    pcm8[i % 50].withUnsafeBufferPointer { p in _ = ulaw.withUnsafeMutableBufferPointer { G711.encode(p, into: $0, law: .muLaw) } }
    ulaw.withUnsafeBufferPointer { u in _ = out8.withUnsafeMutableBufferPointer { G711.decode(u, into: $0, law: .muLaw) } }
}

var opusPackets: [[UInt8]] = []
for complexity in [10, 5] {
    let encoder = try OpusEncoder(complexity: complexity)
    var buf = [UInt8](repeating: 0, count: 1500)
    measure("Opus encode 48 kHz, complexity \(complexity)") { i in
        _ = pcm48[i % 50].withUnsafeBufferPointer { p in buf.withUnsafeMutableBytes { try? encoder.encode(p, into: $0) } }
    }
    if complexity == 10 {
        opusPackets = try pcm48.map { f in
            let n = try f.withUnsafeBufferPointer { p in try buf.withUnsafeMutableBytes { try encoder.encode(p, into: $0) } }
            return Array(buf[0..<n])
        }
    }
}
let decoder = try OpusDecoder()
var out48 = [Int16](repeating: 0, count: 5760)
measure("Opus decode 48 kHz") { i in
    _ = opusPackets[i % 50].withUnsafeBytes { b in out48.withUnsafeMutableBufferPointer { try? decoder.decode(b, into: $0) } }
}

let up = try Resampler(from: 8000, to: 48000)
let down = try Resampler(from: 48000, to: 8000)
var rs = [Int16](repeating: 0, count: 1200)
measure("resample 8 → 48 kHz and back (speexdsp q5)") { i in
    let n = pcm8[i % 50].withUnsafeBufferPointer { p in rs.withUnsafeMutableBufferPointer { up.process(p, into: $0) } }
    rs.withUnsafeBufferPointer { p in _ = out8.withUnsafeMutableBufferPointer { down.process(UnsafeBufferPointer(rebasing: p[0..<n]), into: $0) } }
}

let key = (0..<30).map { UInt8($0) }
let a = try SRTPSession(suite: .aes128CmSha1_80, localKey: key, remoteKey: key)
let b = try SRTPSession(suite: .aes128CmSha1_80, localKey: key, remoteKey: key)
var packet = [UInt8](repeating: 0, count: 172 + SRTPSession.trailerBytes)
measure("SRTP protect + unprotect (172-byte packet)") { i in
    packet.withUnsafeMutableBytes { buf in
        guard let base = buf.baseAddress else { return }
        _ = try? RTPHeader(payloadType: 0, sequence: UInt16(truncatingIfNeeded: i), timestamp: UInt32(i * 160), ssrc: 7).write(into: buf)
        if let n = try? a.protectRTP(base, length: 172, capacity: buf.count) { _ = try? b.unprotectRTP(base, length: n) }
    }
}

/// A whole leg in process: one packet in, one 20 ms tick out (receive, jitter buffer, send).
func sessionCost(_ name: String, codec: MediaSession.Codec, pt: UInt8, payloads: [[UInt8]], samples: Int, bridgeTo: MediaSession.Codec? = nil) {
    let peer = TransportAddress(host: "127.0.0.1", port: 40000)
    var g = MediaGraph()
    g.activate(port: 20000)
    g.start(port: 20000, session: MediaSession(mode: bridgeTo == nil ? .echo : .silent,
                                               parameters: .init(payloadType: pt, codec: codec, telephoneEventPayloadType: 101, remote: peer),
                                               ssrc: 1, initialSequence: 0, initialTimestamp: 0), nowMs: 0)
    if let other = bridgeTo {
        g.activate(port: 20002)
        g.start(port: 20002, session: MediaSession(mode: .silent, parameters: .init(payloadType: 111, codec: other, telephoneEventPayloadType: nil, remote: peer),
                                                   ssrc: 2, initialSequence: 0, initialTimestamp: 0), nowMs: 0)
        g.bridge(20000, 20002)
    }
    var wire = [UInt8](repeating: 0, count: 1500)
    var sent = 0
    measure(name) { i in
        let p = payloads[i % payloads.count]
        let header = RTPHeader(payloadType: pt, sequence: UInt16(truncatingIfNeeded: i), timestamp: UInt32(truncatingIfNeeded: i * samples), ssrc: 9)
        wire.withUnsafeMutableBytes { _ = try? header.write(into: $0) }
        wire.replaceSubrange(12..<(12 + p.count), with: p)
        wire.withUnsafeBytes { g.receive(port: 20000, UnsafeRawBufferPointer(rebasing: $0[0..<(12 + p.count)]), from: peer, nowMs: Int64(i * 20)) }
        g.tick(nowMs: Int64(i * 20), ntp: NTPTimestamp(seconds: 0, fraction: 0), send: { _, _, _, _ in sent += 1 }, event: { _, _ in })
    }
    if sent == 0 { print("   (nothing was sent: the measurement above is not valid)") }
}

let ulawPayloads = pcm8.map { f in f.map { G711.muLawEncode($0) } }
sessionCost("leg: G.711 echo (receive + tick, no sockets)", codec: .g711(.muLaw), pt: 0, payloads: ulawPayloads, samples: 160)
sessionCost("leg: Opus echo (passthrough)", codec: .opus(fmtp: nil), pt: 111, payloads: opusPackets, samples: 960)
sessionCost("2 legs: G.711 ⇄ Opus bridge, per frame", codec: .g711(.muLaw), pt: 0, payloads: ulawPayloads, samples: 160, bridgeTo: .opus(fmtp: nil))
