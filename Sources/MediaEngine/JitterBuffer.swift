// Adaptive jitter buffer of the media engine: a pure value type. Arrival times and the playout
// tick are inputs (milliseconds of the worker's clock); nothing here reads a clock.
//
// Timeline: packet with extended timestamp T plays at ms(T) + offset. The offset tracks
// "mean transit + target delay", where mean transit is a slow average of arrival − ms(T) and
// target = clamp(k × jitter) with jitter per RFC 3550 §6.4.1 / A.8. The offset only moves in
// whole packet times at packet boundaries: it grows by stretching (one `.empty` slot, caller
// conceals) and shrinks by skipping one buffered packet. Because mean transit follows the
// sender's clock, a sender running fast or slow (clock drift) is absorbed by the same rule.

/// Adaptive, reordering jitter buffer keyed by RTP sequence number and timestamp.
public struct JitterBuffer<Payload: Sendable>: Sendable {
    struct Entry: Sendable {
        var seq: Int64
        var ts: Int64
        var payload: Payload
    }

    /// The configuration in use.
    public let configuration: JitterBufferConfiguration
    /// Counters and gauges.
    public internal(set) var statistics = JitterStatistics()

    // Sorted by `seq`, all >= nextSeq; bounded by maxPackets (small, so linear inserts are cheap).
    var entries: [Entry] = []
    var ssrc: UInt32?
    var anchored = false
    var idle = false
    // Extension of 16-bit sequence numbers and 32-bit timestamps (RFC 3550 A.1 style).
    var refSeq: UInt16 = 0
    var refSeqExt: Int64 = 0
    var refTs: UInt32 = 0
    var refTsExt: Int64 = 0
    var baseTs: Int64 = 0
    // Playout state.
    var nextSeq: Int64 = 0
    var lastPlayed: (seq: Int64, ts: Int64)?
    var playedBits: UInt64 = 0  // bit i set: seq nextSeq-1-i was played (not concealed)
    var concealRun = 0
    var offsetMs: Double = 0
    var samplesPerPacket: Int64
    // Estimates.
    var lastTransit: Double?
    var transitEstimate: Double = 0
    var jitter: Double = 0
    var target: Double

    /// Creates an empty buffer.
    public init(configuration: JitterBufferConfiguration = JitterBufferConfiguration()) {
        self.configuration = configuration
        self.samplesPerPacket = Int64(configuration.clockRate * configuration.defaultPacketMs / 1000)
        self.target = configuration.minDelayMs
        statistics.targetDelayMs = target
        entries.reserveCapacity(configuration.maxPackets + 1)  // no per-packet allocation
        if samplesPerPacket <= 0 { samplesPerPacket = 1 }
    }

    /// Packet time currently assumed (inferred from timestamp deltas when possible).
    public var packetTimeMs: Double { ms(samplesPerPacket) }
    /// Current adaptive target delay.
    public var targetDelayMs: Double { target }
    /// Packets currently buffered.
    public var count: Int { entries.count }

    func ms(_ samples: Int64) -> Double { Double(samples) * 1000 / Double(configuration.clockRate) }

    // MARK: - Arrival

    /// Offers an arriving RTP packet; `arrivalMs` is the receive time on the worker's clock.
    @discardableResult
    public mutating func put(
        _ payload: Payload, sequence: UInt16, timestamp: UInt32, ssrc: UInt32,
        marker: Bool = false, arrivalMs: Int64
    ) -> JitterPutResult {
        statistics.received += 1
        if let known = self.ssrc, known != ssrc {
            // RFC 3550 §8.2: a new SSRC is a new source; nothing of the old timeline applies.
            statistics.ssrcChanges += 1
            resetStream()
        }
        self.ssrc = ssrc
        guard anchored else {
            anchor(payload, sequence: sequence, timestamp: timestamp, arrivalMs: arrivalMs, restart: true)
            return .resynced
        }
        let seqExt = refSeqExt + Int64(Int16(bitPattern: sequence &- refSeq))
        let tsExt = refTsExt + Int64(Int32(bitPattern: timestamp &- refTs))
        // Where this timestamp should be given its sequence distance from the reference.
        let expectedTs = refTsExt + (seqExt - refSeqExt) * samplesPerPacket
        let jumpMs = ms(tsExt - expectedTs)
        let limit = Double(configuration.maxTimestampJumpMs)
        if abs(seqExt - refSeqExt) > Int64(configuration.maxSequenceJump)
            || jumpMs < -limit || (!marker && jumpMs > limit) {
            anchor(payload, sequence: sequence, timestamp: timestamp, arrivalMs: arrivalMs, restart: true)
            return .resynced
        }
        if seqExt > refSeqExt {
            refSeq = sequence; refSeqExt = seqExt
        } else {
            statistics.reordered += seqExt < refSeqExt ? 1 : 0
        }
        if tsExt > refTsExt { refTs = timestamp; refTsExt = tsExt }
        updateEstimates(tsExt: tsExt, arrivalMs: arrivalMs)

        // Talk-spurt start (RFC 3551 §4.1 marker) or a stream that went idle: re-anchor the
        // timeline so the new spurt gets the current target delay rather than an old offset.
        if seqExt < nextSeq, nextSeq - 1 - seqExt < 64, playedBits & (1 << UInt64(nextSeq - 1 - seqExt)) != 0 {
            statistics.duplicates += 1
            return .duplicate
        }
        // Backwards only over slots that were all concealed (speculative loss during silence).
        let canRebase = seqExt >= nextSeq || nextSeq - seqExt <= Int64(concealRun)
        if canRebase && (idle || (marker && entries.isEmpty)) {
            rebaseOnSpurt(seqExt: seqExt)
            insert(Entry(seq: seqExt, ts: tsExt, payload: payload))
            statistics.resyncs += 1
            return .resynced
        }
        if seqExt < nextSeq {
            let age = nextSeq - 1 - seqExt
            if age < 64, playedBits & (1 << UInt64(age)) != 0 {
                statistics.duplicates += 1
                return .duplicate
            }
            statistics.late += 1
            return .late
        }
        if isBuffered(seqExt) {
            statistics.duplicates += 1
            return .duplicate
        }
        inferPacketTime(seqExt: seqExt, tsExt: tsExt)
        insert(Entry(seq: seqExt, ts: tsExt, payload: payload))
        return .queued
    }

