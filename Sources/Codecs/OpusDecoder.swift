// Opus decoder (RFC 6716) over libopus, with the two loss tools RFC 7587 relies on:
// in-band FEC recovery from the following packet, and packet loss concealment (PLC).
//
// Design choices:
// - `decode` throws on a bad packet (hostile input must never crash the worker); the loss
//   tools never throw: when they cannot do better they fall back to PLC, and from PLC to
//   silence, and always return the requested number of samples, so a media tick always
//   has audio to play.
// - The decoder may run at any Opus rate (8000...48000): decoding an Opus stream straight
//   to 8 kHz for a G.711 leg needs no separate resampler.
// - Writes straight into the caller's buffer: no allocation per frame.

import COpus

/// An Opus decoder for one RTP stream; use from one thread (media worker) at a time.
public final class OpusDecoder: @unchecked Sendable {
    /// Output sample rate in Hz (8000, 12000, 16000, 24000 or 48000).
    public let sampleRate: Int
    /// Interleaved output channels (1 or 2).
    public let channels: Int

    private let state: OpaquePointer

    /// Creates a decoder; throws `.opus(code:)` for unsupported rates or channel counts.
    public init(sampleRate: Int = 48000, channels: Int = 1) throws(CodecError) {
        var status: Int32 = OPUS_OK
        let created = opus_decoder_create(
            Int32(clamping: sampleRate), Int32(clamping: channels), &status)
        guard let decoder = created, status == OPUS_OK else {
            throw .opus(code: status == OPUS_OK ? OPUS_ALLOC_FAIL : status)
        }
        self.state = decoder
        self.sampleRate = sampleRate
        self.channels = channels
    }

    deinit {
        opus_decoder_destroy(state)
    }

    /// Samples per channel in 2.5 ms, the granularity libopus needs for FEC and PLC sizes.
    private var step: Int { sampleRate / 400 }

    // MARK: Decoding

    /// Decodes one RTP payload; returns samples per channel written to `pcm` (interleaved).
    ///
    /// `pcm` should hold 120 ms (the longest Opus packet) to accept any valid packet.
    /// Throws `.opus(code: OPUS_INVALID_PACKET)` for empty or corrupt packets and
    /// `.bufferTooSmall` when the packet holds more audio than `pcm` can take.
    public func decode(
        _ packet: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Int16>
    ) throws(CodecError) -> Int {
        // An empty payload would make libopus run PLC silently; for decode it is an error.
        guard let data = packet.baseAddress, !packet.isEmpty else {
            throw .opus(code: OPUS_INVALID_PACKET)
        }
        let capacity = pcm.count / max(channels, 1)
        guard let output = pcm.baseAddress, capacity > 0 else { throw .bufferTooSmall }
        let decoded = opus_decode(
            state, data.assumingMemoryBound(to: UInt8.self), Int32(clamping: packet.count),
            output, Int32(clamping: capacity), 0)
        guard decoded >= 0 else { throw CodecError.fromOpus(decoded) }
        return Int(decoded)
    }

    /// Rebuilds a lost frame of `samples` per channel from the next packet's FEC (LBRR) data.
    ///
    /// RFC 7587 §3.3 / RFC 6716 §4.2.5: packet N+1 may carry a low-bitrate copy of frame N.
    /// Call this *before* decoding `next` normally. `samples` is the lost frame's duration
    /// (normally the duration of `next`, see `samples(in:)`), capped at `pcm`'s capacity.
    /// When `next` has no FEC data libopus conceals instead; on any error this falls back to
    /// `conceal`. Returns samples per channel written (always `min(samples, capacity)`).
    public func recoverFromFEC(
        next packet: UnsafeRawBufferPointer, samples: Int,
        into pcm: UnsafeMutableBufferPointer<Int16>
    ) -> Int {
        let wanted = min(max(samples, 0), pcm.count / max(channels, 1))
        let frame = wanted - wanted % max(step, 1)
        guard frame > 0, let data = packet.baseAddress, !packet.isEmpty,
            let output = pcm.baseAddress
        else { return conceal(samples: wanted, into: pcm) }
        let decoded = opus_decode(
            state, data.assumingMemoryBound(to: UInt8.self), Int32(clamping: packet.count),
            output, Int32(frame), 1)
        guard decoded > 0 else { return conceal(samples: wanted, into: pcm) }
        zeroFill(pcm, from: Int(decoded), to: wanted)
        return wanted
    }

    /// Packet loss concealment: synthesizes `samples` per channel continuing the last audio.
    ///
    /// libopus extrapolates from its state (opus_decode with no data) and fades out over
    /// consecutive losses. A tail shorter than 2.5 ms, which libopus cannot produce, is
    /// silence. Returns samples per channel written (always `min(samples, capacity)`).
    public func conceal(samples: Int, into pcm: UnsafeMutableBufferPointer<Int16>) -> Int {
        let wanted = min(max(samples, 0), pcm.count / max(channels, 1))
        let frame = wanted - wanted % max(step, 1)
        var produced = 0
        if frame > 0, let output = pcm.baseAddress {
            let decoded = opus_decode(state, nil, 0, output, Int32(frame), 0)
            produced = decoded > 0 ? Int(decoded) : 0
        }
        zeroFill(pcm, from: produced, to: wanted)
        return wanted
    }

    private func zeroFill(
        _ pcm: UnsafeMutableBufferPointer<Int16>, from start: Int, to end: Int
    ) {
        let lower = min(start * channels, pcm.count)
        let upper = min(end * channels, pcm.count)
        guard lower < upper else { return }
        for i in lower..<upper { pcm[i] = 0 }
    }

    // MARK: Inspection

    /// Samples per channel (at `sampleRate`) that `packet` decodes to, without decoding it.
    public func samples(in packet: UnsafeRawBufferPointer) throws(CodecError) -> Int {
        guard let data = packet.baseAddress, !packet.isEmpty else {
            throw .opus(code: OPUS_INVALID_PACKET)
        }
        let count = opus_decoder_get_nb_samples(
            state, data.assumingMemoryBound(to: UInt8.self), Int32(clamping: packet.count))
        guard count > 0 else { throw CodecError.fromOpus(count < 0 ? count : OPUS_INVALID_PACKET) }
        return Int(count)
    }

    /// Duration (samples per channel) of the last packet decoded or concealed.
    public var lastPacketDuration: Int {
        var value: opus_int32 = 0
        return sauti_opus_dec_get_last_packet_duration(state, &value) == OPUS_OK ? Int(value) : 0
    }

    /// Clears the decoder's history, e.g. after an SSRC change (a new stream).
    public func reset() {
        _ = sauti_opus_dec_reset_state(state)
    }
}
