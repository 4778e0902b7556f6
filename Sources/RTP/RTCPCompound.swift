/// Parser and builder for compound RTCP packets (RFC 3550 §6.1, §6.4–§6.6).
public enum RTCPCompound {
    /// Parses every packet of a compound RTCP datagram, bounds-checking each length field.
    /// Validity per RFC 3550 A.2: version 2 everywhere and lengths summing to the datagram size.
    /// The "first packet is SR/RR" rule is not enforced so reduced-size RTCP (RFC 5506) passes.
    public static func parse(_ buf: UnsafeRawBufferPointer) throws(RTPError) -> [RTCPPacket] {
        var packets: [RTCPPacket] = []
        var offset = 0
        let n = buf.count
        guard n >= 4 else { throw .truncated(needed: 4, available: n) }
        while offset < n {
            guard n - offset >= 4 else { throw .truncated(needed: offset + 4, available: n) }
            let b0 = buf.u8(offset)
            guard b0 >> 6 == 2 else { throw .badVersion(b0 >> 6) }
            let count = b0 & 0x1F
            let type = buf.u8(offset + 1)
            // §6.4.1: length is in 32-bit words minus one, including the header.
            let size = (Int(buf.u16(offset + 2)) + 1) * 4
            guard size <= n - offset else { throw .badLength }
            var end = offset + size
            if b0 & 0x20 != 0 {
                // §6.4.1: padding count in the last octet of this packet, including itself.
                let p = Int(buf.u8(end - 1))
                guard p != 0, p <= size - 4 else { throw .badPadding(UInt8(truncatingIfNeeded: p)) }
                end -= p
            }
            packets.append(try parseOne(buf, type: type, count: count, body: (offset + 4)..<end))
            offset += size
        }
        return packets
    }

    /// Parses a compound RTCP packet held in an array.
    public static func parse(_ bytes: [UInt8]) throws(RTPError) -> [RTCPPacket] {
        try withBytes(bytes) { buf throws(RTPError) in try parse(buf) }
    }

    static func parseOne(_ b: UnsafeRawBufferPointer, type: UInt8, count: UInt8,
                         body: Range<Int>) throws(RTPError) -> RTCPPacket {
        let o = body.lowerBound
        let len = body.count
        switch type {
        case RTCPPacketType.senderReport:
            let need = 24 + Int(count) * RTCPReportBlock.size
            guard len >= need else { throw .truncated(needed: need, available: len) }
            let reports = (0..<Int(count)).map { RTCPReportBlock.parse(b, at: o + 24 + $0 * RTCPReportBlock.size) }
            return .senderReport(RTCPSenderReport(
                ssrc: b.u32(o), ntp: NTPTimestamp(seconds: b.u32(o + 4), fraction: b.u32(o + 8)),
                rtpTimestamp: b.u32(o + 12), packetCount: b.u32(o + 16), octetCount: b.u32(o + 20),
                reports: reports))
        case RTCPPacketType.receiverReport:
            let need = 4 + Int(count) * RTCPReportBlock.size
            guard len >= need else { throw .truncated(needed: need, available: len) }
            let reports = (0..<Int(count)).map { RTCPReportBlock.parse(b, at: o + 4 + $0 * RTCPReportBlock.size) }
            return .receiverReport(RTCPReceiverReport(ssrc: b.u32(o), reports: reports))
        case RTCPPacketType.sourceDescription:
            return .sourceDescription(try parseSDES(b, count: count, body: body))
        case RTCPPacketType.bye:
            let need = 4 * Int(count)
            guard len >= need else { throw .truncated(needed: need, available: len) }
            let sources = (0..<Int(count)).map { b.u32(o + 4 * $0) }
            var reason: [UInt8]?
            let r = o + need
            if r < body.upperBound {
                let rl = Int(b.u8(r))
                guard r + 1 + rl <= body.upperBound else { throw .truncated(needed: 1 + rl, available: body.upperBound - r) }
                reason = Array(UnsafeRawBufferPointer(rebasing: b[(r + 1)..<(r + 1 + rl)]))
            }
            return .bye(RTCPBye(sources: sources, reason: reason))
        default:
            return .other(type: type, count: count, body: body)
        }
    }

    static func parseSDES(_ b: UnsafeRawBufferPointer, count: UInt8, body: Range<Int>) throws(RTPError) -> [SDESChunk] {
        var chunks: [SDESChunk] = []
        var o = body.lowerBound
        let end = body.upperBound
        for _ in 0..<Int(count) {
            guard end - o >= 4 else { throw .truncated(needed: o + 4, available: end) }
            let ssrc = b.u32(o)
            o += 4
            var items: [SDESItem] = []
            while true {
                guard o < end else { throw .truncated(needed: o + 1, available: end) }
                let t = b.u8(o)
                if t == 0 {
                    // §6.5: null item ends the chunk; pad to the next 32-bit boundary.
                    o = (o + 4) & ~3
                    guard o <= end else { throw .truncated(needed: o, available: end) }
                    break
                }
                guard end - o >= 2 else { throw .truncated(needed: o + 2, available: end) }
                let l = Int(b.u8(o + 1))
                guard end - o - 2 >= l else { throw .truncated(needed: o + 2 + l, available: end) }
                items.append(SDESItem(type: t, value: Array(UnsafeRawBufferPointer(rebasing: b[(o + 2)..<(o + 2 + l)]))))
                o += 2 + l
            }
            chunks.append(SDESChunk(ssrc: ssrc, items: items))
        }
        return chunks
    }
}
