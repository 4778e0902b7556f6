// One captured frame → link layer → IPv4/IPv6 → UDP, without copying.
//
// Every read goes through `be16`/`byte`, which return 0 instead of trapping past the end, and
// every header is length-checked before its fields are trusted, so a hostile record can only
// end up counted as skipped.

/// Why a record was not returned as a UDP datagram.
enum PcapSkipReason: Equatable, Sendable {
    case nonIP, nonUDP, fragment, malformed, snapTruncated
}

/// Result of decoding one frame.
enum PcapFrameResult: Equatable {
    /// A complete UDP datagram; `payload` indexes the frame buffer.
    case udp(source: PcapEndpoint, destination: PcapEndpoint, payload: Range<Int>)
    case skipped(PcapSkipReason)
}

/// Decodes frames of one link type.
struct PcapFrameDecoder: Sendable {
    let linkType: PcapLinkType

    static let udpProtocol: UInt8 = 17

    /// `snapped` is true when the record's original length exceeds what was captured.
    func decode(_ f: UnsafeRawBufferPointer, snapped: Bool) -> PcapFrameResult {
        let ipStart: Int
        switch networkLayer(f) {
        case let .ip(offset): ipStart = offset
        case let .skip(reason): return .skipped(reason)
        }
        guard ipStart < f.count else { return .skipped(snapped ? .snapTruncated : .malformed) }
        switch f.byte(ipStart) >> 4 {
        case 4: return ipv4(f, at: ipStart, snapped: snapped)
        case 6: return ipv6(f, at: ipStart, snapped: snapped)
        default: return .skipped(.nonIP)
        }
    }

    enum LinkResult { case ip(offset: Int), skip(PcapSkipReason) }

