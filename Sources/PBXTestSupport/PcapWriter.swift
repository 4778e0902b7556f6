// Classic libpcap writer for tests and fixture generators: Ethernet (or raw IP) / IPv4 / UDP
// datagrams with correct IPv4 header and UDP checksums, or arbitrary pre-built frames, so
// tests can hand-craft SLL, VLAN or IPv6 records and still get a valid file around them.

import Foundation

/// Typed error for values the writer cannot encode.
public enum PcapWriterError: Error, Equatable, Sendable {
    /// Not a dotted-quad IPv4 literal.
    case invalidIPv4Address(String)
    /// Port outside 0...65535.
    case invalidPort(Int)
    /// UDP payload larger than an IPv4 datagram can carry (65,507 bytes).
    case payloadTooLarge(Int)
    /// Time before the epoch or past the 32-bit seconds field (year 2106).
    case invalidTime(Int64)
    /// `appendUDP` needs an Ethernet or raw-IP file; use `appendFrame` for other link types.
    case unsupportedLinkType(PcapLinkType)
    /// The file could not be written.
    case writeFailed(path: String)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .invalidIPv4Address: return "pcap_writer.invalid_ipv4_address"
        case .invalidPort: return "pcap_writer.invalid_port"
        case .payloadTooLarge: return "pcap_writer.payload_too_large"
        case .invalidTime: return "pcap_writer.invalid_time"
        case .unsupportedLinkType: return "pcap_writer.unsupported_link_type"
        case .writeFailed: return "pcap_writer.write_failed"
        }
    }

    /// Human-readable message.
    public var message: String {
        switch self {
        case let .invalidIPv4Address(s): return "not an IPv4 address: \(s)"
        case let .invalidPort(p): return "port \(p) is outside 0...65535"
        case let .payloadTooLarge(n): return "UDP payload of \(n) bytes exceeds 65507"
        case let .invalidTime(t): return "time \(t) µs does not fit a pcap record"
        case let .unsupportedLinkType(t): return "appendUDP cannot build \(t) frames; use appendFrame"
        case let .writeFailed(path): return "cannot write \(path)"
        }
    }
}

/// Builds a classic libpcap file in memory.
public struct PcapWriter: Sendable {
    /// Link-layer type written in the global header.
    public let linkType: PcapLinkType
    /// Nanosecond magic (0xA1B23C4D) instead of microseconds.
    public let nanosecondResolution: Bool
    /// Header fields written big-endian instead of little-endian.
    public let bigEndian: Bool
    /// Snapshot length: frames longer than this are cut (original length kept in the record).
    public let snapLength: UInt32
    /// The file so far.
    public private(set) var bytes: [UInt8] = []
    /// Records appended so far.
    public private(set) var recordCount = 0
    /// Next IPv4 identification value (RFC 6864: unique per source while fragments may exist).
    var identification: UInt16 = 1

    /// Fixed, locally administered MAC addresses (the bit 0x02 of the first octet).
    static let sourceMAC: [UInt8] = [0x02, 0x00, 0x5A, 0x00, 0x00, 0x01]
    static let destinationMAC: [UInt8] = [0x02, 0x00, 0x5A, 0x00, 0x00, 0x02]

    /// Starts a file with the global header.
    public init(linkType: PcapLinkType = .ethernet, nanosecondResolution: Bool = false,
                bigEndian: Bool = false, snapLength: UInt32 = 65_535) {
        self.linkType = linkType
        self.nanosecondResolution = nanosecondResolution
        self.bigEndian = bigEndian
        self.snapLength = snapLength
        put32(nanosecondResolution ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        put16(2); put16(4)  // version 2.4
        put32(0); put32(0)  // thiszone, sigfigs: always 0 in practice
        put32(snapLength)
        put32(linkType.rawValue)
    }

    /// Appends one UDP datagram as Ethernet/IPv4/UDP (or bare IPv4/UDP for raw-IP files).
    public mutating func appendUDP(_ packet: PcapUDPPacket, udpChecksum: Bool = true) throws(PcapWriterError) {
        var frame: [UInt8] = []
        switch linkType {
        case .ethernet:
            frame = Self.destinationMAC + Self.sourceMAC + [0x08, 0x00]
        case .raw, .rawLegacy, .ipv4:
            break
        default:
            throw .unsupportedLinkType(linkType)
        }
        frame += try Self.ipv4UDP(packet, identification: identification, udpChecksum: udpChecksum)
        identification &+= 1
        try appendFrame(frame, timeUs: packet.timeUs)
    }

    /// Appends a pre-built link-layer frame; `originalLength` defaults to the frame's size.
    public mutating func appendFrame(_ frame: [UInt8], timeUs: Int64, originalLength: Int? = nil) throws(PcapWriterError) {
        guard timeUs >= 0, timeUs / 1_000_000 <= Int64(UInt32.max) else { throw .invalidTime(timeUs) }
        let captured = min(frame.count, Int(snapLength))
        put32(UInt32(timeUs / 1_000_000))
        let fraction = timeUs % 1_000_000
        put32(UInt32(nanosecondResolution ? fraction * 1000 : fraction))
        put32(UInt32(truncatingIfNeeded: captured))
        put32(UInt32(truncatingIfNeeded: originalLength ?? frame.count))
        bytes += frame[0..<captured]
        recordCount += 1
    }

    /// Writes the file to `path`, replacing it.
    public func write(to path: String) throws(PcapWriterError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw .writeFailed(path: path)
        }
    }

