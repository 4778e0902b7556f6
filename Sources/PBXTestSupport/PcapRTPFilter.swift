// Picking RTP out of a capture's UDP datagrams without depending on the RTP module: the
// fixed-header peek below is all a filter needs, and tests then parse with `RTPPacketView`.

extension PcapUDPPacket {
    /// The RTP payload type when the datagram looks like RTP: at least the 12-byte fixed header,
    /// version 2 (RFC 3550 §5.1), and not RTCP — RFC 5761 §4: a second byte of 192...223 is an
    /// RTCP packet type (SR 200, RR 201, ...), never marker + payload type. Nil otherwise.
    public var rtpPayloadType: UInt8? {
        guard payload.count >= 12, payload[0] >> 6 == 2 else { return nil }
        let second = payload[1]
        guard !(192...223).contains(second) else { return nil }
        return second & 0x7F
    }

    /// The RTP SSRC (bytes 8-11) when `rtpPayloadType` is non-nil.
    public var rtpSSRC: UInt32? {
        guard rtpPayloadType != nil else { return nil }
        return UInt32(payload[8]) << 24 | UInt32(payload[9]) << 16 | UInt32(payload[10]) << 8 | UInt32(payload[11])
    }

    /// Microseconds since `origin` (typically the first packet's `timeUs`), in milliseconds.
    public func milliseconds(since origin: Int64) -> Int64 { (timeUs - origin) / 1000 }
}

extension Sequence where Element == PcapUDPPacket {
    /// RTP datagrams sent to UDP `port`, in capture order (RTCP and non-RTP dropped).
    public func rtpPackets(port: Int) -> [PcapUDPPacket] {
        filter { $0.destination.port == port && $0.rtpPayloadType != nil }
    }

    /// RTP datagrams with payload type `payloadType`, in capture order.
    public func rtpPackets(payloadType: UInt8) -> [PcapUDPPacket] {
        filter { $0.rtpPayloadType == payloadType }
    }

    /// RTP datagrams whose payload type is one of `payloadTypes` (e.g. audio plus telephone-event).
    public func rtpPackets(payloadTypes: Set<UInt8>) -> [PcapUDPPacket] {
        filter { $0.rtpPayloadType.map(payloadTypes.contains) ?? false }
    }

    /// All RTP datagrams (version 2, not RTCP), in capture order.
    public func rtpPackets() -> [PcapUDPPacket] {
        filter { $0.rtpPayloadType != nil }
    }
}
