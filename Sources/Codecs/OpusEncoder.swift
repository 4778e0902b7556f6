// Opus encoder (RFC 6716) over libopus, configured for RTP per RFC 7587.
//
// Design choices:
// - One owner class per call leg: `OpusEncoder*` is not Sendable, so the class is
//   `@unchecked Sendable` and must be used by one media worker at a time (never concurrently).
// - `encode` writes straight into the caller's packet buffer: no allocation per frame.
// - The values we configured are remembered so `apply(peer:)` can be called again on every
//   re-INVITE and always derives the result from our configuration, not from the last peer.
// - Getters query libopus itself (the ctl GET requests), so tests and diagnostics see what the
//   encoder really does, not what we asked for.

import COpus

/// Opus coding mode chosen at creation (`OPUS_APPLICATION_*`).
public enum OpusApplication: Sendable {
    /// Best for speech; enables speech-oriented processing (the telephony default).
    case voip
    /// Best for music and mixed content at a given bitrate.
    case audio
    /// Lowest delay: CELT only, no speech mode (and so no in-band FEC).
    case restrictedLowDelay

    var rawValue: Int32 {
        switch self {
        case .voip: OPUS_APPLICATION_VOIP
        case .audio: OPUS_APPLICATION_AUDIO
        case .restrictedLowDelay: OPUS_APPLICATION_RESTRICTED_LOWDELAY
        }
    }
}

/// Hint about the content being encoded (`OPUS_SET_SIGNAL`).
public enum OpusSignal: Sendable {
    /// Let libopus classify the signal.
    case auto
    /// Speech: biases towards the SILK (speech) layer, which carries in-band FEC.
    case voice
    /// Music: biases towards the CELT (transform) layer.
    case music

    var rawValue: Int32 {
        switch self {
        case .auto: OPUS_AUTO
        case .voice: OPUS_SIGNAL_VOICE
        case .music: OPUS_SIGNAL_MUSIC
        }
    }
}

/// An Opus encoder for one RTP stream; use from one thread (media worker) at a time.
public final class OpusEncoder: @unchecked Sendable {
    /// Input sample rate in Hz (8000, 12000, 16000, 24000 or 48000).
    public let sampleRate: Int
    /// Interleaved input channels (1 or 2).
    public let channels: Int

    private let state: OpaquePointer
    private let configuredBitrate: Int
    private let configuredFEC: Bool

    /// Creates an encoder; throws `.opus(code:)` for unsupported rates, channels or settings.
    ///
    /// - Parameters:
    ///   - bitrate: target bit/s (libopus accepts 500...512000).
    ///   - inbandFEC: add LBRR data so the receiver can rebuild a lost frame from the next one.
    ///   - expectedLossPercent: 0...100; tells the encoder how much redundancy is worth it.
    ///   - dtx: discontinuous transmission until `apply(peer:)` decides per RFC 7587.
    ///   - complexity: 0...10, CPU versus quality (libopus' default is 10).
    public init(
        sampleRate: Int = 48000, channels: Int = 1, application: OpusApplication = .voip,
        bitrate: Int = 32000, inbandFEC: Bool = true, expectedLossPercent: Int = 5,
        dtx: Bool = false, complexity: Int = 10, signal: OpusSignal = .auto
    ) throws(CodecError) {
        var status: Int32 = OPUS_OK
        // Int32(clamping:) never traps; libopus rejects out-of-range values with OPUS_BAD_ARG.
        let created = opus_encoder_create(
            Int32(clamping: sampleRate), Int32(clamping: channels), application.rawValue, &status)
        guard let encoder = created, status == OPUS_OK else {
            throw .opus(code: status == OPUS_OK ? OPUS_ALLOC_FAIL : status)
        }
        // Configure before taking ownership so a failure frees the encoder exactly once.
        let statuses = [
            sauti_opus_enc_set_bitrate(encoder, Int32(clamping: bitrate)),
            sauti_opus_enc_set_inband_fec(encoder, inbandFEC ? 1 : 0),
            sauti_opus_enc_set_packet_loss_perc(encoder, Int32(clamping: expectedLossPercent)),
            sauti_opus_enc_set_dtx(encoder, dtx ? 1 : 0),
            sauti_opus_enc_set_complexity(encoder, Int32(clamping: complexity)),
            sauti_opus_enc_set_signal(encoder, signal.rawValue),
        ]
        if let failure = statuses.first(where: { $0 != OPUS_OK }) {
            opus_encoder_destroy(encoder)
            throw .opus(code: failure)
        }
        self.state = encoder
        self.sampleRate = sampleRate
        self.channels = channels
        self.configuredBitrate = bitrate
        self.configuredFEC = inbandFEC
    }

    deinit {
        opus_encoder_destroy(state)
    }

    // MARK: Negotiation

