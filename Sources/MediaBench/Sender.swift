import Glibc
import MediaBenchKit

/// The RTP sender: one thread, one 20 ms tick on an absolute CLOCK_MONOTONIC schedule, one
/// packet per call per tick. Calls are spread over ten 2 ms slots of the tick (call c sends in
/// slot c % 10), as independent phones would be, rather than all in one burst: a burst of
/// 1,000 sends from a real-time thread held a core for ~3 ms and delayed the daemon's own
/// sending by as much on this 2-core machine. Every packet is built in the same buffer (the payload is copied
/// in once per tick, then only the 12-byte header changes per call), so the loop does not
/// allocate. Written by the sender thread only; read by main after `join`.
final class Sender: @unchecked Sendable {
    static let tickNs: Int64 = 20_000_000
    /// Sub-slots of a tick over which the calls' packets are spread.
    static let slots = 10
    /// A tick that starts later than this counts as late (the generator fell behind).
    static let lateNs: Int64 = 2_000_000

    private let fds: [Int32]
    private let ring: PayloadRing
    private let codec: BenchCodec
    private let startNs: Int64
    private let totalTicks: Int
    private let window: Range<Int>
    private let ssrc: [UInt32]
    private let sequence0: [UInt16]
    private let timestamp0: [UInt32]

    private(set) var sentInWindow = 0
    private(set) var sentTotal = 0
    private(set) var sendErrors = 0
    private(set) var lateTicks = 0
    private(set) var maxLateNs: Int64 = 0
    private(set) var windowCPUNs: Int64 = 0

    /// `seed` picks each call's SSRC and initial sequence/timestamp (RFC 3550 §5.1: random).
    init(fds: [Int32], ring: PayloadRing, codec: BenchCodec, startNs: Int64, totalTicks: Int, window: Range<Int>, seed: UInt64) {
        self.fds = fds
        self.ring = ring
        self.codec = codec
        self.startNs = startNs
        self.totalTicks = totalTicks
        self.window = window
        var g = SeededGenerator(seed: seed)
        ssrc = fds.map { _ in UInt32.random(in: 1...UInt32.max, using: &g) }
        sequence0 = fds.map { _ in UInt16.random(in: 0...UInt16.max, using: &g) }
        timestamp0 = fds.map { _ in UInt32.random(in: 0...UInt32.max, using: &g) }
    }

    func run() {
        let capacity = RTPWire.headerBytes + ring.maxPayloadBytes
        let packet = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { packet.deallocate() }
        let pt = codec.payloadType
        let step = UInt32(codec.samplesPerPacket)
        var cpuAtWindowStart: Int64 = 0
        for tick in 0..<totalTicks {
            let due = startNs + Int64(tick) * Sender.tickNs
            Posix.sleep(untilMonotonicNs: due)
            let inWindow = window.contains(tick)
            if tick == window.lowerBound { cpuAtWindowStart = Posix.cpuNs(thread: true) }
            if tick == window.upperBound { windowCPUNs = Posix.cpuNs(thread: true) - cpuAtWindowStart }
            let late = Posix.monotonicNs() - due
            if inWindow {
                if late > Sender.lateNs { lateTicks += 1 }
                maxLateNs = max(maxLateNs, late)
            }
            let length = ring.payloads[tick % ring.count].withUnsafeBytes { p -> Int in
                if let base = p.baseAddress { (packet + RTPWire.headerBytes).copyMemory(from: base, byteCount: p.count) }
                return RTPWire.headerBytes + p.count
            }
            let seqOffset = UInt16(truncatingIfNeeded: tick)
            let tsOffset = UInt32(truncatingIfNeeded: tick) &* step
            for slot in 0..<Sender.slots {
            if slot > 0 { Posix.sleep(untilMonotonicNs: due + Int64(slot) * Sender.tickNs / Int64(Sender.slots)) }
            for c in stride(from: slot, to: fds.count, by: Sender.slots) {
                // RFC 3550 §5.1: marker on the first packet of the talk spurt (the stream start).
                RTPWire.writeHeader(packet, payloadType: pt, marker: tick == 0, sequence: sequence0[c] &+ seqOffset,
                                    timestamp: timestamp0[c] &+ tsOffset, ssrc: ssrc[c])
                if send(fds[c], packet, length, 0) == length {
                    sentTotal += 1
                    if inWindow { sentInWindow += 1 }
                } else {
                    sendErrors += 1
                }
            }
            }
        }
        if window.upperBound >= totalTicks { windowCPUNs = Posix.cpuNs(thread: true) - cpuAtWindowStart }
    }
}

/// SplitMix64: per-call RTP identifiers from one seed, without global random state.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
