import RTP
import SIPSyntax

/// One call leg's media as a pure value: RTP in (with its source address and arrival time),
/// packets out on each 20 ms tick. The worker that owns the leg's socket drives it.
public struct MediaSession: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Send the caller's audio back (the echo test number).
        case echo
        /// Receive and discard; send nothing (answered and held, or on hold).
        case silent
    }

    /// What was negotiated for this leg (from SDP).
    public struct Parameters: Sendable, Equatable {
        public var payloadType: UInt8
        public var clockRate: Int
        public var telephoneEventPayloadType: UInt8?
        /// Where the SDP says to send; replaced by the real source once packets arrive.
        public var remote: TransportAddress
        public init(payloadType: UInt8, clockRate: Int, telephoneEventPayloadType: UInt8?, remote: TransportAddress) {
            self.payloadType = payloadType
            self.clockRate = clockRate
            self.telephoneEventPayloadType = telephoneEventPayloadType
            self.remote = remote
        }
    }

    public var mode: Mode
    public var parameters: Parameters
    /// Symmetric RTP (RFC 4961 practice): once a packet arrives, answer to its source, so
    /// callers behind NAT hear audio.
    public private(set) var sendTo: TransportAddress
    private var jitter: JitterBuffer<[UInt8]>
    private let ssrc: UInt32
    private var sequence: UInt16
    private var timestamp: UInt32
    private var firstSent = false
    public private(set) var packetsReceived = 0
    public private(set) var packetsSent = 0
    public private(set) var lastPacketMs: Int64?

    /// `ssrc` and `initialSequence` are inputs (random in the driver) so tests are exact.
    public init(mode: Mode, parameters: Parameters, ssrc: UInt32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.mode = mode
        self.parameters = parameters
        self.sendTo = parameters.remote
        self.ssrc = ssrc
        self.sequence = initialSequence
        self.timestamp = initialTimestamp
        jitter = JitterBuffer(configuration: JitterBufferConfiguration(clockRate: parameters.clockRate))
    }

    /// A datagram arrived on the leg's RTP port. Garbage is counted as nothing and dropped.
    public mutating func receive(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, nowMs: Int64) {
        guard let view = try? RTPPacketView.parse(datagram) else { return }
        let h = view.header
        // Only our negotiated audio payload type is audio; telephone-events go elsewhere (later).
        guard h.payloadType == parameters.payloadType else { return }
        packetsReceived += 1
        lastPacketMs = nowMs
        sendTo = source
        guard mode == .echo else { return }
        let payload = Array(UnsafeRawBufferPointer(rebasing: datagram[view.payloadRange]))
        jitter.put(payload, sequence: h.sequence, timestamp: h.timestamp, ssrc: h.ssrc, marker: h.marker, arrivalMs: nowMs)
    }

    /// The 20 ms tick: what to send now.
    public mutating func tick(nowMs: Int64) -> [[UInt8]] {
        guard mode == .echo else { return [] }
        var out: [[UInt8]] = []
        while true {
            switch jitter.get(nowMs: nowMs) {
            case .packet(let payload, _, _, let duration):
                // Our own stream: own SSRC, sequence and timestamp (RFC 3550 §5.1); the payload
                // is untouched, so a G.711 echo is bit-exact.
                let header = RTPHeader(marker: !firstSent, payloadType: parameters.payloadType,
                                       sequence: sequence, timestamp: timestamp, ssrc: ssrc)
                var bytes: [UInt8] = []
                bytes.reserveCapacity(RTPHeader.fixedSize + payload.count)
                try? header.append(to: &bytes)
                bytes.append(contentsOf: payload)
                out.append(bytes)
                firstSent = true
                sequence &+= 1
                timestamp &+= UInt32(truncatingIfNeeded: duration)
                packetsSent += 1
            case .missing:
                // Nothing to echo for a lost packet: keep the timeline (RFC 3550 §5.1).
                timestamp &+= UInt32(parameters.clockRate / 50)
            case .empty:
                return out
            }
        }
    }
}
