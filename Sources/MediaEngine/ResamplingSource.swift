import Codecs

/// Plays any source at another rate (a 22.05 kHz TTS buffer or a 16 kHz WAV on an 8 kHz G.711
/// or 48 kHz Opus leg) through speexdsp. Pulls the inner source in small chunks and keeps
/// what the resampler produced beyond the caller's request for the next read.
public struct ResamplingSource: AudioSource {
    public let sampleRate: Int
    private var inner: any AudioSource
    private let resampler: Resampler?
    private var pending: [Int16] = []
    private var input: [Int16]
    private var output: [Int16]
    private var innerDone = false

    /// Wraps `inner` to produce `rate` samples per second; nil when speexdsp refuses the rates.
    public init?(_ inner: any AudioSource, to rate: Int) {
        sampleRate = rate
        self.inner = inner
        if inner.sampleRate == rate {
            resampler = nil
        } else {
            guard let r = try? Resampler(from: inner.sampleRate, to: rate) else { return nil }
            resampler = r
        }
        // 10 ms of input per step; room for its converted length plus headroom.
        input = [Int16](repeating: 0, count: max(1, inner.sampleRate / 100))
        output = [Int16](repeating: 0, count: max(16, rate / 100 * 2 + 64))
    }

    public mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let resampler else { return inner.read(into: out) }
        var written = 0
        while written < out.count {
            if !pending.isEmpty {
                let n = min(pending.count, out.count - written)
                for i in 0..<n { out[written + i] = pending[i] }
                pending.removeFirst(n)
                written += n
                continue
            }
            if innerDone { break }
            let got = input.withUnsafeMutableBufferPointer { inner.read(into: $0) }
            if got == 0 { innerDone = true; break }
            let frame = input
            let made = output.withUnsafeMutableBufferPointer { o in
                frame.withUnsafeBufferPointer { resampler.process(UnsafeBufferPointer(rebasing: $0[0..<got]), into: o) }
            }
            pending.append(contentsOf: output[0..<made])
            if got < input.count { innerDone = true }
        }
        return written
    }
}
