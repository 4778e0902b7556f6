/// The few RTP wire operations the load generator needs (RFC 3550 §5.1), on raw memory so
/// the send and receive loops never allocate.
public enum RTPWire {
    /// Size of the fixed header without CSRCs.
    public static let headerBytes = 12

    /// Writes a fixed RTP header (V=2, no padding, no extension, no CSRC) at `p`, which must
    /// have 12 writable bytes.
    @inline(__always)
    public static func writeHeader(_ p: UnsafeMutableRawPointer, payloadType: UInt8, marker: Bool,
                                   sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        p.storeBytes(of: 0x80, as: UInt8.self)
        p.storeBytes(of: (marker ? 0x80 : 0) | (payloadType & 0x7F), toByteOffset: 1, as: UInt8.self)
        p.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
        p.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
        p.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    /// A received packet's payload type and payload byte range, or nil when it is not RTP
    /// version 2 or its lengths do not add up (CSRCs, header extension and padding skipped).
    @inline(__always)
    public static func parse(_ b: UnsafeRawBufferPointer) -> (payloadType: UInt8, payload: Range<Int>)? {
        guard b.count >= headerBytes, b[0] >> 6 == 2 else { return nil }
        var start = headerBytes + Int(b[0] & 0x0F) * 4
        if b[0] & 0x10 != 0 {
            // RFC 3550 §5.3.1: 16-bit profile id, 16-bit length in 32-bit words, then the words.
            guard b.count >= start + 4 else { return nil }
            start += 4 + (Int(b[start + 2]) << 8 | Int(b[start + 3])) * 4
        }
        var end = b.count
        if b[0] & 0x20 != 0 {
            guard end > start else { return nil }
            end -= Int(b[end - 1]) // the last octet counts the padding, itself included
        }
        guard start <= end else { return nil }
        return (b[1] & 0x7F, start..<end)
    }
}
