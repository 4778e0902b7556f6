/// A completed telephone event, reported exactly once.
public struct TelephoneEventReport: Equatable, Sendable {
    /// RFC 4733 event code.
    public var event: UInt8
    /// DTMF character, nil for non-DTMF events.
    public var key: Character?
    /// Total duration in milliseconds (duration / clockRate).
    public var durationMs: Int
    /// RTP timestamp of the event's first segment.
    public var timestamp: UInt32
    /// Volume of the last packet (-dBm0).
    public var volume: UInt8
    /// True if ended by an E-bit packet; false if inferred (new event, SSRC change or flush).
    public var sawEnd: Bool
}

/// RFC 4733 receiver: turns a stream of telephone-event packets into one report per key press.
/// The event identity is (SSRC, RTP timestamp) — RFC 4733 §2.5.1.2: all packets of an event share
/// the timestamp, so the marker bit is not required and lost start packets are harmless.
public struct TelephoneEventReceiver: Equatable, Sendable {
    struct Current: Equatable, Sendable {
        var ssrc: UInt32
        var startTimestamp: UInt32
        var segmentTimestamp: UInt32
        var event: UInt8
        var baseDuration: UInt64  // samples from finished long-event segments (§2.5.1.3)
        var duration: UInt16
        var volume: UInt8
        var clockRate: Int
        var reported: Bool
    }

    var current: Current?

    /// Creates an idle receiver.
    public init() {}

    /// Feeds one telephone-event RTP packet; returns 0, 1 or 2 reports (2 when a new event
    /// arrives without an end and itself already carries E). Malformed payloads are ignored.
    public mutating func receive(header: RTPHeader, payload: UnsafeRawBufferPointer,
                                 clockRate: Int) -> [TelephoneEventReport] {
        guard clockRate > 0, let p = try? TelephoneEventPayload.parse(payload) else { return [] }
        return receive(header: header, event: p, clockRate: clockRate)
    }

    /// Feeds one telephone-event RTP packet whose payload is held in an array.
    public mutating func receive(header: RTPHeader, payload: [UInt8], clockRate: Int) -> [TelephoneEventReport] {
        guard clockRate > 0, let p = try? TelephoneEventPayload.parse(payload) else { return [] }
        return receive(header: header, event: p, clockRate: clockRate)
    }

    /// Feeds an already decoded payload.
    public mutating func receive(header: RTPHeader, event p: TelephoneEventPayload,
                                 clockRate: Int) -> [TelephoneEventReport] {
        guard clockRate > 0 else { return [] }
        var out: [TelephoneEventReport] = []
        let ts = header.timestamp
        if var cur = current, cur.ssrc == header.ssrc {
            if ts == cur.segmentTimestamp {
                // Same event: redundant end packets and retransmissions after the report are ignored.
                guard !cur.reported else { return [] }
                cur.duration = max(cur.duration, p.duration)
                cur.volume = p.volume
                if p.end { cur.reported = true; out.append(report(cur, sawEnd: true)) }
                current = cur
                return out
            }
            // Stale packet from an earlier event (timestamp slightly behind, serial arithmetic): ignore.
            // Only within 5 s so a sender whose timestamps jump backwards is not muted forever,
            // and not when the marker bit says a new event starts (RFC 4733 §2.5.1.3): replayed
            // or spliced streams (SIPp's per-key captures) reuse earlier timestamps.
            let back = Int32(bitPattern: ts &- cur.segmentTimestamp)
            if back < 0, Int(back.magnitude) / 5 <= clockRate, !header.marker { return [] }  // division: no overflow on odd rates
            // RFC 4733 §2.5.1.3: a long event continues in a new segment at ts + 0xFFFF.
            if !cur.reported, p.event == cur.event, cur.duration == 0xFFFF, ts == cur.segmentTimestamp &+ 0xFFFF {
                cur.baseDuration += 0xFFFF
                cur.segmentTimestamp = ts
                cur.duration = p.duration
                cur.volume = p.volume
                if p.end { cur.reported = true; out.append(report(cur, sawEnd: true)) }
                current = cur
                return out
            }
        }
        // A new event (or new SSRC): the previous one ends now if its end packets were lost.
        if let prev = current, !prev.reported { out.append(report(prev, sawEnd: false)) }
        var cur = Current(ssrc: header.ssrc, startTimestamp: ts, segmentTimestamp: ts, event: p.event,
                          baseDuration: 0, duration: p.duration, volume: p.volume, clockRate: clockRate,
                          reported: false)
        if p.end { cur.reported = true; out.append(report(cur, sawEnd: true)) }
        current = cur
        return out
    }

    /// Reports an event still in progress (call on inactivity timeout or stream end), once.
    public mutating func flush() -> TelephoneEventReport? {
        guard var cur = current, !cur.reported else { return nil }
        cur.reported = true
        current = cur
        return report(cur, sawEnd: false)
    }

    func report(_ c: Current, sawEnd: Bool) -> TelephoneEventReport {
        let samples = c.baseDuration + UInt64(c.duration)
        return TelephoneEventReport(event: c.event, key: DTMFKey.character(for: c.event),
                                    durationMs: Int(samples * 1000 / UInt64(c.clockRate)),
                                    timestamp: c.startTimestamp, volume: c.volume, sawEnd: sawEnd)
    }
}
