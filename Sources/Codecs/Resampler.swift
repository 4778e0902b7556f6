// Sample-rate conversion over speexdsp's polyphase resampler.
//
// Design choices:
// - Stateful and streaming: the filter history is kept across calls, so a stream fed in 20 ms
//   frames (160 <-> 960 samples for 8 kHz <-> 48 kHz) is resampled exactly like one long
//   buffer, with no clicks at frame edges and exact long-run sample counts.
// - `process` writes into the caller's buffer (no allocation per frame). Size it with
//   `maxOutput(for:)`: speexdsp stops early when the output fills, and input it did not
//   consume would be lost, so the bound leaves room for the fractional phase.
// - Quality 5 is speexdsp's VoIP default (good stop-band for telephony at low CPU);
//   0 = fastest, 10 = best.

import CSpeexDSP

/// A streaming resampler for interleaved 16-bit PCM; use from one thread at a time.
public final class Resampler: @unchecked Sendable {
    /// Input sample rate in Hz.
    public let inputRate: Int
    /// Output sample rate in Hz.
    public let outputRate: Int
    /// Interleaved channels.
    public let channels: Int

    private let state: OpaquePointer

    /// Creates a resampler; throws `.resampler(code:)` for non-positive rates, channels
    /// outside 1...32, quality outside 0...10, or allocation failure.
    public init(from inputRate: Int, to outputRate: Int, channels: Int = 1, quality: Int = 5)
        throws(CodecError)
    {
        let invalid = Int32(RESAMPLER_ERR_INVALID_ARG)
        // Checked here so the UInt32 conversions below can never trap.
        guard (1...Int(Int32.max)).contains(inputRate), (1...Int(Int32.max)).contains(outputRate),
            (1...32).contains(channels), (0...10).contains(quality)
        else { throw .resampler(code: invalid) }
        var status: Int32 = 0
        let created = speex_resampler_init(
            UInt32(channels), UInt32(inputRate), UInt32(outputRate), Int32(quality), &status)
        guard let resampler = created, status == 0 else {
            throw .resampler(code: status == 0 ? Int32(RESAMPLER_ERR_ALLOC_FAILED) : status)
        }
        self.state = resampler
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.channels = channels
    }

    deinit {
        speex_resampler_destroy(state)
    }

    /// Output capacity (interleaved samples) that guarantees all of `inputCount` is consumed.
    ///
    /// ceil(frames × outputRate / inputRate) + 2 per channel: the +2 covers the carried
    /// fractional phase and speexdsp's habit of stopping as soon as the output is full.
    public static func maxOutput(
        for inputCount: Int, from inputRate: Int, to outputRate: Int, channels: Int = 1
    ) -> Int {
        guard inputCount > 0, inputRate > 0, outputRate > 0, channels > 0 else { return 0 }
        let frames = (inputCount + channels - 1) / channels
        let (product, overflow) = frames.multipliedReportingOverflow(by: outputRate)
        guard !overflow else { return Int.max }
        return ((product + inputRate - 1) / inputRate + 2) * channels
    }

    /// Output capacity (interleaved samples) that guarantees all of `inputCount` is consumed.
    public func maxOutput(for inputCount: Int) -> Int {
        Self.maxOutput(for: inputCount, from: inputRate, to: outputRate, channels: channels)
    }

    /// Resamples interleaved `input` into `out`; returns interleaved samples written.
    ///
    /// All input is consumed when `out.count >= maxOutput(for: input.count)`; with a smaller
    /// buffer the output is truncated and the unconsumed input tail is dropped (the filter
    /// state stays consistent). A trailing partial frame (count not a multiple of channels)
    /// is ignored.
    public func process(
        _ input: UnsafeBufferPointer<Int16>, into out: UnsafeMutableBufferPointer<Int16>
    ) -> Int {
        guard let source = input.baseAddress, let destination = out.baseAddress,
            input.count >= channels, out.count >= channels
        else { return 0 }
        // speexdsp counts per channel, in UInt32; a single call never needs more than that.
        var inFrames = UInt32(clamping: input.count / channels)
        var outFrames = UInt32(clamping: out.count / channels)
        let status = speex_resampler_process_interleaved_int(
            state, source, &inFrames, destination, &outFrames)
        guard status == 0 else { return 0 }
        return Int(outFrames) * channels
    }

    /// Clears the filter history (start of a new, unrelated stream).
    public func reset() {
        _ = speex_resampler_reset_mem(state)
    }

    /// Delay the filter adds, in input samples (per channel).
    public var inputLatency: Int { Int(speex_resampler_get_input_latency(state)) }

    /// Delay the filter adds, in output samples (per channel).
    public var outputLatency: Int { Int(speex_resampler_get_output_latency(state)) }
}
