/// Bounds checks done in Swift before a buffer reaches libsrtp, so hostile or truncated input
/// becomes a typed error and libsrtp only ever sees headers that fit inside the packet.
enum SRTPPacketCheck {
    /// Largest packet accepted: a UDP payload never exceeds this.
    static let maxPacketLength = 65_535

    /// RFC 3550 §5.1: fixed RTP header length.
    static let rtpHeaderLength = 12
    /// RFC 3550 §6.4.1: the smallest RTCP packet (header + SSRC) is 8 bytes.
    static let rtcpHeaderLength = 8
    /// RFC 3711 §3.4: the SRTCP trailer starts with the E flag and 31-bit index.
    static let srtcpIndexLength = 4

    /// Checks the buffer itself: a sane length and the 32-bit alignment libsrtp assumes
    /// (srtp.h: "assumes that the RTP packet is aligned on a 32-bit boundary").
    static func buffer(_ buf: UnsafeMutableRawPointer, length: Int) throws(SRTPError) {
        guard length >= 0, length <= maxPacketLength else {
            throw .malformed("length \(length) is outside 0...\(maxPacketLength)")
        }
        guard Int(bitPattern: buf) & 3 == 0 else { throw .badParameter }
    }

    /// Checks an (S)RTP packet of `length` bytes whose last `trailer` bytes are the SRTP
    /// trailer (0 for plain RTP): version 2, and the CSRC list and header extension fit.
    static func rtp(_ buf: UnsafeMutableRawPointer, length: Int, trailer: Int) throws(SRTPError) {
        try buffer(buf, length: length)
        let minimum = rtpHeaderLength + trailer
        guard length >= minimum else { throw .truncated(length: length, minimum: minimum) }
        let bytes = UnsafeRawBufferPointer(start: buf, count: length)
        let first = bytes[0]
        guard first >> 6 == 2 else { throw .malformed("RTP version \(first >> 6), expected 2") }
        // RFC 3550 §5.1/§5.3.1: CSRC list, then an optional extension of 4 + 4*length bytes.
        // The header is not encrypted (RFC 3711 §3.1), so this holds for SRTP input too.
        let end = length - trailer
        var headerLength = rtpHeaderLength + 4 * Int(first & 0x0F)
        if first & 0x10 != 0 {
            guard headerLength + 4 <= end else {
                throw .malformed("header extension starts past the end of the packet")
            }
            let words = Int(bytes[headerLength + 2]) << 8 | Int(bytes[headerLength + 3])
            headerLength += 4 + 4 * words
        }
        guard headerLength <= end else {
            throw .malformed("RTP header of \(headerLength) bytes overruns a \(end)-byte packet")
        }
    }

    /// Checks an (S)RTCP packet: version 2 and at least header + SSRC + `trailer` bytes.
    static func rtcp(_ buf: UnsafeMutableRawPointer, length: Int, trailer: Int) throws(SRTPError) {
        try buffer(buf, length: length)
        let minimum = rtcpHeaderLength + trailer
        guard length >= minimum else { throw .truncated(length: length, minimum: minimum) }
        let first = buf.load(as: UInt8.self)
        guard first >> 6 == 2 else { throw .malformed("RTCP version \(first >> 6), expected 2") }
    }

    /// Checks there is room after the packet for what `protect` may write.
    static func room(length: Int, capacity: Int, trailer: Int) throws(SRTPError) {
        let needed = length + trailer
        guard capacity >= needed else { throw .bufferTooSmall(needed: needed, capacity: capacity) }
    }
}