    /// Adapts the encoder to the fmtp parameters the peer (the receiver) sent us.
    ///
    /// RFC 7587 §6.1 parameters describe what the *receiver* wants, so they steer our encoder:
    /// - maxaveragebitrate caps our configured bitrate (never raises it);
    /// - useinbandfec=0 (also the default when absent) turns FEC off; =1 keeps our setting;
    /// - maxplaybackrate limits the coded audio bandwidth (§3.1.1 Table 1);
    /// - usedtx decides DTX, cbr=1 switches to constant bitrate.
    /// stereo is not applied: the channel count is fixed at creation.
    /// All values passed to libopus are valid by construction, so this cannot fail.
    public func apply(peer: OpusParameters) {
        let cap = peer.maxAverageBitrate ?? Int.max
        _ = sauti_opus_enc_set_bitrate(state, Int32(clamping: min(configuredBitrate, cap)))
        _ = sauti_opus_enc_set_inband_fec(state, configuredFEC && peer.useInbandFEC ? 1 : 0)
        _ = sauti_opus_enc_set_max_bandwidth(
            state, OpusBandwidth(maxPlaybackRate: peer.maxPlaybackRate).rawValue)
        // RFC 7587 §3.1.3 recommends continuous transmission; DTX only when the receiver asks.
        _ = sauti_opus_enc_set_dtx(state, peer.useDTX ? 1 : 0)
        _ = sauti_opus_enc_set_vbr(state, peer.cbr ? 0 : 1)
    }

    /// Updates the expected packet loss (0...100 %), e.g. from RTCP receiver reports.
    public func updateExpectedLoss(percent: Int) {
        _ = sauti_opus_enc_set_packet_loss_perc(state, Int32(min(max(percent, 0), 100)))
    }

    /// Clears the encoder's history, as if newly created (settings are kept).
    public func reset() {
        _ = sauti_opus_enc_reset_state(state)
    }

    // MARK: Encoding

    /// Encodes one frame of interleaved PCM into `out`; returns the packet length in bytes.
    ///
    /// `pcm.count / channels` must be 2.5, 5, 10, 20, 40, 60, 80, 100 or 120 ms of samples.
    /// A result of 1–2 bytes while DTX is on means "silence": the packet need not be sent.
    /// `out` should hold at least 1275 bytes per 20 ms (RFC 6716 §3.4 maximum frame).
    public func encode(
        _ pcm: UnsafeBufferPointer<Int16>, into out: UnsafeMutableRawBufferPointer
    ) throws(CodecError) -> Int {
        let frameSize = pcm.count / max(channels, 1)
        guard pcm.count % max(channels, 1) == 0, isValidFrameSize(frameSize),
            let input = pcm.baseAddress
        else { throw .invalidFrameSize(frameSize) }
        guard let output = out.baseAddress, !out.isEmpty else { throw .bufferTooSmall }
        let written = opus_encode(
            state, input, Int32(frameSize),
            output.bindMemory(to: UInt8.self, capacity: out.count), Int32(clamping: out.count))
        guard written > 0 else { throw CodecError.fromOpus(written) }
        return Int(written)
    }

    /// RFC 6716 §2.1.4 frame sizes (2.5...60 ms) plus the 80/100/120 ms multi-frame packets.
    private func isValidFrameSize(_ samples: Int) -> Bool {
        let step = sampleRate / 400  // 2.5 ms
        guard step > 0, samples > 0, samples % step == 0 else { return false }
        switch samples / step {
        case 1, 2, 4, 8, 16, 24, 32, 40, 48: return true
        default: return false
        }
    }

    // MARK: Current settings (queried from libopus)

    /// Target bitrate in bit/s as libopus reports it.
    public var bitrate: Int { Int(query(sauti_opus_enc_get_bitrate)) }
    /// Whether in-band FEC (LBRR) is on.
    public var inbandFEC: Bool { query(sauti_opus_enc_get_inband_fec) != 0 }
    /// Expected packet loss in percent.
    public var expectedLossPercent: Int { Int(query(sauti_opus_enc_get_packet_loss_perc)) }
    /// Whether discontinuous transmission is on.
    public var dtx: Bool { query(sauti_opus_enc_get_dtx) != 0 }
    /// Whether variable bitrate is on (false = CBR).
    public var vbr: Bool { query(sauti_opus_enc_get_vbr) != 0 }
    /// Computational complexity 0...10.
    public var complexity: Int { Int(query(sauti_opus_enc_get_complexity)) }
    /// The widest audio bandwidth the encoder may use.
    public var maxBandwidth: OpusBandwidth? {
        OpusBandwidth(rawValue: query(sauti_opus_enc_get_max_bandwidth))
    }
    /// Encoder delay in samples at `sampleRate` (what the decoder output lags the input by).
    public var lookahead: Int { Int(query(sauti_opus_enc_get_lookahead)) }

    private func query(
        _ getter: (OpaquePointer?, UnsafeMutablePointer<opus_int32>?) -> Int32
    ) -> Int32 {
        var value: opus_int32 = 0
        return getter(state, &value) == OPUS_OK ? value : 0
    }
}
