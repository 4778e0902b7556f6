// Signal measurements for the speech tests: frame energy and a rough pitch estimate.

@testable import Speech

/// Measurements of synthesised speech used to check it is plausible audio.
struct AudioMeasures {
    /// Length in seconds.
    let seconds: Double
    /// RMS of each 20 ms frame.
    let frameRMS: [Double]
    /// Frames louder than the silence threshold.
    let voicedFrames: [Double]

    /// RMS below this counts as silence (16-bit full scale is 32767).
    static let silenceRMS = 200.0

    init(_ speech: SynthesizedSpeech) {
        seconds = Double(speech.samples.count) / Double(speech.sampleRate)
        let frame = max(1, speech.sampleRate / 50)
        var rms: [Double] = []
        var start = 0
        while start + frame <= speech.samples.count {
            var sum = 0.0
            for s in speech.samples[start ..< start + frame] { sum += Double(s) * Double(s) }
            rms.append((sum / Double(frame)).squareRoot())
            start += frame
        }
        frameRMS = rms
        voicedFrames = rms.filter { $0 > Self.silenceRMS }
    }

    /// Mean RMS over the voiced frames (0 if none).
    var voicedRMS: Double { voicedFrames.isEmpty ? 0 : voicedFrames.reduce(0, +) / Double(voicedFrames.count) }

    /// Fraction of frames that are voiced.
    var voicedFraction: Double { frameRMS.isEmpty ? 0 : Double(voicedFrames.count) / Double(frameRMS.count) }

    /// Median fundamental frequency (Hz) over loud 40 ms windows, by autocorrelation peak in
    /// the 60–400 Hz lag range; nil when no window is loud enough.
    static func medianPitch(_ speech: SynthesizedSpeech) -> Double? {
        let rate = speech.sampleRate
        let window = rate / 25
        let minLag = rate / 400, maxLag = rate / 60
        var pitches: [Double] = []
        var start = 0
        let x = speech.samples.map(Double.init)
        while start + window + maxLag <= x.count {
            var energy = 0.0
            for i in start ..< start + window { energy += x[i] * x[i] }
            if (energy / Double(window)).squareRoot() > 1000 {
                var bestLag = 0, best = 0.0
                for lag in minLag ... maxLag {
                    var c = 0.0
                    for i in start ..< start + window { c += x[i] * x[i + lag] }
                    if c > best { best = c; bestLag = lag }
                }
                if bestLag > 0, best > 0.3 * energy { pitches.append(Double(rate) / Double(bestLag)) }
            }
            start += window
        }
        guard !pitches.isEmpty else { return nil }
        return pitches.sorted()[pitches.count / 2]
    }
}
