/// RTP fixed header fields (RFC 3550 §5.1). CSRC values stay in the buffer (see `RTPPacketView`).
public struct RTPHeader: Equatable, Sendable {
    /// Fixed header size without CSRCs.
    public static let fixedSize = 12

    /// P bit: the packet carried padding (already stripped from the payload range on parse).
    public var padding: Bool
    /// X bit: a header extension followed the CSRC list (RFC 3550 §5.3.1).
    public var hasExtension: Bool
    /// CC: number of CSRC identifiers (0...15).
    public var csrcCount: UInt8
    /// M bit, profile-defined (e.g. start of talkspurt / start of RFC 4733 event).
    public var marker: Bool
    /// 7-bit payload type.
    public var payloadType: UInt8
    /// 16-bit sequence number.
    public var sequence: UInt16
    /// 32-bit media timestamp.
    public var timestamp: UInt32
    /// Synchronization source.
    public var ssrc: UInt32

    /// Creates a header; defaults describe a plain packet without padding, extension or CSRCs.
    public init(padding: Bool = false, hasExtension: Bool = false, csrcCount: UInt8 = 0, marker: Bool = false,
                payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        self.padding = padding
        self.hasExtension = hasExtension
        self.csrcCount = csrcCount
        self.marker = marker
        self.payloadType = payloadType
        self.sequence = sequence
        self.timestamp = timestamp
        self.ssrc = ssrc
    }

    /// Bytes `write` produces for `csrcs` CSRC identifiers.
    public static func encodedSize(csrcs: Int) -> Int { fixedSize + 4 * csrcs }

    /// Writes the fixed header + CSRCs at the start of `buffer`; returns bytes written.
    /// CC is taken from `csrcs.count`; the X and P bits are written as set — the caller appends
    /// the extension / padding bytes itself (this writer never emits them).
    @discardableResult
    public func write(into buffer: UnsafeMutableRawBufferPointer, csrcs: [UInt32] = []) throws(RTPError) -> Int {
        guard csrcs.count <= 15 else { throw .invalidValue("more than 15 CSRCs") }
        let size = Self.encodedSize(csrcs: csrcs.count)
        guard buffer.count >= size else { throw .bufferTooSmall(needed: size, available: buffer.count) }
        let b0 = 0x80 | (padding ? 0x20 : 0) | (hasExtension ? 0x10 : 0) | UInt8(csrcs.count)
        buffer.put8(b0, 0)
        buffer.put8((marker ? 0x80 : 0) | (payloadType & 0x7F), 1)
        buffer.put16(sequence, 2)
        buffer.put32(timestamp, 4)
        buffer.put32(ssrc, 8)
        for (i, c) in csrcs.enumerated() { buffer.put32(c, 12 + 4 * i) }
        return size
    }

    /// Appends the encoded header (+ CSRCs) to `bytes` (reserve capacity to avoid reallocation).
    public func append(to bytes: inout [UInt8], csrcs: [UInt32] = []) throws(RTPError) {
        guard csrcs.count <= 15 else { throw .invalidValue("more than 15 CSRCs") }
        bytes.append(0x80 | (padding ? 0x20 : 0) | (hasExtension ? 0x10 : 0) | UInt8(csrcs.count))
        bytes.append((marker ? 0x80 : 0) | (payloadType & 0x7F))
        bytes.append16(sequence)
        bytes.append32(timestamp)
        bytes.append32(ssrc)
        for c in csrcs { bytes.append32(c) }
    }
}

/// A parsed RTP packet: header plus byte offsets into the caller's buffer (no copies).
public struct RTPPacketView: Equatable, Sendable {
    /// Decoded fixed header.
    public var header: RTPHeader
    /// Offset of the first CSRC (always 12); there are `header.csrcCount` of them.
    public var csrcOffset: Int { RTPHeader.fixedSize }
    /// Header extension profile identifier, when X was set (RFC 3550 §5.3.1).
    public var extensionProfile: UInt16?
    /// Range of the header extension data (excluding its 4-byte preamble); empty without X.
    public var extensionRange: Range<Int>
    /// Range of the payload, padding stripped.
    public var payloadRange: Range<Int>
    /// Number of padding bytes stripped (including the count byte).
    public var paddingLength: Int

    /// Parses and validates an RTP packet (RFC 3550 §5.1, §5.3.1) without allocating.
    public static func parse(_ buf: UnsafeRawBufferPointer) throws(RTPError) -> RTPPacketView {
        let n = buf.count
        guard n >= RTPHeader.fixedSize else { throw .truncated(needed: RTPHeader.fixedSize, available: n) }
        let b0 = buf.u8(0)
        let version = b0 >> 6
        guard version == 2 else { throw .badVersion(version) }
        let hasPadding = b0 & 0x20 != 0
        let hasExt = b0 & 0x10 != 0
        let cc = b0 & 0x0F
        let b1 = buf.u8(1)
        let header = RTPHeader(padding: hasPadding, hasExtension: hasExt, csrcCount: cc, marker: b1 & 0x80 != 0,
                               payloadType: b1 & 0x7F, sequence: buf.u16(2), timestamp: buf.u32(4),
                               ssrc: buf.u32(8))
        var offset = RTPHeader.fixedSize + 4 * Int(cc)
        guard n >= offset else { throw .truncated(needed: offset, available: n) }
        var profile: UInt16?
        var extRange = offset..<offset
        if hasExt {
            // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, excluding the preamble.
            guard n >= offset + 4 else { throw .truncated(needed: offset + 4, available: n) }
            profile = buf.u16(offset)
            let words = Int(buf.u16(offset + 2))
            let start = offset + 4
            let end = start + 4 * words
            guard n >= end else { throw .truncated(needed: end, available: n) }
            extRange = start..<end
            offset = end
        }
        var payloadEnd = n
        var padLen = 0
        if hasPadding {
            // RFC 3550 §5.1: last octet counts padding octets including itself, so 0 is invalid.
            guard n > offset else { throw .badPadding(0) }
            let p = buf.u8(n - 1)
            guard p != 0, Int(p) <= n - offset else { throw .badPadding(p) }
            padLen = Int(p)
            payloadEnd = n - padLen
        }
        return RTPPacketView(header: header, extensionProfile: profile, extensionRange: extRange,
                             payloadRange: offset..<payloadEnd, paddingLength: padLen)
    }

    /// Parses an RTP packet held in an array; ranges index into that array.
    public static func parse(_ bytes: [UInt8]) throws(RTPError) -> RTPPacketView {
        try withBytes(bytes) { buf throws(RTPError) in try parse(buf) }
    }

    /// Reads CSRC number `index` from the buffer this view was parsed from; nil if out of range.
    public func csrc(_ index: Int, in buf: UnsafeRawBufferPointer) -> UInt32? {
        guard index >= 0, index < Int(header.csrcCount), csrcOffset + 4 * index + 4 <= buf.count else { return nil }
        return buf.u32(csrcOffset + 4 * index)
    }
}
