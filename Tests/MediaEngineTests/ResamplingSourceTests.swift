import MediaEngine
import Testing

@Suite struct ResamplingSourceTests {
    @Test func toneKeepsItsFrequencyAndDurationAcrossRates() throws {
        // 1 s of 1 kHz at 22.05 kHz (espeak-ng's rate) played on an 8 kHz leg.
        let tone = try ToneSource(sampleRate: 22050, frequencies: [1000], levelDbm0: -10, durationMs: 1000)
        var s = try #require(ResamplingSource(tone, to: 8000))
        #expect(s.sampleRate == 8000)
        var all: [Int16] = []
        var frame = [Int16](repeating: 0, count: 160)
        while true {
            let n = frame.withUnsafeMutableBufferPointer { s.read(into: $0) }
            all += frame[0..<n]
            if n < 160 { break }
        }
        #expect(abs(all.count - 8000) <= 16)  // 1 s at 8 kHz, give or take the filter tail
        // Zero crossings of a 1 kHz tone: 2,000 per second.
        let body = Array(all[400..<7600])
        let crossings = zip(body, body.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(abs(crossings - 1800) <= 10)
    }

    @Test func sameRateIsPassedThrough() throws {
        let tone = try ToneSource(sampleRate: 8000, frequencies: [440], levelDbm0: -10, durationMs: 100)
        var s = try #require(ResamplingSource(tone, to: 8000))
        var frame = [Int16](repeating: 0, count: 2000)
        #expect(frame.withUnsafeMutableBufferPointer { s.read(into: $0) } == 800)
    }
}