    mutating func resetStream() {
        entries.removeAll(keepingCapacity: true)
        anchored = false
        idle = false
        lastPlayed = nil
        playedBits = 0
        concealRun = 0
        lastTransit = nil
        jitter = 0
        target = configuration.minDelayMs
        samplesPerPacket = max(1, Int64(configuration.clockRate * configuration.defaultPacketMs / 1000))
        statistics.bufferLevel = 0
        statistics.jitterMs = 0
        statistics.targetDelayMs = target
    }

    /// Starts a fresh timeline on this packet (first packet, source restart, SSRC change).
    mutating func anchor(_ payload: Payload, sequence: UInt16, timestamp: UInt32, arrivalMs: Int64, restart: Bool) {
        entries.removeAll(keepingCapacity: true)
        refSeq = sequence; refSeqExt = Int64(sequence)
        refTs = timestamp; refTsExt = Int64(timestamp)
        baseTs = refTsExt
        nextSeq = refSeqExt
        lastPlayed = nil
        playedBits = 0
        concealRun = 0
        idle = false
        lastTransit = nil
        updateEstimates(tsExt: refTsExt, arrivalMs: arrivalMs)
        transitEstimate = Double(arrivalMs) - ms(refTsExt - baseTs)
        offsetMs = desiredOffset
        anchored = true
        statistics.resyncs += 1
        insert(Entry(seq: refSeqExt, ts: refTsExt, payload: payload))
    }

    /// Re-anchors at a talk spurt or after idleness, keeping the timestamp base and estimates.
    mutating func rebaseOnSpurt(seqExt: Int64) {
        if seqExt >= nextSeq {
            statistics.lost += Int(seqExt - nextSeq)  // skipped over, never arrived
        } else {
            // Concealment emitted speculatively during silence was not real loss.
            statistics.lost -= Int(min(nextSeq - seqExt, Int64(concealRun)))
            entries.removeAll { $0.seq < seqExt }
        }
        nextSeq = seqExt
        playedBits = 0
        concealRun = 0
        idle = false
        offsetMs = desiredOffset
    }

    /// Where the timeline should sit: mean transit + target delay + one tick, because `get`
    /// releases a packet up to one tick before its playout start.
    var desiredOffset: Double { transitEstimate + target + Double(configuration.tickMs) }

    /// RFC 3550 A.8 jitter (J += (|D| − J)/16) plus a slow mean of the transit time.
    mutating func updateEstimates(tsExt: Int64, arrivalMs: Int64) {
        let transit = Double(arrivalMs) - ms(tsExt - baseTs)
        if let last = lastTransit {
            jitter += (abs(transit - last) - jitter) / 16
            transitEstimate += (transit - transitEstimate) / 32
        } else {
            transitEstimate = transit
        }
        lastTransit = transit
        let wanted = min(configuration.maxDelayMs, max(configuration.minDelayMs, configuration.jitterMultiplier * jitter))
        // Grow at once (late audio is worse than delay), shrink slowly (avoid oscillation).
        target = wanted > target ? wanted : target + (wanted - target) / 256
        statistics.jitterMs = jitter
        statistics.targetDelayMs = target
    }

    mutating func inferPacketTime(seqExt: Int64, tsExt: Int64) {
        var prevTs: Int64?
        if let p = lastPlayed, p.seq == seqExt - 1 { prevTs = p.ts }
        for e in entries where e.seq == seqExt - 1 { prevTs = e.ts }
        if let prev = prevTs {
            let delta = tsExt - prev
            // Accept deltas up to 200 ms; larger ones are silence gaps, not packet times.
            if delta > 0, delta <= Int64(configuration.clockRate / 5) { samplesPerPacket = delta }
        }
    }

    func isBuffered(_ seq: Int64) -> Bool { entries.contains { $0.seq == seq } }

    mutating func insert(_ entry: Entry) {
        var i = entries.count
        while i > 0, entries[i - 1].seq > entry.seq { i -= 1 }
        entries.insert(entry, at: i)
        if entries.count > configuration.maxPackets {
            // Bounded memory: drop the oldest and resync playout to what remains.
            entries.removeFirst()
            statistics.overflowDropped += 1
            if let first = entries.first, first.seq > nextSeq {
                nextSeq = first.seq
                playedBits = 0
                concealRun = 0
            }
            // Resync: put the newest packet back at the target delay; the skip rule in `get`
            // then discards the backlog instead of playing it late.
            offsetMs = desiredOffset
        }
        statistics.bufferLevel = entries.count
        statistics.maxBufferLevel = max(statistics.maxBufferLevel, entries.count)
    }
}
