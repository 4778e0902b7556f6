// Hand-built capture bytes for the reader tests, written out field by field and independent of
// PcapWriter, so a shared misunderstanding of the format cannot make both sides agree.

enum PcapTestBytes {
    /// Payload every hand-built datagram carries: an RTP-looking PT 0 header plus 4 bytes.
    static let payload: [UInt8] = [0x80, 0x00, 0x12, 0x34, 0, 0, 0x03, 0x20, 0xCA, 0xFE, 0xBA, 0xBE, 1, 2, 3, 4]

    /// Little-endian microsecond global header (2.4, snaplen 65535) for `linkType`.
    static func globalHeader(linkType: UInt32) -> [UInt8] {
        [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0] + le32(linkType)
    }

    /// One little-endian record header + frame; `original` defaults to the frame length.
    static func record(_ frame: [UInt8], seconds: UInt32 = 1_700_000_000, micros: UInt32 = 250_000,
                       original: Int? = nil) -> [UInt8] {
        le32(seconds) + le32(micros) + le32(UInt32(frame.count)) + le32(UInt32(original ?? frame.count)) + frame
    }

    /// A complete file of one link type holding `frames`.
    static func file(linkType: UInt32, _ frames: [[UInt8]]) -> [UInt8] {
        frames.reduce(globalHeader(linkType: linkType)) { $0 + record($1) }
    }

    /// IPv4 (192.0.2.1 → 198.51.100.2, checksum left 0: readers must not depend on it) + UDP
    /// 5004 → 6000 carrying `payload`.
    static func ipv4UDP(_ payload: [UInt8] = payload, protocolNumber: UInt8 = 17, flagsFragment: UInt16 = 0x4000,
                        headerWords: UInt8 = 5, totalLengthDelta: Int = 0, udpLengthDelta: Int = 0) -> [UInt8] {
        let udpLength = 8 + payload.count
        let options = [UInt8](repeating: 1, count: max(0, Int(headerWords) - 5) * 4)  // NOP options
        let total = 20 + options.count + udpLength + totalLengthDelta
        return [0x40 | headerWords, 0] + be16(UInt16(truncatingIfNeeded: total)) + [0x12, 0x34] + be16(flagsFragment)
            + [64, protocolNumber, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2] + options
            + be16(5004) + be16(6000) + be16(UInt16(truncatingIfNeeded: udpLength + udpLengthDelta)) + [0, 0] + payload
    }

    /// IPv6 2001:db8::1 → 2001:db8:0:0:1::2 with `extensions` (already chained; the last one's
    /// next header must be `udpNext`), then UDP 5004 → 6000.
    static func ipv6UDP(_ payload: [UInt8] = payload, firstNext: UInt8 = 17, extensions: [UInt8] = []) -> [UInt8] {
        let udp = be16(5004) + be16(6000) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        let source: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
        let destination: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]
        return [0x60, 0, 0, 0] + be16(UInt16(extensions.count + udp.count)) + [firstNext, 64]
            + source + destination + extensions + udp
    }

    /// Ethernet II header (fixed MACs) with optional VLAN tags (TPID, TCI) before `type`.
    static func ethernet(type: UInt16, tags: [(UInt16, UInt16)] = []) -> [UInt8] {
        var h: [UInt8] = [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xAA]
        for (tpid, tci) in tags { h += be16(tpid) + be16(tci) }
        return h + be16(type)
    }

    static func le32(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }

    static func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
}
