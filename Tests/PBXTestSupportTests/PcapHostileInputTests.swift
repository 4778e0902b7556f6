import PBXTestSupport
import Testing

private typealias B = PcapTestBytes

/// Truncated, garbage and self-contradicting captures: typed errors or counted skips, never a trap.
@Suite struct PcapHostileInputTests {
    var validFile: [UInt8] {
        B.file(linkType: 1, [B.ethernet(type: 0x0800) + B.ipv4UDP(), B.ethernet(type: 0x86DD) + B.ipv6UDP()])
    }

    @Test func fileLevelErrorsAreTyped() {
        #expect(throws: PcapError.truncatedHeader(available: 0)) { try PcapReader.parse([]) }
        #expect(throws: PcapError.truncatedHeader(available: 3)) { try PcapReader.parse([0xD4, 0xC3, 0xB2]) }
        #expect(throws: PcapError.truncatedHeader(available: 10)) { try PcapReader.parse(Array(validFile.prefix(10))) }
        #expect(throws: PcapError.badMagic(0x4749_4638)) { try PcapReader.parse(Array("GIF89a and more bytes here....".utf8)) }
        // pcapng: section header block type 0x0A0D0D0A, then length and byte-order magic.
        let pcapng: [UInt8] = [0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A]
        #expect(throws: PcapError.pcapngNotSupported) { try PcapReader.parse(pcapng + [UInt8](repeating: 0, count: 16)) }
        var version3 = validFile
        version3[4] = 3
        #expect(throws: PcapError.unsupportedVersion(major: 3, minor: 4)) { try PcapReader.parse(version3) }
    }

