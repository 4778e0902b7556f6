// Value types shared by PcapReader and PcapWriter: errors, link types, decoded UDP packets.
//
// The reader is a test tool: it turns captures (ours under pcap-fixtures/, SIPp's shipped ones,
// or a field capture attached to a bug report) into UDP datagrams with their capture times, so
// tests can replay real traffic into the pure media pieces at the times it was seen.

/// Typed error for unreadable or hostile capture files; `code` is stable for logs and test output.
public enum PcapError: Error, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadable(path: String)
    /// The file is pcapng (section header block 0x0A0D0D0A), which this reader does not parse.
    case pcapngNotSupported
    /// Fewer than 24 bytes: not even a global header.
    case truncatedHeader(available: Int)
    /// The first four bytes are no libpcap magic number in either byte order.
    case badMagic(UInt32)
    /// A major version other than 2 (libpcap has written 2.4 since 1998).
    case unsupportedVersion(major: UInt16, minor: UInt16)
    /// A link-layer type this reader does not decode.
    case unsupportedLinkType(UInt32)
    /// Record `index` (0-based) at byte `offset` runs past the end of the file.
    case truncatedRecord(index: Int, offset: Int)
    /// Record `index` claims `length` captured bytes, more than any sane snapshot length.
    case recordTooLarge(index: Int, length: UInt32)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .unreadable: return "pcap.unreadable"
        case .pcapngNotSupported: return "pcap.pcapng_not_supported"
        case .truncatedHeader: return "pcap.truncated_header"
        case .badMagic: return "pcap.bad_magic"
        case .unsupportedVersion: return "pcap.unsupported_version"
        case .unsupportedLinkType: return "pcap.unsupported_link_type"
        case .truncatedRecord: return "pcap.truncated_record"
        case .recordTooLarge: return "pcap.record_too_large"
        }
    }

    /// Human-readable message saying what is wrong and what to do.
    public var message: String {
        switch self {
        case let .unreadable(path):
            return "cannot read capture file \(path)"
        case .pcapngNotSupported:
            return "pcapng is not supported; convert it with `editcap -F pcap in.pcapng out.pcap`"
        case let .truncatedHeader(n):
            return "file too short for a pcap global header: \(n) of 24 bytes"
        case let .badMagic(m):
            return "not a libpcap file: magic 0x\(String(m, radix: 16))"
        case let .unsupportedVersion(major, minor):
            return "unsupported pcap version \(major).\(minor); expected 2.x"
        case let .unsupportedLinkType(t):
            return "unsupported link type \(t); supported: 0 NULL, 1 Ethernet, 12/101 raw IP, "
                + "113 Linux SLL, 228/229 raw IPv4/IPv6, 276 Linux SLL2"
        case let .truncatedRecord(i, o):
            return "record \(i) at byte \(o) is cut off by the end of the file"
        case let .recordTooLarge(i, n):
            return "record \(i) claims \(n) captured bytes (limit \(PcapReader.maxRecordLength))"
        }
    }
}

/// Link-layer header types (tcpdump.org LINKTYPE_ values) the reader decodes.
public enum PcapLinkType: UInt32, Sendable, CaseIterable {
    /// BSD loopback: 4-byte address family in the capturing host's byte order.
    case null = 0
    /// Ethernet II, optionally with 802.1Q / 802.1ad VLAN tags.
    case ethernet = 1
    /// Raw IP (the value OpenBSD-era DLT_RAW files carry).
    case rawLegacy = 12
    /// Raw IP, version taken from the first nibble.
    case raw = 101
    /// Linux "cooked" capture v1 (`tcpdump -i any` on older systems), 16-byte header.
    case linuxSLL = 113
    /// Raw IPv4 only.
    case ipv4 = 228
    /// Raw IPv6 only.
    case ipv6 = 229
    /// Linux "cooked" capture v2 (`tcpdump -i any` since libpcap 1.10), 20-byte header.
    case linuxSLL2 = 276
}

/// One end of a UDP datagram: numeric host text (dotted quad or RFC 5952 IPv6) and port.
public struct PcapEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// IPv4 dotted quad or compressed lowercase IPv6 text, without brackets.
    public var host: String
    /// UDP port.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, IPv6 in brackets.
    public var description: String {
        host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// One UDP datagram found in a capture.
public struct PcapUDPPacket: Equatable, Sendable {
    /// Capture time in microseconds since the Unix epoch (nanosecond files are truncated).
    public var timeUs: Int64
    /// Sender address and port.
    public var source: PcapEndpoint
    /// Receiver address and port.
    public var destination: PcapEndpoint
    /// The UDP payload (for RTP: header plus media).
    public var payload: [UInt8]

    /// Creates a packet.
    public init(timeUs: Int64, source: PcapEndpoint, destination: PcapEndpoint, payload: [UInt8]) {
        self.timeUs = timeUs
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}

/// Records the reader passed over, by reason (they are counted, never fatal).
public struct PcapSkipCounts: Equatable, Sendable {
    /// Not IPv4/IPv6 (ARP, LLDP, unknown ethertype or address family).
    public var nonIP = 0
    /// IP but not UDP (TCP, ICMP, ESP, ...).
    public var nonUDP = 0
    /// IPv4 or IPv6 fragments (not reassembled; RTP and most SIP over UDP are never fragmented).
    public var fragments = 0
    /// Headers that contradict themselves or the record length.
    public var malformed = 0
    /// UDP datagrams cut short by the capture's snapshot length.
    public var snapTruncated = 0

    /// Creates zero counts.
    public init() {}

    /// Total records skipped.
    public var total: Int { nonIP + nonUDP + fragments + malformed + snapTruncated }
}

/// A decoded capture: its format facts, the UDP datagrams in file order and what was skipped.
public struct PcapCapture: Equatable, Sendable {
    /// Link-layer type from the global header.
    public var linkType: PcapLinkType
    /// True for the nanosecond-resolution magic (0xA1B23C4D).
    public var nanosecondResolution: Bool
    /// True when the file was written big-endian.
    public var bigEndian: Bool
    /// Snapshot length from the global header.
    public var snapLength: UInt32
    /// Number of packet records in the file.
    public var recordCount: Int
    /// UDP datagrams in file order.
    public var packets: [PcapUDPPacket]
    /// Records that were not (complete, unfragmented) UDP.
    public var skipped: PcapSkipCounts
}
