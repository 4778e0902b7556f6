// Classic libpcap file reader (the format tcpdump and SIPp write; IETF draft-ietf-opsawg-pcap).
//
// Layout: a 24-byte global header (magic, version, zone, sigfigs, snaplen, link type), then
// records of a 16-byte header (seconds, micro- or nanoseconds, captured length, original length)
// and the captured bytes. The magic's byte order is the writer's, so all header fields are read
// in that order; packet contents are network byte order as always.
//
// Hostile input: every length is checked against what remains before it is used, record sizes
// are capped, and a file that ends inside a record throws instead of returning a silent prefix.
// Records that are not UDP over IP are counted in `PcapSkipCounts`, never fatal: a real capture
// holds ARP, TCP and ICMP next to the RTP a test wants.

import Foundation

/// Reads classic libpcap captures into UDP datagrams.
public enum PcapReader {
    /// Largest captured length accepted per record (libpcap's own MAXIMUM_SNAPLEN).
    public static let maxRecordLength: UInt32 = 262_144

    static let globalHeaderSize = 24
    static let recordHeaderSize = 16

    /// Reads and decodes the capture at `path`.
    public static func read(path: String) throws(PcapError) -> PcapCapture {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return try parse([UInt8](data))
    }

    /// The UDP datagrams of the capture at `path`, in file order.
    public static func udpPackets(path: String) throws(PcapError) -> [PcapUDPPacket] {
        try read(path: path).packets
    }

    /// Decodes a capture held in memory.
    public static func parse(_ bytes: [UInt8]) throws(PcapError) -> PcapCapture {
        let result: Result<PcapCapture, PcapError> = bytes.withUnsafeBytes { buf in
            Result { () throws(PcapError) -> PcapCapture in try parse(buf) }
        }
        return try result.get()
    }

    /// Decodes a capture from a raw buffer; payloads are copied out, nothing refers to `buf` after.
    public static func parse(_ buf: UnsafeRawBufferPointer) throws(PcapError) -> PcapCapture {
        let format = try FileFormat(buf)
        var capture = PcapCapture(linkType: format.linkType, nanosecondResolution: format.nanoseconds,
                                  bigEndian: format.bigEndian, snapLength: format.snapLength,
                                  recordCount: 0, packets: [], skipped: PcapSkipCounts())
        let decoder = PcapFrameDecoder(linkType: format.linkType)
        var offset = globalHeaderSize
        var index = 0
        while offset < buf.count {
            guard buf.count - offset >= recordHeaderSize else {
                throw .truncatedRecord(index: index, offset: offset)
            }
            let seconds = format.u32(buf, offset)
            let fraction = format.u32(buf, offset + 4)
            let captured = format.u32(buf, offset + 8)
            let original = format.u32(buf, offset + 12)
            guard captured <= maxRecordLength else { throw .recordTooLarge(index: index, length: captured) }
            let start = offset + recordHeaderSize
            guard buf.count - start >= Int(captured) else { throw .truncatedRecord(index: index, offset: offset) }
            let end = start + Int(captured)
            // Record times are UInt32 fields, so this Int64 arithmetic cannot overflow.
            let timeUs = Int64(seconds) * 1_000_000 + Int64(format.nanoseconds ? fraction / 1000 : fraction)
            let frame = UnsafeRawBufferPointer(rebasing: buf[start..<end])
            switch decoder.decode(frame, snapped: original > captured) {
            case let .udp(source, destination, payload):
                capture.packets.append(PcapUDPPacket(timeUs: timeUs, source: source, destination: destination,
                                                     payload: Array(frame[payload])))
            case let .skipped(reason):
                capture.skipped.count(reason)
            }
            offset = end
            index += 1
        }
        capture.recordCount = index
        return capture
    }
}

/// What the global header says about how to read the rest of the file.
struct FileFormat {
    var bigEndian: Bool
    var nanoseconds: Bool
    var snapLength: UInt32
    var linkType: PcapLinkType

    init(_ buf: UnsafeRawBufferPointer) throws(PcapError) {
        guard buf.count >= 4 else { throw .truncatedHeader(available: buf.count) }
        // Magic as the bytes appear in the file (first byte most significant).
        let magic = UInt32(buf[0]) << 24 | UInt32(buf[1]) << 16 | UInt32(buf[2]) << 8 | UInt32(buf[3])
        switch magic {
        case 0xA1B2_C3D4: bigEndian = true; nanoseconds = false
        case 0xA1B2_3C4D: bigEndian = true; nanoseconds = true
        case 0xD4C3_B2A1: bigEndian = false; nanoseconds = false
        case 0x4D3C_B2A1: bigEndian = false; nanoseconds = true
        case 0x0A0D_0D0A: throw .pcapngNotSupported  // pcapng SHB type is a byte-order palindrome
        default: throw .badMagic(magic)
        }
        guard buf.count >= PcapReader.globalHeaderSize else { throw .truncatedHeader(available: buf.count) }
        snapLength = 0
        linkType = .ethernet
        let major = u16(buf, 4)
        let minor = u16(buf, 6)
        guard major == 2 else { throw .unsupportedVersion(major: major, minor: minor) }
        snapLength = u32(buf, 16)
        // Draft-ietf-opsawg-pcap §4: the top bits may carry an FCS length and its flag; the FCS
        // then trails each frame, which the IP total length already excludes, so it is ignored.
        let rawLinkType = u32(buf, 20) & 0x03FF_FFFF
        guard let type = PcapLinkType(rawValue: rawLinkType) else { throw .unsupportedLinkType(rawLinkType) }
        linkType = type
    }

    /// 16-bit header field in the file's byte order; callers checked the bounds.
    func u16(_ buf: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
        let a = UInt16(buf[o]), b = UInt16(buf[o + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    /// 32-bit header field in the file's byte order; callers checked the bounds.
    func u32(_ buf: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
        let hi = UInt32(u16(buf, bigEndian ? o : o + 2)), lo = UInt32(u16(buf, bigEndian ? o + 2 : o))
        return hi << 16 | lo
    }
}

extension PcapSkipCounts {
    mutating func count(_ reason: PcapSkipReason) {
        switch reason {
        case .nonIP: nonIP += 1
        case .nonUDP: nonUDP += 1
        case .fragment: fragments += 1
        case .malformed: malformed += 1
        case .snapTruncated: snapTruncated += 1
        }
    }
}
