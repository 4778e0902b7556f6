import Foundation
import PBXTestSupport
import Testing

private typealias B = PcapTestBytes

@Suite struct PcapReaderTests {
    static let sippDTMF1 = "/usr/share/sip-tester/dtmf_2833_1.pcap"

    func packet(_ i: Int, size: Int) -> PcapUDPPacket {
        PcapUDPPacket(timeUs: 1_735_689_600_000_000 + Int64(i) * 20_000 + Int64(i % 3),
                      source: PcapEndpoint(host: "10.0.\(i).1", port: 40_000 + i),
                      destination: PcapEndpoint(host: "203.0.113.254", port: 10_000),
                      payload: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) })
    }

    // MARK: Writer → reader

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func writerReaderRoundTrip(nanoseconds: Bool, bigEndian: Bool) throws {
        let sent = [0, 1, 160, 1400, 7].enumerated().map { packet($0.offset, size: $0.element) }
        var writer = PcapWriter(nanosecondResolution: nanoseconds, bigEndian: bigEndian)
        for p in sent { try writer.appendUDP(p) }
        let capture = try PcapReader.parse(writer.bytes)
        #expect(capture.packets == sent)
        #expect(capture.recordCount == 5 && capture.skipped.total == 0)
        #expect(capture.linkType == .ethernet && capture.snapLength == 65_535)
        #expect(capture.nanosecondResolution == nanoseconds && capture.bigEndian == bigEndian)
    }

    @Test func writerProducesValidChecksumsAndFileOnDisk() throws {
        var writer = PcapWriter()
        let p = packet(3, size: 33)  // odd length exercises the checksum's zero pad
        try writer.appendUDP(p)
        let frame = Array(writer.bytes[(24 + 16)...])
        let ip = Array(frame[14..<34])
        // RFC 1071: summing a header that includes its checksum gives 0xFFFF.
        #expect(PcapWriter.onesComplementSum(ip) == 0xFFFF)
        #expect(ip[0] == 0x45 && ip[9] == 17 && ip[6] == 0x40)
        let udp = Array(frame[34...])
        let pseudo: [UInt8] = ip[12..<20] + [0, 17] + Array(udp[4..<6])
        #expect(PcapWriter.onesComplementSum(pseudo + udp) == 0xFFFF)
        #expect(udp[6] != 0 || udp[7] != 0)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pcap-writer-\(ProcessInfo.processInfo.processIdentifier).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writer.write(to: path)
        #expect(try PcapReader.udpPackets(path: path) == [p])
        #expect(throws: PcapError.unreadable(path: path + ".missing")) { try PcapReader.read(path: path + ".missing") }
    }

    @Test func writerRawIPAndUncheckedUDP() throws {
        var writer = PcapWriter(linkType: .raw)
        try writer.appendUDP(packet(1, size: 20), udpChecksum: false)
        #expect(writer.bytes[24 + 16] == 0x45)  // no Ethernet header
        #expect(writer.bytes[24 + 16 + 26] == 0 && writer.bytes[24 + 16 + 27] == 0)
        #expect(try PcapReader.parse(writer.bytes).packets == [packet(1, size: 20)])
    }

    @Test func writerRejectsWhatItCannotEncode() {
        var w = PcapWriter()
        var bad = packet(0, size: 1)
        bad.source.host = "10.0.0.256"
        #expect(throws: PcapWriterError.invalidIPv4Address("10.0.0.256")) { try w.appendUDP(bad) }
        for text in ["1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d", "::1", "", "1.2.3.4 "] {
            #expect(PcapWriter.ipv4Address(text) == nil, "\(text)")
        }
        #expect(PcapWriter.ipv4Address("0.255.10.9") == [0, 255, 10, 9])
        bad = packet(0, size: 1)
        bad.destination.port = 70_000
        #expect(throws: PcapWriterError.invalidPort(70_000)) { try w.appendUDP(bad) }
        bad = packet(0, size: 65_508)
        #expect(throws: PcapWriterError.payloadTooLarge(65_508)) { try w.appendUDP(bad) }
        bad = packet(0, size: 1)
        bad.timeUs = -1
        #expect(throws: PcapWriterError.invalidTime(-1)) { try w.appendUDP(bad) }
        var sll = PcapWriter(linkType: .linuxSLL)
        #expect(throws: PcapWriterError.unsupportedLinkType(.linuxSLL)) { try sll.appendUDP(packet(0, size: 1)) }
        #expect(w.recordCount == 0 && w.bytes.count == 24)
    }

    // MARK: Link types (hand-built bytes)

    func expectOneDatagram(_ bytes: [UInt8], v6: Bool = false, _ comment: Comment? = nil) throws {
        let capture = try PcapReader.parse(bytes)
        #expect(capture.skipped == PcapSkipCounts(), comment)
        let p = try #require(capture.packets.first, comment)
        #expect(capture.packets.count == 1 && p.payload == B.payload, comment)
        #expect(p.timeUs == 1_700_000_000_250_000, comment)
        #expect(p.source == PcapEndpoint(host: v6 ? "2001:db8::1" : "192.0.2.1", port: 5004), comment)
        #expect(p.destination == PcapEndpoint(host: v6 ? "2001:db8::1:0:0:2" : "198.51.100.2", port: 6000), comment)
    }

    @Test func ethernetPlainVLANAndQinQ() throws {
        try expectOneDatagram(B.file(linkType: 1, [B.ethernet(type: 0x0800) + B.ipv4UDP()]))
        try expectOneDatagram(B.file(linkType: 1, [B.ethernet(type: 0x86DD) + B.ipv6UDP()]), v6: true)
        try expectOneDatagram(B.file(linkType: 1, [B.ethernet(type: 0x0800, tags: [(0x8100, 0x0064)]) + B.ipv4UDP()]))
        try expectOneDatagram(B.file(linkType: 1, [B.ethernet(type: 0x86DD, tags: [(0x88A8, 10), (0x8100, 20)])
                                         + B.ipv6UDP()]), v6: true)
        // Three stacked tags is beyond what we accept: counted as malformed, not a crash.
        let deep = B.file(linkType: 1, [B.ethernet(type: 0x0800, tags: [(0x8100, 1), (0x8100, 2), (0x8100, 3)]) + B.ipv4UDP()])
        #expect(try PcapReader.parse(deep).skipped.malformed == 1)
    }

    @Test func ethernetPaddingAndFCSAreTrimmedByIPLength() throws {
        // A 16-byte payload makes a 58-byte frame; Ethernet pads to 60 and a capture may add FCS.
        let frame = B.ethernet(type: 0x0800) + B.ipv4UDP() + [0, 0] + [0xDE, 0xAD, 0xBE, 0xEF]
        try expectOneDatagram(B.file(linkType: 1, [frame]))
    }

    @Test func bsdLoopbackInBothByteOrders() throws {
        try expectOneDatagram(B.file(linkType: 0, [[2, 0, 0, 0] + B.ipv4UDP()]), "AF_INET little-endian")
        try expectOneDatagram(B.file(linkType: 0, [[0, 0, 0, 2] + B.ipv4UDP()]), "AF_INET big-endian")
        for family: UInt8 in [10, 24, 28, 30] {
            try expectOneDatagram(B.file(linkType: 0, [[family, 0, 0, 0] + B.ipv6UDP()]), v6: true, "AF_INET6 = \(family)")
        }
        #expect(try PcapReader.parse(B.file(linkType: 0, [[99, 0, 0, 0] + B.ipv4UDP()])).skipped.nonIP == 1)
    }

    @Test(arguments: [UInt32(101), 12])
    func rawIPEitherVersion(linkType: UInt32) throws {
        try expectOneDatagram(B.file(linkType: linkType, [B.ipv4UDP()]))
        try expectOneDatagram(B.file(linkType: linkType, [B.ipv6UDP()]), v6: true)
        #expect(try PcapReader.parse(B.file(linkType: linkType, [[0x50] + B.ipv4UDP()])).skipped.nonIP == 1)
    }

    @Test func rawIPv4AndIPv6LinkTypes() throws {
        try expectOneDatagram(B.file(linkType: 228, [B.ipv4UDP()]))
        try expectOneDatagram(B.file(linkType: 229, [B.ipv6UDP()]), v6: true)
    }

    @Test func linuxCookedV1AndV2() throws {
        // SLL: packet type 0 (to us), ARPHRD_ETHER 1, address length 6, 8 address bytes, protocol.
        let sll: [UInt8] = [0, 0, 0, 1, 0, 6, 2, 0, 0x5A, 0, 0, 1, 0, 0]
        try expectOneDatagram(B.file(linkType: 113, [sll + B.be16(0x0800) + B.ipv4UDP()]))
        try expectOneDatagram(B.file(linkType: 113, [sll + B.be16(0x86DD) + B.ipv6UDP()]), v6: true)
        // SLL2: protocol, reserved, interface index 3, ARPHRD 1, packet type 4 (outgoing), len 6, address.
        let sll2Tail: [UInt8] = [0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0x5A, 0, 0, 1, 0, 0]
        try expectOneDatagram(B.file(linkType: 276, [B.be16(0x0800) + sll2Tail + B.ipv4UDP()]))
        try expectOneDatagram(B.file(linkType: 276, [B.be16(0x86DD) + sll2Tail + B.ipv6UDP()]), v6: true)
        let arp = B.file(linkType: 276, [B.be16(0x0806) + sll2Tail + [UInt8](repeating: 0, count: 28)])
        #expect(try PcapReader.parse(arp).skipped.nonIP == 1)
    }

    @Test func unsupportedLinkTypeThrowsWithFCSBitsIgnored() throws {
        #expect(throws: PcapError.unsupportedLinkType(105)) { try PcapReader.parse(B.globalHeader(linkType: 105)) }
        // Draft pcap spec: F bit (26) + FCS length 4 (bits 28-31) on top of Ethernet.
        let withFCS = B.file(linkType: 0x4400_0001, [B.ethernet(type: 0x0800) + B.ipv4UDP() + [1, 2, 3, 4]])
        try expectOneDatagram(withFCS)
    }

    // MARK: IPv6 extension headers and address text

    @Test func ipv6ExtensionHeadersAreWalked() throws {
        // Hop-by-hop (8 bytes, next = destination options), destination options (16 bytes, next = UDP).
        let hopByHop: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0]
        let destination: [UInt8] = [17, 1, 1, 12] + [UInt8](repeating: 0, count: 12)
        try expectOneDatagram(B.file(linkType: 101, [B.ipv6UDP(firstNext: 0, extensions: hopByHop + destination)]), v6: true)
        // Atomic fragment (offset 0, M clear) holds a whole datagram; a real fragment is skipped.
        let atomic: [UInt8] = [17, 0, 0, 0, 0, 0, 0, 7]
        try expectOneDatagram(B.file(linkType: 101, [B.ipv6UDP(firstNext: 44, extensions: atomic)]), v6: true)
        let first: [UInt8] = [17, 0, 0, 1, 0, 0, 0, 7]
        let later: [UInt8] = [17, 0, 0x05, 0x28, 0, 0, 0, 7]
        let frags = try PcapReader.parse(B.file(linkType: 101, [B.ipv6UDP(firstNext: 44, extensions: first),
                                                                 B.ipv6UDP(firstNext: 44, extensions: later)]))
        #expect(frags.skipped.fragments == 2 && frags.packets.isEmpty)
        // AH (RFC 4302): length 4 → (4 + 2) × 4 = 24 bytes.
        let ah: [UInt8] = [17, 4] + [UInt8](repeating: 0, count: 22)
        try expectOneDatagram(B.file(linkType: 101, [B.ipv6UDP(firstNext: 51, extensions: ah)]), v6: true)
        // ICMPv6, ESP and a routing header claiming more than the packet: skipped, counted.
        let other = try PcapReader.parse(B.file(linkType: 101, [
            B.ipv6UDP(firstNext: 58), B.ipv6UDP(firstNext: 50), B.ipv6UDP(firstNext: 43, extensions: [17, 200, 0, 0, 0, 0, 0, 0]),
        ]))
        #expect(other.skipped.nonUDP == 2 && other.skipped.malformed == 1)
    }

    @Test func ipv6AddressTextFollowsRFC5952() throws {
        func text(_ groups: [UInt16]) throws -> String {
            var v6 = B.ipv6UDP()
            for (i, g) in groups.enumerated() { v6[8 + 2 * i] = UInt8(g >> 8); v6[9 + 2 * i] = UInt8(g & 0xFF) }
            return try #require(PcapReader.parse(B.file(linkType: 101, [v6])).packets.first).source.host
        }
        #expect(try text([0, 0, 0, 0, 0, 0, 0, 0]) == "::")
        #expect(try text([0, 0, 0, 0, 0, 0, 0, 1]) == "::1")
        #expect(try text([1, 0, 0, 0, 0, 0, 0, 0]) == "1::")
        #expect(try text([0x2001, 0xDB8, 0, 0, 1, 0, 0, 1]) == "2001:db8::1:0:0:1")  // first of equal runs
        #expect(try text([0x2001, 0xDB8, 0, 1, 0, 0, 0, 1]) == "2001:db8:0:1::1")  // longest run wins
        #expect(try text([0x2001, 0xDB8, 0, 1, 1, 1, 1, 1]) == "2001:db8:0:1:1:1:1:1")  // one zero stays
        #expect(try text([0xFE80, 0, 0, 0, 0xABCD, 0x00EF, 0x0100, 0xFFFF]) == "fe80::abcd:ef:100:ffff")
        #expect(try text([0, 0, 0, 0, 0, 0xFFFF, 0xC000, 0x0201]) == "::ffff:192.0.2.1")
        #expect(PcapEndpoint(host: "2001:db8::1", port: 5060).description == "[2001:db8::1]:5060")
        #expect(PcapEndpoint(host: "192.0.2.1", port: 5060).description == "192.0.2.1:5060")
    }

    // MARK: RTP filtering

    @Test func rtpFilterSeparatesRTPFromRTCPAndOtherUDP() {
        func udp(_ payload: [UInt8], port: Int = 10_000) -> PcapUDPPacket {
            PcapUDPPacket(timeUs: 0, source: PcapEndpoint(host: "192.0.2.1", port: 1),
                          destination: PcapEndpoint(host: "192.0.2.2", port: port), payload: payload)
        }
        let rtp0 = udp([0x80, 0x00] + [UInt8](repeating: 0, count: 6) + [0, 0, 0, 7] + [0xFF])
        let rtp101 = udp([0x80, 0xE5] + [UInt8](repeating: 0, count: 10) + [1, 0x0A, 0, 0])  // marker + PT 101
        let rtcpRR = udp([0x81, 201, 0, 7] + [UInt8](repeating: 0, count: 28), port: 10_001)
        let sip = udp(Array("INVITE sip:x SIP/2.0\r\n".utf8), port: 5060)
        let short = udp([0x80, 0x00, 0, 1])
        let all = [rtp0, rtp101, rtcpRR, sip, short]
        #expect(all.map(\.rtpPayloadType) == [0, 101, nil, nil, nil])
        #expect(rtp0.rtpSSRC == 7 && sip.rtpSSRC == nil)
        #expect(all.rtpPackets() == [rtp0, rtp101])
        #expect(all.rtpPackets(port: 10_000) == [rtp0, rtp101])
        #expect(all.rtpPackets(port: 10_001).isEmpty)
        #expect(all.rtpPackets(payloadType: 101) == [rtp101])
        #expect(all.rtpPackets(payloadTypes: [0, 8]) == [rtp0])
        #expect(rtp0.milliseconds(since: -20_000) == 20)
    }

    // MARK: SIPp's shipped capture

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sippDTMF1), "sip-tester not installed"))
    func sippDTMFCaptureHoldsTelephoneEvents() throws {
        let capture = try PcapReader.read(path: Self.sippDTMF1)
        #expect(capture.linkType == .ethernet && !capture.nanosecondResolution && !capture.bigEndian)
        #expect(capture.recordCount == 10 && capture.skipped.total == 0)
        let rtp = capture.packets.rtpPackets(payloadType: 101)
        #expect(rtp.count == 10)
        #expect(rtp.first?.source == PcapEndpoint(host: "192.168.0.3", port: 49_176))
        #expect(rtp.first?.destination == PcapEndpoint(host: "192.168.0.1", port: 10_000))
        #expect(rtp.allSatisfy { $0.payload.count == 16 && $0.payload[12] == 1 })  // event 1 ("1")
        #expect(Set(rtp.compactMap(\.rtpSSRC)) == [0x0E05_384E])
        let times = rtp.map(\.timeUs)
        #expect(times == times.sorted() && (times.last ?? 0) - (times.first ?? 0) == 139_929)  // .553878 → .693807
    }
}
