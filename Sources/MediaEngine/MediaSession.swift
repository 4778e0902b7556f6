import Codecs
import RTP
import SIPSyntax
import SDP
import SRTP

/// One call leg's media as a value: RTP and RTCP in (with source address and arrival time),
/// packets out on each 20 ms tick through a sink. The worker that owns the leg's sockets
/// drives it; the codec and SRTP contexts it holds are used only on that worker's queue.
///
/// Receive path: SRTP unprotect → RTP parse → RFC 4733 events or voice → sequence statistics
/// (RFC 3550 A.1/A.8) → jitter buffer. Tick: jitter buffer → decode (or conceal) → one PCM
/// frame for echo, bridge, recorder and VAD; what the leg sends is encoded → SRTP protect.
public struct MediaSession: Sendable {
    public var mode: Mode
    public private(set) var parameters: Parameters
    /// Symmetric RTP (RFC 4961 practice): once a packet arrives, answer to its source, so
    /// callers behind NAT hear audio.
    public internal(set) var sendTo: TransportAddress
    public internal(set) var rtcpTo: TransportAddress
    /// Where the peer's RTCP really comes from, once it does.
    var rtcpSource: TransportAddress?
    /// The media source we answer to, learned strictly (see `SourceLatch`).
    var latch = SourceLatch()
    var jitter: JitterBuffer<StoredPayload>
    var slots: PayloadSlots
    /// The last payload G.711 echo sent, decoded only if the next one is lost (concealment).
    var lastEchoed: StoredPayload?
    var sender: RTPSender
    var tracker = SequenceTracker()
    public internal(set) var reporter: RTCPReporter
    var voice: VoiceCodec?
    var voiceFailed = false
    var srtp: SRTPSession?
    var telephoneEvents = TelephoneEventReceiver()
    var detector: DTMFDetector?
    var events: [Event] = []
    var keys: [KeyPress] = []
    var lastActivityMs: Int64
    var timedOut = false
    var srtpFailures = 0
    public internal(set) var packetsReceived = 0
    public internal(set) var lastPacketMs: Int64?
    /// Decoded audio between the jitter buffer and the tick, and the frame of this tick.
    var inbound: PCMRing
    var frame: [Int16]
    /// What this tick sends when it is not our own audio (a bridged peer or a source).
    var outFrame: [Int16]
    var decodeScratch: [Int16]
    var packet: [UInt8]
    /// True after `pull` when `frame` holds this tick's audio from the peer.
    public internal(set) var hasInboundFrame = false
    /// Set by the worker when someone (bridge, recorder, VAD) needs the decoded audio.
    public var listening = false
    var source: (any AudioSource)?
    /// The id given with the playing source, reported when it ends.
    var sourceID: UInt64 = 0
    /// RFC 4733 keys being sent (see `sendDigits`).
    var digits_ = DigitSender()
    var vad: VoiceActivityDetector?

    /// `ssrc` and the initial numbers are inputs (random in the driver) so tests are exact.
    public init(mode: Mode, parameters: Parameters, ssrc: UInt32, initialSequence: UInt16, initialTimestamp: UInt32,
                nowMs: Int64 = 0, cname: String = "sautipbx") {
        self.mode = mode
        self.parameters = parameters
        sendTo = parameters.remote
        rtcpTo = Self.defaultRTCP(parameters)
        latch = SourceLatch(expected: parameters.remote)
        sender = RTPSender(ssrc: ssrc, initialSequence: initialSequence, initialTimestamp: initialTimestamp)
        reporter = RTCPReporter(ssrc: ssrc, cname: cname, nowMs: nowMs)
        jitter = JitterBuffer(configuration: JitterBufferConfiguration(clockRate: parameters.clockRate))
        slots = PayloadSlots(slotBytes: Self.slotBytes(parameters.codec))
        lastActivityMs = nowMs
        let rate = parameters.clockRate
        inbound = PCMRing(capacity: rate / 50 * 6)
        frame = [Int16](repeating: 0, count: rate / 50)
        outFrame = frame
        decodeScratch = [Int16](repeating: 0, count: rate * 120 / 1000)  // Opus' longest frame
        packet = [UInt8](repeating: 0, count: 1500 + SRTPSession.trailerBytes)
        configure()
    }