    @Test func errorCodesAndMessagesAreStable() {
        let errors: [PcapError] = [
            .unreadable(path: "/x"), .pcapngNotSupported, .truncatedHeader(available: 1), .badMagic(1),
            .unsupportedVersion(major: 1, minor: 0), .unsupportedLinkType(9), .truncatedRecord(index: 0, offset: 24),
            .recordTooLarge(index: 0, length: 1 << 30),
        ]
        #expect(errors.map(\.code) == [
            "pcap.unreadable", "pcap.pcapng_not_supported", "pcap.truncated_header", "pcap.bad_magic",
            "pcap.unsupported_version", "pcap.unsupported_link_type", "pcap.truncated_record", "pcap.record_too_large",
        ])
        #expect(PcapError.pcapngNotSupported.message.contains("editcap"))
        #expect(PcapError.badMagic(0xDEAD_BEEF).message.contains("0xdeadbeef"))
        #expect(PcapWriterError.invalidPort(-1).code == "pcap_writer.invalid_port")
    }

    @Test func recordsCutOffOrOversizedThrow() {
        let header = B.globalHeader(linkType: 1)
        #expect(throws: PcapError.truncatedRecord(index: 0, offset: 24)) { try PcapReader.parse(header + [1, 2, 3]) }
        let first = B.record(B.ethernet(type: 0x0800) + B.ipv4UDP())
        let cut = header + first + Array(B.record(B.ethernet(type: 0x0800) + B.ipv4UDP()).dropLast())
        #expect(throws: PcapError.truncatedRecord(index: 1, offset: 24 + first.count)) { try PcapReader.parse(cut) }
        let huge = header + B.le32(0) + B.le32(0) + B.le32(0x7FFF_FFFF) + B.le32(0x7FFF_FFFF) + [0]
        #expect(throws: PcapError.recordTooLarge(index: 0, length: 0x7FFF_FFFF)) { try PcapReader.parse(huge) }
        let maxed = header + B.le32(0) + B.le32(0) + B.le32(UInt32.max) + B.le32(0)
        #expect(throws: PcapError.recordTooLarge(index: 0, length: UInt32.max)) { try PcapReader.parse(maxed) }
    }

    @Test func emptyCaptureHasNoPackets() throws {
        let capture = try PcapReader.parse(B.globalHeader(linkType: 113))
        #expect(capture.linkType == .linuxSLL && capture.recordCount == 0 && capture.packets.isEmpty)
    }

    /// Every prefix either parses (it ends on a record boundary) or throws a typed error.
    @Test func everyPrefixParsesOrThrows() {
        let file = validFile
        let boundaries: Set<Int> = [24, 24 + 16 + 14 + 44, file.count]
        for n in 0...file.count {
            do {
                let capture = try PcapReader.parse(Array(file.prefix(n)))
                #expect(boundaries.contains(n), "prefix \(n) parsed")
                #expect(capture.packets.count == (n == file.count ? 2 : n == 24 ? 0 : 1))
            } catch {
                #expect(!boundaries.contains(n), "prefix \(n): \(error)")
            }
        }
    }

    /// Seeded random corruption of a valid file: the reader must survive every variant.
    @Test func randomCorruptionNeverTraps() {
        var rng = SplitMix64(seed: 0x9CA9)
        let file = validFile
        var parsed = 0
        for _ in 0..<3000 {
            var bytes = file
            for _ in 0..<(1 + rng.below(6)) { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            if rng.below(4) == 0 { bytes = Array(bytes.prefix(rng.below(bytes.count + 1))) }
            if let capture = try? PcapReader.parse(bytes) {
                parsed += 1
                #expect(capture.packets.count + capture.skipped.total == capture.recordCount)
                #expect(capture.packets.allSatisfy { $0.payload.count <= bytes.count })
            }
        }
        #expect(parsed > 0)  // most corruptions hit packet bytes and still parse
    }

    @Test func inconsistentIPAndUDPHeadersAreCountedNotTrusted() throws {
        let eth = B.ethernet(type: 0x0800)
        let capture = try PcapReader.parse(B.file(linkType: 1, [
            eth + B.ipv4UDP(headerWords: 4),  // IHL below 5
            eth + B.ipv4UDP(totalLengthDelta: 40),  // total length past the frame
            eth + B.ipv4UDP(totalLengthDelta: -30),  // total length shorter than its own header
            eth + B.ipv4UDP(udpLengthDelta: 1),  // UDP length past the IP payload
            eth + B.ipv4UDP(udpLengthDelta: -17),  // UDP length below its header
            eth + Array(B.ipv4UDP().prefix(12)),  // IPv4 header cut short
            eth + Array(B.ipv6UDP().prefix(30)),  // IPv6 header cut short
            Array(eth.prefix(9)),  // Ethernet header cut short
            eth + B.ipv4UDP(protocolNumber: 6),  // TCP
            eth + B.ipv4UDP(flagsFragment: 0x2000),  // more fragments
            eth + B.ipv4UDP(flagsFragment: 0x00B9),  // later fragment
            B.ethernet(type: 0x0806) + [UInt8](repeating: 0, count: 28),  // ARP
            eth + B.ipv4UDP(headerWords: 6),  // with 4 bytes of options: fine
        ]))
        #expect(capture.skipped.malformed == 8)
        #expect(capture.skipped.nonUDP == 1 && capture.skipped.fragments == 2 && capture.skipped.nonIP == 1)
        #expect(capture.packets.count == 1 && capture.packets.first?.payload == B.payload)
    }

    @Test func snapLengthCutsAreCountedSeparately() throws {
        var writer = PcapWriter(snapLength: 60)
        let p = PcapUDPPacket(timeUs: 5, source: PcapEndpoint(host: "192.0.2.1", port: 1),
                              destination: PcapEndpoint(host: "192.0.2.2", port: 2),
                              payload: [UInt8](repeating: 7, count: 172))
        try writer.appendUDP(p)
        let small = PcapUDPPacket(timeUs: 6, source: p.source, destination: p.destination, payload: [1, 2])
        try writer.appendUDP(small)
        let capture = try PcapReader.parse(writer.bytes)
        #expect(capture.skipped.snapTruncated == 1 && capture.packets == [small])
    }
}
