/// Our outgoing RTP stream as a pure value (RFC 3550 §5.1): one SSRC, a sequence number that
/// goes up by one per packet, a timestamp that goes up by the samples each packet covers, and
/// the counters an SR reports (§6.4.1). SSRC and starting numbers are inputs (random in the
/// driver, §5.1 "SHOULD be random") so tests are exact.
public struct RTPSender: Sendable, Equatable {
    public let ssrc: UInt32
    public private(set) var sequence: UInt16
    public private(set) var timestamp: UInt32
    /// Packets and payload octets sent, for the SR sender info (§6.4.1).
    public private(set) var packets: UInt32 = 0
    public private(set) var octets: UInt32 = 0
    private var talkspurt = true

    public init(ssrc: UInt32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.ssrc = ssrc
        sequence = initialSequence
        timestamp = initialTimestamp
    }

    /// The header of the next packet, which covers `samples` samples and `payloadBytes` bytes;
    /// advances the stream. The first packet after a silence carries the marker (RFC 3551 §4.1).
    public mutating func next(payloadType: UInt8, samples: Int, payloadBytes: Int) -> RTPHeader {
        let h = RTPHeader(marker: talkspurt, payloadType: payloadType, sequence: sequence, timestamp: timestamp, ssrc: ssrc)
        talkspurt = false
        sequence &+= 1
        timestamp &+= UInt32(truncatingIfNeeded: samples)
        packets &+= 1
        octets &+= UInt32(truncatingIfNeeded: payloadBytes)
        return h
    }

    /// The header of an RFC 4733 event packet: its own payload type and the event's fixed
    /// timestamp (§2.5.1.2: every packet of one event carries the event's start time), the
    /// sequence advancing as usual; the audio timeline is advanced separately by `skip`.
    public mutating func nextEvent(payloadType: UInt8, timestamp: UInt32, marker: Bool, payloadBytes: Int) -> RTPHeader {
        let h = RTPHeader(marker: marker, payloadType: payloadType, sequence: sequence, timestamp: timestamp, ssrc: ssrc)
        sequence &+= 1
        packets &+= 1
        octets &+= UInt32(truncatingIfNeeded: payloadBytes)
        return h
    }

    /// Time passes without a packet (a lost frame we could not conceal, or silence): the
    /// timestamp keeps counting so the receiver sees the gap (§5.1), and the next packet
    /// starts a new talkspurt.
    public mutating func skip(samples: Int) {
        timestamp &+= UInt32(truncatingIfNeeded: samples)
        talkspurt = true
    }

    /// The stream's clock jumps for a new source of audio (e.g. a codec change on re-INVITE).
    public mutating func markTalkspurt() { talkspurt = true }
}
