/// Outcome of feeding one packet to a `SequenceTracker`.
public enum SequenceVerdict: Equatable, Sendable {
    /// Packet belongs to a validated source and was counted.
    case valid
    /// Source still on probation (RFC 3550 A.1, MIN_SEQUENTIAL); not counted.
    case probation
    /// Sequence jumped too far; discarded unless the next packet confirms a restart.
    case badSequence
}

/// Per-source sequence validation and reception statistics (RFC 3550 A.1, A.3, A.8).
public struct SequenceTracker: Equatable, Sendable {
    /// RFC 3550 A.1 constants.
    public static let minSequential = 2
    /// Largest forward jump still treated as in-order (A.1).
    public static let maxDropout: UInt16 = 3000
    /// Largest backward jump treated as reordering rather than a restart (A.1).
    public static let maxMisorder: UInt16 = 100
    static let seqMod: UInt32 = 1 << 16

    /// SSRC currently tracked; nil until the first packet.
    public private(set) var ssrc: UInt32?
    /// Highest sequence number seen (low 16 bits).
    public private(set) var maxSeq: UInt16 = 0
    /// Count of sequence wraps, shifted left 16 (A.1 `cycles`).
    public private(set) var cycles: UInt32 = 0
    /// First sequence number of the validated source.
    public private(set) var baseSeq: UInt32 = 0
    /// Packets counted (may exceed expected with duplicates, per A.3).
    public private(set) var received: UInt32 = 0
    var badSeq: UInt32 = seqMod + 1
    var probation = minSequential
    var expectedPrior: UInt32 = 0
    var receivedPrior: UInt32 = 0
    var transit: UInt32 = 0
    var haveTransit = false
    /// Jitter estimate scaled by 16 (A.8 integer form).
    var jitterQ4: UInt32 = 0

    /// Creates an empty tracker.
    public init() {}

    /// Whether the source passed probation.
    public var isValid: Bool { ssrc != nil && probation == 0 }
    /// Extended highest sequence number received (A.3).
    public var extendedHighest: UInt32 { cycles &+ UInt32(maxSeq) }
    /// Packets expected since the base sequence (A.3).
    public var expected: UInt32 { isValid ? extendedHighest &- baseSeq &+ 1 : 0 }
    /// Cumulative lost, clamped to 24-bit signed range (A.3); negative with duplicates.
    public var cumulativeLost: Int32 {
        let lost = Int64(expected) - Int64(received)
        return Int32(min(max(lost, -0x80_0000), 0x7F_FFFF))
    }
    /// Interarrival jitter in timestamp units (A.8).
    public var jitter: UInt32 { jitterQ4 >> 4 }

    /// Feeds one packet; `arrival` is the arrival time converted to the stream's timestamp units.
    public mutating func receive(sequence seq: UInt16, ssrc newSSRC: UInt32, timestamp: UInt32,
                                 arrival: UInt32) -> SequenceVerdict {
        if ssrc != newSSRC {
            // RFC 3550 §8.2/A.1: a new SSRC is a new source; restart probation and statistics.
            self = SequenceTracker()
            ssrc = newSSRC
            initSequence(seq)
            maxSeq = seq &- 1
            probation = Self.minSequential
        }
        let verdict = update(seq)
        if verdict == .valid { updateJitter(timestamp: timestamp, arrival: arrival) }
        return verdict
    }

    mutating func initSequence(_ seq: UInt16) {
        baseSeq = UInt32(seq)
        maxSeq = seq
        badSeq = Self.seqMod + 1  // so seq == badSeq is false
        cycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
    }

    mutating func update(_ seq: UInt16) -> SequenceVerdict {
        let udelta = seq &- maxSeq
        if probation > 0 {
            // A.1: source is valid only after MIN_SEQUENTIAL in-order packets.
            if seq == maxSeq &+ 1 {
                probation -= 1
                maxSeq = seq
                if probation == 0 {
                    initSequence(seq)
                    received &+= 1
                    return .valid
                }
            } else {
                probation = Self.minSequential - 1
                maxSeq = seq
            }
            return .probation
        } else if udelta < Self.maxDropout {
            // In order, with permissible gap; a smaller number means we wrapped.
            if seq < maxSeq { cycles &+= Self.seqMod }
            maxSeq = seq
        } else if UInt32(udelta) <= Self.seqMod - UInt32(Self.maxMisorder) {
            // A.1: a very large jump; accept only if the next packet follows it (peer restarted).
            if UInt32(seq) == badSeq {
                initSequence(seq)
            } else {
                badSeq = (UInt32(seq) + 1) & (Self.seqMod - 1)
                return .badSequence
            }
        } else {
            // Duplicate or reordered packet: counted, max unchanged.
        }
        received &+= 1
        return .valid
    }

    mutating func updateJitter(timestamp: UInt32, arrival: UInt32) {
        // A.8: transit difference in timestamp units, modular arithmetic tolerates wrap.
        let t = arrival &- timestamp
        if haveTransit {
            let d = Int32(bitPattern: t &- transit).magnitude
            // J += (|D| - J)/16, kept scaled by 16: J16 += |D| - (J16 + 8) / 16.
            jitterQ4 = jitterQ4 &+ d &- ((jitterQ4 &+ 8) >> 4)
        }
        transit = t
        haveTransit = true
    }

    /// Fraction lost since the previous call, as an 8-bit fixed point (A.3); advances the interval.
    public mutating func takeFractionLost() -> UInt8 {
        let exp = expected
        let expectedInterval = exp &- expectedPrior
        expectedPrior = exp
        let receivedInterval = received &- receivedPrior
        receivedPrior = received
        let lostInterval = Int64(expectedInterval) - Int64(receivedInterval)
        guard expectedInterval != 0, lostInterval > 0 else { return 0 }
        return UInt8(min((lostInterval << 8) / Int64(expectedInterval), 255))  // all lost -> 255, not 0
    }

    /// Builds an RTCP report block for this source (RFC 3550 §6.4.1); advances the fraction interval.
    /// `lastSR` is the middle 32 bits of the last SR's NTP time, `delaySinceLastSR` in 1/65536 s.
    public mutating func makeReportBlock(lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0) -> RTCPReportBlock {
        let fraction = takeFractionLost()
        return RTCPReportBlock(ssrc: ssrc ?? 0, fractionLost: fraction, cumulativeLost: cumulativeLost,
                               extendedHighestSequence: extendedHighest, jitter: jitter,
                               lastSR: lastSR, delaySinceLastSR: delaySinceLastSR)
    }
}
