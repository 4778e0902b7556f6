// Packet loss concealment for G.711 (which has none of its own), after ITU-T G.711
// Appendix I in spirit:
// - On a lost frame, continue the last good audio by repeating its last pitch period
//   (found by normalized autocorrelation over 5...15 ms), so periodic speech continues
//   without the phase jump a whole-frame repeat would cause at the frame edge.
// - Attenuate linearly by 20% per 20 ms of loss, and fade to silence at 60 ms: repeating
//   a period for longer sounds buzzy/robotic, silence is less annoying (Appendix I also
//   mutes after 60 ms).
// - When audio resumes, crossfade over 4 ms from the synthetic continuation into the real
//   frame, so the splice does not click.
// Everything is measured in samples since the loss began, so it works for any ptime
// (sipp's PCMA uses 30 ms packets) and any frame size.
//
// Pure value type: no clock, no I/O; storage is allocated once in `init`.

/// G.711 packet loss concealer for one mono stream (pitch repetition with fade-out).
public struct G711Concealer: Sendable {
    /// Sample rate of the PCM handled (8000 for G.711).
    public let sampleRate: Int

    /// Last good samples, oldest first; zeros before the first good frame.
    private var history: [Int16]
    /// Samples since the gap began; 0 when the last frame was good.
    private var lostSamples = 0
    /// Period (samples) repeated during the current gap.
    private var pitch = 1
    /// Attenuation unit: samples in 20 ms.
    private let frame20: Int
    /// Length of the final fade to zero before 60 ms, and of the crossfade into good audio.
    private let fadeLength: Int
    private let minPitch: Int
    private let maxPitch: Int
    /// Autocorrelation window for the pitch search.
    private let window: Int

    /// Creates a concealer for mono PCM at `sampleRate` (values below 1000 Hz use 1000).
    public init(sampleRate: Int = 8000) {
        let rate = max(sampleRate, 1000)
        self.sampleRate = rate
        frame20 = rate / 50
        fadeLength = rate / 250  // 4 ms
        minPitch = rate / 200  // 5 ms (200 Hz)
        maxPitch = rate * 15 / 1000  // 15 ms (~66 Hz)
        window = maxPitch
        history = [Int16](repeating: 0, count: 2 * maxPitch)
    }

    /// True while the previous frame(s) were concealed.
    public var isConcealing: Bool { lostSamples > 0 }

    /// Records a good (received) frame; right after a gap, crossfades its start in place.
    public mutating func good(_ pcm: UnsafeMutableBufferPointer<Int16>) {
        if lostSamples > 0 {
            crossfade(into: pcm)
            lostSamples = 0
        }
        remember(UnsafeBufferPointer(pcm))
    }

    /// Fills `out` with the concealment for a lost frame; returns `out.count`.
    ///
    /// Consecutive calls continue the same synthetic signal with growing attenuation;
    /// from 60 ms after the last good frame on, the output is silence.
    public mutating func conceal(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        if lostSamples == 0 { pitch = findPitch() }
        for i in 0..<out.count { out[i] = synthesized(at: lostSamples + i) }
        lostSamples += out.count
        return out.count
    }

    /// Forgets all audio (new stream).
    public mutating func reset() {
        for i in history.indices { history[i] = 0 }
        lostSamples = 0
        pitch = 1
    }

    // MARK: Synthesis

    /// Gain `t` samples into a gap: 1 − 0.2 per 20 ms, ramped to 0 over the 4 ms before 60 ms.
    private func gain(at t: Int) -> Float {
        let silenceAt = 3 * frame20
        guard t < silenceAt else { return 0 }
        let linear = 1 - 0.2 * Float(t) / Float(frame20)
        let fadeStart = silenceAt - fadeLength
        guard t >= fadeStart else { return linear }
        // Reaches exactly 0 on the last sample before 60 ms.
        return linear * Float(silenceAt - 1 - t) / Float(max(fadeLength - 1, 1))
    }

    /// The concealment sample `t` samples into the gap: the last period, repeated, attenuated.
    private func synthesized(at t: Int) -> Int16 {
        let g = gain(at: t)
        guard g > 0 else { return 0 }
        // The sample after history's last one is, one period earlier, history[count − pitch].
        let source = history[history.count - pitch + t % pitch]
        return Int16((Float(source) * g).rounded())  // |g| <= 1, so it fits Int16
    }

    /// Blends from the synthetic continuation to the real frame over `fadeLength` samples.
    private func crossfade(into pcm: UnsafeMutableBufferPointer<Int16>) {
        let n = min(fadeLength, pcm.count)
        for i in 0..<n {
            let w = Float(i + 1) / Float(n + 1)
            let fake = Float(synthesized(at: lostSamples + i))
            let mixed = (1 - w) * fake + w * Float(pcm[i])
            // A convex mix of two Int16 values; the clamp only guards Float rounding.
            pcm[i] = Int16(max(-32768, min(32767, mixed.rounded())))
        }
    }

    // MARK: History and pitch

    /// Appends a frame to the history, keeping only the newest `history.count` samples.
    private mutating func remember(_ pcm: UnsafeBufferPointer<Int16>) {
        let capacity = history.count
        history.withUnsafeMutableBufferPointer { h in
            if pcm.count >= capacity {
                for i in 0..<capacity { h[i] = pcm[pcm.count - capacity + i] }
            } else {
                let keep = capacity - pcm.count
                for i in 0..<keep { h[i] = h[i + pcm.count] }
                for i in 0..<pcm.count { h[keep + i] = pcm[i] }
            }
        }
    }

    /// The lag in minPitch...maxPitch whose earlier segment best matches the newest window.
    ///
    /// Score = correlation / sqrt(energy of the lagged segment), the normalized
    /// cross-correlation up to a factor common to all lags. Ties keep the shortest lag.
    private func findPitch() -> Int {
        var bestLag = maxPitch
        var bestScore: Float = 0
        history.withUnsafeBufferPointer { h in
            let end = h.count
            for lag in minPitch...maxPitch {
                var correlation: Float = 0
                var energy: Float = 0
                for i in (end - window)..<end {
                    let lagged = Float(h[i - lag])
                    correlation += Float(h[i]) * lagged
                    energy += lagged * lagged
                }
                guard energy > 0, correlation > 0 else { continue }
                let score = correlation / energy.squareRoot()
                if score > bestScore * 1.0001 {
                    bestScore = score
                    bestLag = lag
                }
            }
        }
        return bestLag
    }
}