    /// Slot size for buffered payloads: 30 ms of G.711, or an Opus packet up to 64 kbit/s.
    static func slotBytes(_ codec: Codec) -> Int {
        switch codec {
        case .g711: 240
        case .opus: 320
        }
    }

    static func defaultRTCP(_ p: Parameters) -> TransportAddress {
        p.remoteRTCP ?? TransportAddress(host: p.remote.host, port: p.remote.port + 1)
    }

    /// The leg's codec, built the first time audio must be decoded or encoded.
    mutating func ensureVoice() -> VoiceCodec? {
        if let voice { return voice }
        guard !voiceFailed else { return nil }
        voice = try? VoiceCodec(parameters.codec)
        voiceFailed = voice == nil
        return voice
    }

    /// Builds codec, SRTP and detector state for the current parameters.
    mutating func configure() {
        // Built on first use: an echo leg passes payloads through and never needs one, and an
        // Opus encoder and decoder hold ~60 KB.
        voice = nil
        voiceFailed = false
        srtp = parameters.srtp.flatMap { SRTPSession.make(keys: $0) }
        detector = parameters.telephoneEventPayloadType == nil && parameters.g711 != nil ? DTMFDetector() : nil
    }

    /// The leg starts now on the worker's clock: the media-timeout clock and the RTCP schedule
    /// (first report after half an interval, RFC 3550 §6.2) count from here, not from the
    /// moment the value was built on the signalling queue.
    public mutating func begin(nowMs: Int64) {
        lastActivityMs = nowMs
        reporter = RTCPReporter(ssrc: reporter.ssrc, cname: reporter.cname, nowMs: nowMs, intervalMs: reporter.intervalMs)
    }

    /// A re-INVITE or UPDATE changed the SDP: keep our SSRC and numbering (one stream, RFC 3550
    /// §8), rebuild what the new parameters change (codec, SRTP keys — RFC 4568 §7.1.4).
    public mutating func update(mode: Mode, parameters new: Parameters, nowMs: Int64) {
        let old = parameters
        self.mode = mode
        parameters = new
        if new.remote != old.remote {
            sendTo = new.remote
            rtcpTo = Self.defaultRTCP(new)
            latch.reset(expected: new.remote)
        }
        if new.codec != old.codec || new.payloadType != old.payloadType {
            jitter = JitterBuffer(configuration: JitterBufferConfiguration(clockRate: new.clockRate))
            slots = PayloadSlots(slotBytes: Self.slotBytes(new.codec))
            inbound = PCMRing(capacity: new.clockRate / 50 * 6)
            frame = [Int16](repeating: 0, count: new.clockRate / 50)
            outFrame = frame
            decodeScratch = [Int16](repeating: 0, count: new.clockRate * 120 / 1000)
            sender.markTalkspurt()
        }
        if new.codec != old.codec || new.srtp != old.srtp || new.telephoneEventPayloadType != old.telephoneEventPayloadType {
            configure()
        }
        // Leaving hold restarts the media-timeout clock.
        if old.held && !new.held { lastActivityMs = nowMs }
    }

    /// Whether `takeEvents` has anything (cheap check for the tick).
    public var hasEvents: Bool { !events.isEmpty || !keys.isEmpty }

    /// What happened since the last call: keys (grouped), timeouts, playback ends, speech.
    public mutating func takeEvents() -> [Event] {
        if !keys.isEmpty { events.insert(.keys(keys), at: 0); keys = [] }
        defer { events = [] }
        return events
    }

    /// Call quality so far (RTCP figures and our own counters).
    public var quality: MediaQuality {
        var r = reporter
        r.update(from: tracker, clockRate: parameters.clockRate)
        r.updateSent(packets: sender.packets, octets: sender.octets)
        var q = r.quality
        q.latePackets = jitter.statistics.late
        q.playoutStretches = jitter.statistics.stretched
        q.playoutSkips = jitter.statistics.skipped
        return q
    }

    /// Jitter-buffer counters (loss, late, reordered, duplicates).
    public var jitterStatistics: JitterStatistics { jitter.statistics }
    public var packetsSent: Int { Int(sender.packets) }
}
