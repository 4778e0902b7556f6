/// RTCP packet types (RFC 3550 §12.1).
public enum RTCPPacketType {
    /// Sender report.
    public static let senderReport: UInt8 = 200
    /// Receiver report.
    public static let receiverReport: UInt8 = 201
    /// Source description.
    public static let sourceDescription: UInt8 = 202
    /// Goodbye.
    public static let bye: UInt8 = 203
    /// Application-defined.
    public static let app: UInt8 = 204
}

/// 64-bit NTP timestamp (RFC 3550 §4): seconds since 1900 and a binary fraction.
public struct NTPTimestamp: Equatable, Sendable {
    /// Whole seconds.
    public var seconds: UInt32
    /// Fraction of a second in units of 2^-32 s.
    public var fraction: UInt32
    /// Creates a timestamp.
    public init(seconds: UInt32, fraction: UInt32) { self.seconds = seconds; self.fraction = fraction }
    /// Middle 32 bits, as used in LSR and RTT math (RFC 3550 §6.4.1), units of 1/65536 s.
    public var middle32: UInt32 { (seconds << 16) | (fraction >> 16) }
}

/// One reception report block (RFC 3550 §6.4.1).
public struct RTCPReportBlock: Equatable, Sendable {
    /// Wire size in bytes.
    public static let size = 24
    /// Source this block reports on.
    public var ssrc: UInt32
    /// Fraction lost since the previous report, 8-bit fixed point.
    public var fractionLost: UInt8
    /// Cumulative packets lost, 24-bit signed on the wire.
    public var cumulativeLost: Int32
    /// Extended highest sequence number received.
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the last SR NTP time from that source (0 if none).
    public var lastSR: UInt32
    /// Delay since that SR was received, in 1/65536 s.
    public var delaySinceLastSR: UInt32

    /// Creates a report block.
    public init(ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequence: UInt32,
                jitter: UInt32, lastSR: UInt32, delaySinceLastSR: UInt32) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSR = lastSR
        self.delaySinceLastSR = delaySinceLastSR
    }

    /// Round-trip time in 1/65536 s (RFC 3550 §6.4.1: A - LSR - DLSR); nil without an SR or if negative.
    public func roundTripUnits(arrival: NTPTimestamp) -> UInt32? {
        guard lastSR != 0 else { return nil }
        let rtt = arrival.middle32 &- lastSR &- delaySinceLastSR
        // Modular result above 2^31 means the clocks disagree (negative RTT): report nothing.
        guard rtt < 0x8000_0000 else { return nil }
        return rtt
    }

    /// Round-trip time in seconds; see `roundTripUnits(arrival:)`.
    public func roundTripSeconds(arrival: NTPTimestamp) -> Double? {
        roundTripUnits(arrival: arrival).map { Double($0) / 65536 }
    }

    func append(to out: inout [UInt8]) {
        out.append32(ssrc)
        // 24-bit two's complement, clamped (RFC 3550 A.3).
        let clamped = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        out.append32(UInt32(fractionLost) << 24 | (UInt32(bitPattern: clamped) & 0x00FF_FFFF))
        out.append32(extendedHighestSequence)
        out.append32(jitter)
        out.append32(lastSR)
        out.append32(delaySinceLastSR)
    }

    static func parse(_ b: UnsafeRawBufferPointer, at o: Int) -> RTCPReportBlock {
        let w = b.u32(o + 4)
        // Sign-extend the 24-bit cumulative lost.
        let lost = Int32(bitPattern: (w & 0x00FF_FFFF) << 8) >> 8
        return RTCPReportBlock(ssrc: b.u32(o), fractionLost: UInt8(w >> 24), cumulativeLost: lost,
                               extendedHighestSequence: b.u32(o + 8), jitter: b.u32(o + 12),
                               lastSR: b.u32(o + 16), delaySinceLastSR: b.u32(o + 20))
    }
}

/// Sender report (RFC 3550 §6.4.1).
public struct RTCPSenderReport: Equatable, Sendable {
    /// Sender SSRC.
    public var ssrc: UInt32
    /// Wallclock time of the report.
    public var ntp: NTPTimestamp
    /// RTP timestamp matching `ntp`.
    public var rtpTimestamp: UInt32
    /// Packets sent.
    public var packetCount: UInt32
    /// Payload octets sent.
    public var octetCount: UInt32
    /// Reception report blocks (at most 31).
    public var reports: [RTCPReportBlock]
    /// Creates a sender report.
    public init(ssrc: UInt32, ntp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
                reports: [RTCPReportBlock] = []) {
        self.ssrc = ssrc; self.ntp = ntp; self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount; self.octetCount = octetCount; self.reports = reports
    }
}

/// Receiver report (RFC 3550 §6.4.2).
public struct RTCPReceiverReport: Equatable, Sendable {
    /// Reporter SSRC.
    public var ssrc: UInt32
    /// Reception report blocks (at most 31).
    public var reports: [RTCPReportBlock]
    /// Creates a receiver report.
    public init(ssrc: UInt32, reports: [RTCPReportBlock] = []) { self.ssrc = ssrc; self.reports = reports }
}

/// One SDES item (RFC 3550 §6.5); type 1 is CNAME.
public struct SDESItem: Equatable, Sendable {
    /// CNAME item type.
    public static let cname: UInt8 = 1
    /// Item type.
    public var type: UInt8
    /// Raw item text (UTF-8, at most 255 bytes).
    public var value: [UInt8]
    /// Creates an item.
    public init(type: UInt8, value: [UInt8]) { self.type = type; self.value = value }
    /// Value decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: value, as: UTF8.self) }
}

/// One SDES chunk: a source and its items.
public struct SDESChunk: Equatable, Sendable {
    /// Source described.
    public var ssrc: UInt32
    /// Items in wire order.
    public var items: [SDESItem]
    /// Creates a chunk.
    public init(ssrc: UInt32, items: [SDESItem]) { self.ssrc = ssrc; self.items = items }
    /// CNAME text, if present.
    public var cname: String? { items.first { $0.type == SDESItem.cname }?.text }
}

/// Goodbye packet (RFC 3550 §6.6).
public struct RTCPBye: Equatable, Sendable {
    /// Sources leaving.
    public var sources: [UInt32]
    /// Optional reason text bytes.
    public var reason: [UInt8]?
    /// Creates a BYE.
    public init(sources: [UInt32], reason: [UInt8]? = nil) { self.sources = sources; self.reason = reason }
}

/// One packet of a compound RTCP packet.
public enum RTCPPacket: Equatable, Sendable {
    /// SR.
    case senderReport(RTCPSenderReport)
    /// RR.
    case receiverReport(RTCPReceiverReport)
    /// SDES.
    case sourceDescription([SDESChunk])
    /// BYE.
    case bye(RTCPBye)
    /// Any other type (APP, RTPFB, ...): type, count field and body range in the compound buffer.
    case other(type: UInt8, count: UInt8, body: Range<Int>)
}
