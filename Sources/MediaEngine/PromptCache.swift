import Foundation

/// Prompts converted to a leg's rate, kept in memory: an IVR says the same few sentences on
/// every call, and resampling them frame by frame on the media workers (espeak's 22.05 kHz →
/// 8 kHz for G.711, or → 48 kHz for Opus) was the largest single cost of a voice-app call in
/// the benchmark. Converting once, off the workers, and replaying the result costs nothing
/// per call. Bounded by total samples; the oldest entries go first.
public final class PromptCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [Int16]] = [:]
    private var order: [String] = []
    private var samples = 0
    private var conversions = 0
    /// About 40 MB of 16-bit audio.
    public let maxSamples: Int

    public init(maxSamples: Int = 20_000_000) {
        self.maxSamples = maxSamples
    }

    /// `audio` at `rate`: from the cache under `key`, else converted now and remembered.
    /// Nil when the rates cannot be converted.
    public func converted(_ key: String, _ audio: [Int16], from source: Int, to rate: Int) -> [Int16]? {
        if source == rate { return audio }
        let k = "\(rate)|\(key)"
        if let hit = lock.withLock({ entries[k] }) { return hit }
        guard let out = Self.resample(audio, from: source, to: rate) else { return nil }
        lock.withLock {
            conversions += 1
            guard entries[k] == nil, out.count <= maxSamples else { return }
            entries[k] = out
            order.append(k)
            samples += out.count
            while samples > maxSamples, !order.isEmpty {
                let old = order.removeFirst()
                samples -= entries.removeValue(forKey: old)?.count ?? 0
            }
        }
        return out
    }

    /// The whole buffer through the media engine's resampling source (speexdsp).
    public static func resample(_ audio: [Int16], from source: Int, to rate: Int) -> [Int16]? {
        guard var r = ResamplingSource(PCMBufferSource(samples: audio, sampleRate: source), to: rate) else { return nil }
        var out: [Int16] = []
        out.reserveCapacity(audio.count * rate / max(1, source) + 1024)
        var chunk = [Int16](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBufferPointer { r.read(into: $0) }
            out.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        return out
    }

    /// Conversions held.
    public var count: Int { lock.withLock { entries.count } }
    /// Conversions done so far (a hit does none).
    public var conversionsDone: Int { lock.withLock { conversions } }
}