    // MARK: - Packet building

    /// IPv4 header (RFC 791, DF set, TTL 64) + UDP header (RFC 768) + payload.
    public static func ipv4UDP(_ p: PcapUDPPacket, identification: UInt16 = 1,
                               udpChecksum: Bool = true) throws(PcapWriterError) -> [UInt8] {
        guard let src = ipv4Address(p.source.host) else { throw .invalidIPv4Address(p.source.host) }
        guard let dst = ipv4Address(p.destination.host) else { throw .invalidIPv4Address(p.destination.host) }
        for port in [p.source.port, p.destination.port] where !(0...65_535).contains(port) {
            throw .invalidPort(port)
        }
        guard p.payload.count <= 65_507 else { throw .payloadTooLarge(p.payload.count) }
        let udpLength = 8 + p.payload.count
        var ip: [UInt8] = [0x45, 0x00]
        append16(&ip, UInt16(20 + udpLength))
        append16(&ip, identification)
        ip += [0x40, 0x00, 64, 17, 0, 0]  // DF, TTL 64, protocol UDP, checksum placeholder
        ip += src + dst
        // RFC 791 §3.1: one's complement of the one's complement sum of the header's 16-bit words.
        let headerSum = ~onesComplementSum(ip)
        ip[10] = UInt8(headerSum >> 8)
        ip[11] = UInt8(headerSum & 0xFF)
        var udp: [UInt8] = []
        udp.reserveCapacity(udpLength)
        append16(&udp, UInt16(p.source.port))
        append16(&udp, UInt16(p.destination.port))
        append16(&udp, UInt16(udpLength))
        append16(&udp, 0)
        udp += p.payload
        if udpChecksum {
            // RFC 768: the sum covers a pseudo header (addresses, protocol, length); a computed
            // 0 is sent as 0xFFFF because 0 means "no checksum".
            var pseudo = src + dst + [0, 17]
            append16(&pseudo, UInt16(udpLength))
            let sum = ~onesComplementSum(pseudo + udp)
            let value = sum == 0 ? 0xFFFF : sum
            udp[6] = UInt8(value >> 8)
            udp[7] = UInt8(value & 0xFF)
        }
        return ip + udp
    }

    /// RFC 1071 one's complement sum of big-endian 16-bit words (odd length padded with 0).
    public static func onesComplementSum(_ data: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i + 1 < data.count {
            sum += UInt32(data[i]) << 8 | UInt32(data[i + 1])
            i += 2
        }
        if i < data.count { sum += UInt32(data[i]) << 8 }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return UInt16(sum)
    }

    /// Parses a strict dotted quad ("192.0.2.1"): four decimal parts of 0...255, no extras.
    public static func ipv4Address(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var value = 0
        var digits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, value <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    static func append16(_ b: inout [UInt8], _ v: UInt16) {
        b.append(UInt8(v >> 8))
        b.append(UInt8(v & 0xFF))
    }

    mutating func put16(_ v: UInt16) {
        if bigEndian { Self.append16(&bytes, v) } else { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    }

    mutating func put32(_ v: UInt32) {
        if bigEndian {
            put16(UInt16(v >> 16)); put16(UInt16(v & 0xFFFF))
        } else {
            put16(UInt16(v & 0xFFFF)); put16(UInt16(v >> 16))
        }
    }
}