    /// Strips the link-layer header; the IP version is read from the packet itself afterwards.
    func networkLayer(_ f: UnsafeRawBufferPointer) -> LinkResult {
        switch linkType {
        case .raw, .rawLegacy, .ipv4, .ipv6:
            return .ip(offset: 0)
        case .null:
            // The family is in the capturing host's byte order; BSDs disagree on AF_INET6
            // (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30) and Linux uses 10.
            guard f.count >= 4 else { return .skip(.malformed) }
            let le = UInt32(f.byte(0)) | UInt32(f.byte(1)) << 8 | UInt32(f.byte(2)) << 16 | UInt32(f.byte(3)) << 24
            let family = le > 0xFFFF ? le.byteSwapped : le
            return [2, 10, 24, 28, 30].contains(family) ? .ip(offset: 4) : .skip(.nonIP)
        case .ethernet:
            guard f.count >= 14 else { return .skip(.malformed) }
            var type = f.be16(12)
            var offset = 14
            // IEEE 802.1Q (0x8100) and 802.1ad/QinQ (0x88A8, legacy 0x9100): 4-byte tags before
            // the real ethertype; two levels cover every carrier setup we know of.
            var tags = 0
            while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
                guard tags < 2, f.count >= offset + 4 else { return .skip(.malformed) }
                type = f.be16(offset + 2)
                offset += 4
                tags += 1
            }
            return Self.ethertype(type, offset: offset)
        case .linuxSLL:
            // packet type, ARPHRD type, address length, 8 address bytes, protocol (ethertype).
            guard f.count >= 16 else { return .skip(.malformed) }
            return Self.ethertype(f.be16(14), offset: 16)
        case .linuxSLL2:
            // protocol (ethertype), reserved, interface index, ARPHRD, packet type, addr len, addr.
            guard f.count >= 20 else { return .skip(.malformed) }
            return Self.ethertype(f.be16(0), offset: 20)
        }
    }

    static func ethertype(_ type: UInt16, offset: Int) -> LinkResult {
        type == 0x0800 || type == 0x86DD ? .ip(offset: offset) : .skip(.nonIP)
    }

    /// RFC 791 §3.1 header; fragments are counted, not reassembled.
    func ipv4(_ f: UnsafeRawBufferPointer, at o: Int, snapped: Bool) -> PcapFrameResult {
        guard f.count - o >= 20 else { return .skipped(snapped ? .snapTruncated : .malformed) }
        let headerLength = Int(f.byte(o) & 0x0F) * 4
        let totalLength = Int(f.be16(o + 2))
        guard headerLength >= 20, totalLength >= headerLength else { return .skipped(.malformed) }
        // Total length, not the frame, bounds the packet: Ethernet pads short frames to 60
        // bytes and some captures carry a trailing FCS.
        guard f.count - o >= totalLength else { return .skipped(snapped ? .snapTruncated : .malformed) }
        guard f.byte(o + 9) == Self.udpProtocol else { return .skipped(.nonUDP) }
        // More-fragments flag or a non-zero fragment offset.
        guard f.be16(o + 6) & 0x3FFF == 0 else { return .skipped(.fragment) }
        let source = Self.ipv4Text(f, o + 12)
        let destination = Self.ipv4Text(f, o + 16)
        return udp(f, at: o + headerLength, end: o + totalLength, source: source, destination: destination)
    }

    /// RFC 8200 §3 header plus the extension headers that can precede UDP (§4.1 order).
    func ipv6(_ f: UnsafeRawBufferPointer, at o: Int, snapped: Bool) -> PcapFrameResult {
        guard f.count - o >= 40 else { return .skipped(snapped ? .snapTruncated : .malformed) }
        let payloadLength = Int(f.be16(o + 4))
        // Payload length 0 means a jumbogram (RFC 2675), which no UDP media uses.
        guard payloadLength > 0 else { return .skipped(.malformed) }
        guard f.count - o - 40 >= payloadLength else { return .skipped(snapped ? .snapTruncated : .malformed) }
        let end = o + 40 + payloadLength
        var next = f.byte(o + 6)
        var cursor = o + 40
        // Bounded walk: a hostile chain of options cannot loop forever.
        for _ in 0..<8 {
            switch next {
            case Self.udpProtocol:
                return udp(f, at: cursor, end: end, source: Self.ipv6Text(f, o + 8),
                           destination: Self.ipv6Text(f, o + 24))
            case 0, 43, 60, 135, 139, 140:
                // Hop-by-hop, routing, destination options, mobility, HIP, shim6 (RFC 8200 §4.3-4.6,
                // RFC 6564 uniform format): length in 8-octet units, not counting the first 8.
                guard end - cursor >= 8 else { return .skipped(.malformed) }
                next = f.byte(cursor)
                cursor += (Int(f.byte(cursor + 1)) + 1) * 8
            case 44:
                // RFC 8200 §4.5: only an atomic fragment (offset 0, M clear) holds a whole datagram.
                guard end - cursor >= 8 else { return .skipped(.malformed) }
                guard f.be16(cursor + 2) & 0xFFF9 == 0 else { return .skipped(.fragment) }
                next = f.byte(cursor)
                cursor += 8
            case 51:
                // RFC 4302 §2.2: AH length is in 4-octet units minus 2.
                guard end - cursor >= 8 else { return .skipped(.malformed) }
                next = f.byte(cursor)
                cursor += (Int(f.byte(cursor + 1)) + 2) * 4
            default:
                return .skipped(.nonUDP)  // TCP, ICMPv6, ESP, no-next-header, ...
            }
            guard cursor <= end else { return .skipped(.malformed) }
        }
        return .skipped(.malformed)
    }

    /// RFC 768: the UDP length field, not the IP payload, delimits the datagram.
    func udp(_ f: UnsafeRawBufferPointer, at o: Int, end: Int, source: String,
             destination: String) -> PcapFrameResult {
        guard end - o >= 8 else { return .skipped(.malformed) }
        let length = Int(f.be16(o + 4))
        guard length >= 8, length <= end - o else { return .skipped(.malformed) }
        return .udp(source: PcapEndpoint(host: source, port: Int(f.be16(o))),
                    destination: PcapEndpoint(host: destination, port: Int(f.be16(o + 2))),
                    payload: (o + 8)..<(o + length))
    }

    static func ipv4Text(_ f: UnsafeRawBufferPointer, _ o: Int) -> String {
        "\(f.byte(o)).\(f.byte(o + 1)).\(f.byte(o + 2)).\(f.byte(o + 3))"
    }

    /// RFC 5952 §4 text: lowercase hex, no leading zeros, the longest run (≥ 2) of zero groups
    /// as "::" (first one on ties); §5: IPv4-mapped addresses end in dotted quad.
    static func ipv6Text(_ f: UnsafeRawBufferPointer, _ o: Int) -> String {
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        for i in 0..<8 { groups.append(f.be16(o + 2 * i)) }
        if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xFFFF {
            return "::ffff:" + ipv4Text(f, o + 12)
        }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                text += "::"
                i += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
            text += String(groups[i], radix: 16)
            i += 1
        }
        return text
    }
}

extension UnsafeRawBufferPointer {
    /// Byte at `o`, or 0 past the end (never traps; callers length-check first anyway).
    @inline(__always) func byte(_ o: Int) -> UInt8 { o >= 0 && o < count ? self[o] : 0 }
    /// Big-endian 16-bit value at `o`, 0 past the end.
    @inline(__always) func be16(_ o: Int) -> UInt16 { UInt16(byte(o)) << 8 | UInt16(byte(o + 1)) }
}
