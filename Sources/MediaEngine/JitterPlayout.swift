// Playout side of the jitter buffer: one item per call, driven by the worker's 20 ms tick.

extension JitterBuffer {
    /// Returns the next item whose playout starts before the end of the tick beginning at `nowMs`.
    /// Call repeatedly within a tick until `.empty`.
    public mutating func get(nowMs: Int64) -> JitterOutput<Payload> {
        guard anchored, !idle else { return .empty }
        let horizon = Double(nowMs) + Double(configuration.tickMs)
        let ptime = packetTimeMs
        // Each iteration either returns, or stretches/skips (both bounded by the buffer
        // contents and the offset error), so the loop terminates.
        var guardCount = configuration.maxPackets + 64
        while guardCount > 0 {
            guardCount -= 1
            let head = entries.first
            let headPresent = head?.seq == nextSeq
            let headTs: Int64
            if let h = head, headPresent {
                headTs = h.ts
            } else if let h = head {
                headTs = h.ts - (h.seq - nextSeq) * samplesPerPacket
            } else if let p = lastPlayed {
                headTs = p.ts + (nextSeq - p.seq) * samplesPerPacket
            } else {
                return .empty
            }
            let playAt = ms(headTs - baseTs) + offsetMs
            guard playAt < horizon else { return .empty }

            let desired = desiredOffset
            // Grow: delay playout by one packet time; the caller conceals the gap.
            if desired - offsetMs > ptime / 2 {
                offsetMs += ptime
                statistics.stretched += 1
                continue
            }
            if headPresent, let h = head {
                let successorReady = entries.count >= 2 && entries[1].seq == nextSeq + 1
                // Shrink (drift: sender clock fast, or target lowered): drop one packet and pull
                // the timeline in by its duration, so the successor takes its slot seamlessly.
                if successorReady, offsetMs - desired > ptime {
                    dropHead(h)
                    offsetMs -= ptime
                    continue
                }
                // Catch-up after a stalled caller: do not replay a backlog in one tick.
                if successorReady, horizon - playAt > Double(configuration.tickMs) + ptime {
                    dropHead(h)
                    continue
                }
                entries.removeFirst()
                advance(played: true)
                lastPlayed = (h.seq, h.ts)
                concealRun = 0
                statistics.bufferLevel = entries.count
                let duration = Int(entries.first.map { $0.seq == h.seq + 1 ? $0.ts - h.ts : samplesPerPacket } ?? samplesPerPacket)
                return .packet(h.payload, sequence: UInt16(truncatingIfNeeded: h.seq),
                               timestamp: UInt32(truncatingIfNeeded: h.ts), durationSamples: duration)
            }
            // Head slot is due and absent: loss, unless the stream simply stopped (DTX, hangup).
            if entries.isEmpty && concealRun >= configuration.maxConcealedPackets {
                idle = true
                return .empty
            }
            let missing = nextSeq
            // A sequence gap with no timestamp room (sender skipped numbers, not audio) has no
            // slot to conceal.
            let noRoom = lastPlayed.map { headTs <= $0.ts } ?? false
            lastPlayed = (missing, max(headTs, lastPlayed?.ts ?? headTs))
            // Slot already over before this tick while later audio waits (a gap found late):
            // write it off silently instead of handing the caller a burst of concealment.
            if !entries.isEmpty, noRoom || playAt < Double(nowMs) {
                advance(played: false)
                statistics.lost += 1
                continue
            }
            advance(played: false)
            concealRun += 1
            statistics.lost += 1
            return .missing(expectedSequence: UInt16(truncatingIfNeeded: missing))
        }
        return .empty
    }

    /// The payload due right after the last item `get` returned, when it is already buffered:
    /// after a `.missing`, Opus rebuilds the lost frame from this packet's in-band FEC data
    /// (RFC 6716 §2.1.7, RFC 7587 §3.4).
    public func peekNext() -> Payload? {
        guard let h = entries.first, h.seq == nextSeq else { return nil }
        return h.payload
    }

    mutating func dropHead(_ h: Entry) {
        entries.removeFirst()
        advance(played: true)
        lastPlayed = (h.seq, h.ts)
        statistics.skipped += 1
        statistics.bufferLevel = entries.count
    }

    mutating func advance(played: Bool) {
        playedBits = (playedBits << 1) | (played ? 1 : 0)
        nextSeq += 1
    }
}
