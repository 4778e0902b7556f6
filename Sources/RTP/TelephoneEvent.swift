/// RFC 4733 §2.3 telephone-event payload: event, E bit, R bit, volume, duration.
public struct TelephoneEventPayload: Equatable, Sendable {
    /// Encoded size in bytes.
    public static let size = 4
    /// Event code (0-9 digits, 10 '*', 11 '#', 12-15 A-D; RFC 4733 §3.2).
    public var event: UInt8
    /// E bit: this packet ends the event.
    public var end: Bool
    /// R bit: reserved, preserved as received.
    public var reserved: Bool
    /// Power level in -dBm0 (0...63).
    public var volume: UInt8
    /// Duration in timestamp units since the event's RTP timestamp.
    public var duration: UInt16

    /// Creates a payload.
    public init(event: UInt8, end: Bool = false, reserved: Bool = false, volume: UInt8 = 10, duration: UInt16) {
        self.event = event; self.end = end; self.reserved = reserved; self.volume = volume; self.duration = duration
    }

    /// Decodes the first 4 bytes of an RTP payload (extra bytes, e.g. RFC 2198 leftovers, ignored).
    public static func parse(_ buf: UnsafeRawBufferPointer) throws(RTPError) -> TelephoneEventPayload {
        guard buf.count >= size else { throw .truncated(needed: size, available: buf.count) }
        let b1 = buf.u8(1)
        return TelephoneEventPayload(event: buf.u8(0), end: b1 & 0x80 != 0, reserved: b1 & 0x40 != 0,
                                     volume: b1 & 0x3F, duration: buf.u16(2))
    }

    /// Decodes from an array.
    public static func parse(_ bytes: [UInt8]) throws(RTPError) -> TelephoneEventPayload {
        try withBytes(bytes) { buf throws(RTPError) in try parse(buf) }
    }

    /// The 4 encoded bytes.
    public var bytes: [UInt8] {
        [event, (end ? 0x80 : 0) | (reserved ? 0x40 : 0) | (volume & 0x3F),
         UInt8(truncatingIfNeeded: duration >> 8), UInt8(truncatingIfNeeded: duration)]
    }

    /// Writes the 4 bytes at the start of `buffer`; returns 4.
    @discardableResult
    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RTPError) -> Int {
        guard buffer.count >= Self.size else { throw .bufferTooSmall(needed: Self.size, available: buffer.count) }
        buffer.put8(event, 0)
        buffer.put8((end ? 0x80 : 0) | (reserved ? 0x40 : 0) | (volume & 0x3F), 1)
        buffer.put16(duration, 2)
        return Self.size
    }
}

/// Mapping between DTMF characters and RFC 4733 §3.2 event codes.
public enum DTMFKey {
    static let table: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"]

    /// Character for an event code 0...15, nil for other events (e.g. 16 flash).
    public static func character(for event: UInt8) -> Character? {
        Int(event) < table.count ? table[Int(event)] : nil
    }

    /// Event code for a DTMF character (case-insensitive A-D), nil if not a DTMF key.
    public static func event(for key: Character) -> UInt8? {
        let upper: Character = key == "a" ? "A" : key == "b" ? "B" : key == "c" ? "C" : key == "d" ? "D" : key
        return table.firstIndex(of: upper).map { UInt8($0) }
    }
}
