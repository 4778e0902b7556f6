/// One packet the sender wants transmitted.
public struct TelephoneEventPacket: Equatable, Sendable {
    /// Payload to send.
    public var payload: TelephoneEventPayload
    /// RTP marker bit (set on the first packet of the event only).
    public var marker: Bool
    /// Offset to add to the event's base RTP timestamp (non-zero only for long-event segments).
    public var timestampOffset: UInt32
    /// When to send, in ms after the event starts.
    public var sendOffsetMs: Int
}

/// RFC 4733 §2.5.1 sender: plans the packets for one key press.
public enum TelephoneEventSender {
    /// Number of end packets (RFC 4733 §2.5.1.4 recommends three).
    public static let endRepeats = 3

    /// Packets for `event` lasting `durationMs`: marker on the first, an update every `intervalMs`
    /// with growing duration, then 3 identical E-bit packets with the final duration. All share one
    /// RTP timestamp unless the duration exceeds 0xFFFF units (§2.5.1.3 segments).
    public static func packets(event: UInt8, durationMs: Int, intervalMs: Int, clockRate: Int,
                               volume: UInt8 = 10) throws(RTPError) -> [TelephoneEventPacket] {
        guard durationMs > 0, intervalMs > 0, clockRate > 0 else {
            throw .invalidValue("duration, interval and clock rate must be positive")
        }
        // Bounds keep the sample arithmetic below from overflowing.
        guard durationMs <= 600_000, intervalMs <= 10_000, clockRate <= 1_000_000 else {
            throw .invalidValue("duration, interval or clock rate out of range")
        }
        let total = durationMs * clockRate / 1000
        let step = max(1, intervalMs * clockRate / 1000)
        var out: [TelephoneEventPacket] = []
        var segStart = 0
        func emit(_ elapsed: Int, end: Bool, at ms: Int) {
            // Close full segments first: the last packet of a segment carries 0xFFFF.
            while elapsed - segStart > 0xFFFF {
                out.append(TelephoneEventPacket(
                    payload: TelephoneEventPayload(event: event, volume: volume, duration: 0xFFFF),
                    marker: out.isEmpty, timestampOffset: UInt32(segStart), sendOffsetMs: ms))
                segStart += 0xFFFF
            }
            out.append(TelephoneEventPacket(
                payload: TelephoneEventPayload(event: event, end: end, volume: volume,
                                               duration: UInt16(elapsed - segStart)),
                marker: out.isEmpty, timestampOffset: UInt32(segStart), sendOffsetMs: ms))
        }
        var k = 1
        while k * step < total {
            emit(k * step, end: false, at: (k - 1) * intervalMs)
            k += 1
        }
        for i in 0..<endRepeats { emit(total, end: true, at: durationMs + i * intervalMs) }
        return out
    }

    /// Convenience taking a DTMF character; throws for characters that are not 0-9 * # A-D.
    public static func packets(key: Character, durationMs: Int, intervalMs: Int, clockRate: Int,
                               volume: UInt8 = 10) throws(RTPError) -> [TelephoneEventPacket] {
        guard let e = DTMFKey.event(for: key) else { throw .invalidValue("not a DTMF key: \(key)") }
        return try packets(event: e, durationMs: durationMs, intervalMs: intervalMs, clockRate: clockRate,
                           volume: volume)
    }
}
