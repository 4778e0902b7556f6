import Codecs
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
        public var telephoneEventClockRate: Int
        /// Set for PCMU/PCMA: in-band DTMF is detected on the decoded audio when no
        /// telephone-event was negotiated.
        public var g711: G711Law?
        /// Where the SDP says to send; replaced by the real source once packets arrive.
        public var remote: TransportAddress
        public init(payloadType: UInt8, clockRate: Int, telephoneEventPayloadType: UInt8?, telephoneEventClockRate: Int = 8000,
                    g711: G711Law? = nil, remote: TransportAddress) {
            self.payloadType = payloadType
            self.clockRate = clockRate
            self.telephoneEventPayloadType = telephoneEventPayloadType
            self.telephoneEventClockRate = telephoneEventClockRate
            self.g711 = g711
            self.remote = remote
        }
    }

    /// A key the caller pressed, once per press, with where it was found.
    public struct KeyPress: Sendable, Equatable {
        public enum Source: String, Sendable { case rfc4733, inband, sipInfo = "sip_info" }
        public var key: Character
        public var durationMs: Int
        public var source: Source
        public init(key: Character, durationMs: Int, source: Source) {
            self.key = key
            self.durationMs = durationMs
            self.source = source
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
    private var events = TelephoneEventReceiver()
    private var detector: DTMFDetector?
    private var keys: [KeyPress] = []

    /// `ssrc` and `initialSequence` are inputs (random in the driver) so tests are exact.
    public init(mode: Mode, parameters: Parameters, ssrc: UInt32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.mode = mode
        self.parameters = parameters
        self.sendTo = parameters.remote
        self.ssrc = ssrc
        self.sequence = initialSequence
        self.timestamp = initialTimestamp
        jitter = JitterBuffer(configuration: JitterBufferConfiguration(clockRate: parameters.clockRate))
        if parameters.telephoneEventPayloadType == nil, parameters.g711 != nil { detector = DTMFDetector() }
    }

    /// Keys found since the last call (RFC 4733 events or in-band tones).
    public mutating func takeKeys() -> [KeyPress] {
        defer { keys = [] }
        return keys
    }

    /// A datagram arrived on the leg's RTP port. Garbage is counted as nothing and dropped.
    public mutating func receive(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, nowMs: Int64) {
        guard let view = try? RTPPacketView.parse(datagram) else { return }
        let h = view.header
        let payload = UnsafeRawBufferPointer(rebasing: datagram[view.payloadRange])
        if let te = parameters.telephoneEventPayloadType, h.payloadType == te {
            // RFC 4733 at whatever payload type and clock rate SDP negotiated.
            lastPacketMs = nowMs
            sendTo = source
            for r in events.receive(header: h, payload: payload, clockRate: parameters.telephoneEventClockRate) {
                if let k = r.key { keys.append(KeyPress(key: k, durationMs: r.durationMs, source: .rfc4733)) }
            }
            return
        }
        guard h.payloadType == parameters.payloadType else { return }
        if detector != nil, let law = parameters.g711 { detectInBand(payload, law: law) }
        packetsReceived += 1
        lastPacketMs = nowMs
        sendTo = source
        guard mode == .echo else { return }
        jitter.put(Array(payload), sequence: h.sequence, timestamp: h.timestamp, ssrc: h.ssrc, marker: h.marker, arrivalMs: nowMs)
    }

    /// Decodes G.711 into a stack buffer and runs the tone detector (ITU-T Q.24 style).
    private mutating func detectInBand(_ payload: UnsafeRawBufferPointer, law: G711Law) {
        guard payload.count <= 1920 else { return }
        let found: [DetectedKey] = withUnsafeTemporaryAllocation(of: Int16.self, capacity: payload.count) { pcm in
            let n = G711.decode(payload.bindMemory(to: UInt8.self), into: pcm, law: law)
            return detector?.process(UnsafeBufferPointer(rebasing: pcm[0..<n])) ?? []
        }
        for k in found { keys.append(KeyPress(key: k.key, durationMs: k.durationMs, source: .inband)) }
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
