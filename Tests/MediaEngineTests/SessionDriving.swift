import MediaEngine
import RTP
import SIPSyntax

/// Test helpers: run a session's tick on a manual clock and collect what it sends.
extension MediaSession {
    static let testNTP = NTPTimestamp(seconds: 3_900_000_000, fraction: 0)

    /// One whole tick (pull + emit); returns the RTP and RTCP datagrams with their addresses.
    mutating func tick(nowMs: Int64, bridged: [Int16]? = nil)
        -> (rtp: [[UInt8]], rtcp: [(bytes: [UInt8], to: TransportAddress)]) {
        var rtp: [[UInt8]] = []
        var rtcp: [(bytes: [UInt8], to: TransportAddress)] = []
        let sink: MediaSink = { ch, bytes, to in
            switch ch {
            case .rtp: rtp.append(Array(bytes))
            case .rtcp: rtcp.append((Array(bytes), to))
            }
        }
        pull(nowMs: nowMs, send: sink)
        if let bridged {
            bridged.withUnsafeBufferPointer { emit(nowMs: nowMs, ntp: Self.testNTP, bridged: $0, send: sink) }
        } else {
            emit(nowMs: nowMs, ntp: Self.testNTP, bridged: nil, send: sink)
        }
        return (rtp, rtcp)
    }
}

enum RTPTest {
    /// An RTP packet from the test peer (SSRC 0xCAFE).
    static func packet(seq: UInt16, ts: UInt32, payload: [UInt8], pt: UInt8 = 0, marker: Bool = false) -> [UInt8] {
        var b: [UInt8] = []
        try? RTPHeader(marker: marker, payloadType: pt, sequence: seq, timestamp: ts, ssrc: 0xCAFE).append(to: &b)
        return b + payload
    }

    /// Payloads of RTP packets.
    static func payloads(_ packets: [[UInt8]]) -> [[UInt8]] {
        packets.compactMap { p in (try? RTPPacketView.parse(p)).map { Array(p[$0.payloadRange]) } }
    }

    /// Normalised cross-correlation of `b` against `a` at the best lag in 0...maxLag.
    static func bestCorrelation(_ a: [Int16], _ b: [Int16], maxLag: Int) -> (lag: Int, value: Double) {
        var best = (lag: 0, value: -1.0)
        for lag in 0...maxLag {
            var ab = 0.0, aa = 0.0, bb = 0.0
            var i = 0
            while i + lag < b.count && i < a.count {
                let x = Double(a[i]), y = Double(b[i + lag])
                ab += x * y; aa += x * x; bb += y * y
                i += 1
            }
            let v = aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
            if v > best.value { best = (lag, v) }
        }
        return best
    }

    /// A 20 ms frame of a two-tone test signal at `rate`, frame index `k` (phase-continuous).
    static func toneFrame(_ k: Int, rate: Int, amplitude: Double = 8000) -> [Int16] {
        let n = rate / 50
        return (0..<n).map { i in
            let t = Double(k * n + i) / Double(rate)
            let v = amplitude * (0.6 * sin(2 * .pi * 440 * t) + 0.4 * sin(2 * .pi * 1130 * t))
            return Int16(v)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
