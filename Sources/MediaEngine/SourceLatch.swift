import SIPSyntax

/// Which address a leg's media comes from, learned strictly (symmetric RTP done safely).
///
/// Answering to wherever packets come from lets callers behind NAT hear audio, but latching
/// to any source lets a stranger who guesses the port take the stream over (the "RTP bleed"
/// class of bugs). So: packets from the address the SDP named are adopted at once; another
/// address is adopted only after `learnPackets` packets from it (counted per source, for up to
/// four sources at a time, so a stranger interleaving its packets cannot reset the count of
/// the real caller). Once a source is adopted, others are ignored while it is alive; if it
/// falls silent for `rebindMs` (a NAT rebinding, a phone that moved), another can be learned
/// the same way.
struct SourceLatch: Sendable {
    static let learnPackets = 3
    static let rebindMs: Int64 = 2000
    static let maxCandidates = 4

    /// Where the SDP said the peer's media comes from (trusted as much as the signalling).
    var expected: TransportAddress?
    private(set) var locked: TransportAddress?
    private var candidates: [(source: TransportAddress, count: Int)] = []
    private var lastLockedMs: Int64 = 0

    init(expected: TransportAddress? = nil) { self.expected = expected }

    /// Whether a packet from `source` belongs to the leg (the caller then processes it).
    mutating func accept(_ source: TransportAddress, nowMs: Int64) -> Bool {
        if source == locked {
            lastLockedMs = nowMs
            return true
        }
        let lockedAlive = locked != nil && nowMs - lastLockedMs < Self.rebindMs
        if lockedAlive { return false }
        if locked == nil, source == expected { return lock(source, nowMs) }
        if let i = candidates.firstIndex(where: { $0.source == source }) {
            candidates[i].count += 1
            if candidates[i].count >= Self.learnPackets { return lock(source, nowMs) }
        } else {
            if candidates.count >= Self.maxCandidates { candidates.removeFirst() }
            candidates.append((source, 1))
        }
        // Before any source is locked, the first packets of the call are used (audio and keys
        // must not wait for the latch); after one was, a newcomer only counts once adopted.
        return locked == nil
    }

    private mutating func lock(_ source: TransportAddress, _ nowMs: Int64) -> Bool {
        locked = source
        lastLockedMs = nowMs
        candidates.removeAll(keepingCapacity: true)
        return true
    }

    /// New SDP (re-INVITE): learn again, trusting the new address.
    mutating func reset(expected: TransportAddress?) { self = SourceLatch(expected: expected) }
}
