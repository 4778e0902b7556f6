// Value types shared by the adaptive jitter buffer: configuration, output, statistics.
//
// Design choice (why "one item per get"): playout runs on a fixed 20 ms tick, but the sender's
// packet time is whatever it likes (SIPp sends 30 ms, Opus may send 10/40/60 ms). The buffer
// therefore works on a timestamp-based playout timeline: a packet is released when its playout
// start falls before the END of the tick being prepared (`now + tickMs`). Each `get(now:)`
// returns at most one item; the media worker calls `get` repeatedly until `.empty` and appends
// decoded audio (or concealment) to its own PCM FIFO, from which it takes exactly 20 ms per tick.
// With 30 ms packets this yields the pattern packet, packet, empty, packet, packet, empty, ...
// and the FIFO never starves; with 10 ms packets it yields two packets per tick.

/// Tuning knobs of a `JitterBuffer`; all times in milliseconds of the caller's clock.
public struct JitterBufferConfiguration: Sendable, Equatable {
    /// RTP clock rate of the payload format (8000 for G.711, 48000 for Opus).
    public var clockRate: Int
    /// Playout tick of the media worker.
    public var tickMs: Int
    /// Packet time assumed until it can be inferred from timestamp deltas.
    public var defaultPacketMs: Int
    /// Lower clamp of the adaptive target delay.
    public var minDelayMs: Double
    /// Upper clamp of the adaptive target delay.
    public var maxDelayMs: Double
    /// Target delay = multiplier × RFC 3550 interarrival jitter (before clamping).
    public var jitterMultiplier: Double
    /// Hard bound on buffered packets; overflow drops the oldest.
    public var maxPackets: Int
    /// Consecutive `.missing` items emitted with nothing buffered before the stream counts as idle.
    public var maxConcealedPackets: Int
    /// A timestamp jump (without marker bit) larger than this is a source restart.
    public var maxTimestampJumpMs: Int
    /// A sequence jump larger than this is a source restart.
    public var maxSequenceJump: Int

    /// Creates a configuration; defaults suit G.711 at 8 kHz on a 20 ms tick.
    public init(
        clockRate: Int = 8000, tickMs: Int = 20, defaultPacketMs: Int = 20,
        minDelayMs: Double = 20, maxDelayMs: Double = 200, jitterMultiplier: Double = 3,
        maxPackets: Int = 50, maxConcealedPackets: Int = 10,
        maxTimestampJumpMs: Int = 1000, maxSequenceJump: Int = 1000
    ) {
        self.clockRate = max(1, clockRate)
        self.tickMs = max(1, tickMs)
        self.defaultPacketMs = max(1, defaultPacketMs)
        self.minDelayMs = max(0, minDelayMs)
        self.maxDelayMs = max(self.minDelayMs, maxDelayMs)
        self.jitterMultiplier = max(0, jitterMultiplier)
        self.maxPackets = max(2, maxPackets)
        self.maxConcealedPackets = max(0, maxConcealedPackets)
        self.maxTimestampJumpMs = max(1, maxTimestampJumpMs)
        self.maxSequenceJump = max(1, maxSequenceJump)
    }
}

/// What the playout side should do next.
public enum JitterOutput<Payload: Sendable>: Sendable {
    /// Decode this payload; it covers `durationSamples` samples starting at RTP `timestamp`.
    case packet(Payload, sequence: UInt16, timestamp: UInt32, durationSamples: Int)
    /// The packet with this sequence number is due but never arrived: conceal (PLC/FEC/fade).
    case missing(expectedSequence: UInt16)
    /// Nothing more is due for this tick (or the stream is idle / underrun).
    case empty
}

extension JitterOutput: Equatable where Payload: Equatable {}

/// How `put` classified an arriving packet.
public enum JitterPutResult: Sendable, Equatable {
    /// Stored for playout.
    case queued
    /// Stored, and the playout timeline was re-anchored on it (start, talk spurt, restart, SSRC).
    case resynced
    /// Already buffered or already played: dropped.
    case duplicate
    /// Its playout slot has passed (it was declared missing): dropped.
    case late
}

/// Counters and gauges of one jitter buffer (cumulative across resets).
public struct JitterStatistics: Sendable, Equatable {
    /// Packets handed to `put` (including duplicates and late ones).
    public var received: Int = 0
    /// Sequence numbers that never arrived before their playout time.
    public var lost: Int = 0
    /// Packets that arrived after their playout slot.
    public var late: Int = 0
    /// Duplicate packets dropped.
    public var duplicates: Int = 0
    /// Packets that arrived with a sequence number below the highest one seen.
    public var reordered: Int = 0
    /// Packets dropped to shrink the delay (clock drift, catch-up after a stall).
    public var skipped: Int = 0
    /// Times playout was delayed by one packet time to grow the delay.
    public var stretched: Int = 0
    /// Packets dropped because the buffer was full.
    public var overflowDropped: Int = 0
    /// Timeline re-anchorings (talk spurts, restarts, SSRC changes, idle restarts).
    public var resyncs: Int = 0
    /// SSRC changes seen.
    public var ssrcChanges: Int = 0
    /// Current adaptive target delay.
    public var targetDelayMs: Double = 0
    /// RFC 3550 A.8 interarrival jitter estimate.
    public var jitterMs: Double = 0
    /// Highest number of packets ever held.
    public var maxBufferLevel: Int = 0
    /// Packets currently held.
    public var bufferLevel: Int = 0
}
