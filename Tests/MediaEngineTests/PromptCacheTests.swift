import Testing
@testable import MediaEngine

/// Prompts converted once to a leg's rate and replayed from memory.
struct PromptCacheTests {
    /// A 1 kHz tone at `rate` for `ms`.
    static func tone(rate: Int, ms: Int) -> [Int16] {
        var t = try! ToneSource(sampleRate: rate, frequencies: [1000], levelDbm0: -10, durationMs: ms)
        var out = [Int16](repeating: 0, count: rate * ms / 1000)
        let n = out.withUnsafeMutableBufferPointer { t.read(into: $0) }
        return Array(out[0..<n])
    }

    static func zeroCrossingHz(_ x: [Int16], rate: Int) -> Double {
        let crossings = zip(x, x.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        return Double(crossings) / 2 / (Double(x.count) / Double(rate))
    }

    @Test func convertsOnceAndKeepsThePitch() throws {
        let cache = PromptCache()
        let src = Self.tone(rate: 22050, ms: 1000)
        let a = try #require(cache.converted("hello", src, from: 22050, to: 8000))
        #expect(abs(a.count - 8000) < 80)
        #expect(abs(Self.zeroCrossingHz(Array(a[400...]), rate: 8000) - 1000) < 15)
        #expect(cache.count == 1 && cache.conversionsDone == 1)
        let b = try #require(cache.converted("hello", src, from: 22050, to: 8000))
        #expect(a == b && cache.conversionsDone == 1)  // served from memory: no second conversion
        let c = try #require(cache.converted("hello", src, from: 22050, to: 48000))
        #expect(abs(c.count - 48000) < 480 && cache.count == 2 && cache.conversionsDone == 2)  // one entry per rate
        #expect(cache.converted("same-rate", src, from: 22050, to: 22050) == src && cache.conversionsDone == 2)
    }

    @Test func oldestEntriesGoFirstPastTheBound() throws {
        let cache = PromptCache(maxSamples: 20_000)
        let src = Self.tone(rate: 16000, ms: 1000)
        for i in 0..<5 { _ = cache.converted("p\(i)", src, from: 16000, to: 8000) }
        #expect(cache.count == 2)  // 8,000 samples each: two fit under 20,000
        // A prompt larger than the whole cache is converted but not kept.
        let long = Self.tone(rate: 16000, ms: 6000)
        #expect(cache.converted("long", long, from: 16000, to: 8000)?.count ?? 0 > 40_000)
        #expect(cache.count == 2)
    }
}
