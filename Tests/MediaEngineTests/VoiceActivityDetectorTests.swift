import Foundation
import Testing
@testable import MediaEngine

@Suite struct VoiceActivityDetectorTests {
    typealias Kit = AudioTestKit

    /// Runs `signal` through `vad` in frames of `frame` samples; returns (frame index, event).
    static func run(_ vad: inout VoiceActivityDetector, _ signal: [Int16], frame: Int = 160,
                    rate: Int = 8000) -> [(Int, VADEvent)] {
        var events: [(Int, VADEvent)] = []
        for (i, start) in stride(from: 0, to: signal.count, by: frame).enumerated() {
            let end = min(start + frame, signal.count)
            if let e = signal[start ..< end].withUnsafeBufferPointer({ vad.process($0, sampleRate: rate) }) {
                events.append((i, e))
            }
        }
        return events
    }

    /// `seconds` of a sine at `dbov` RMS (plus optional noise), 8 kHz.
    static func tone(_ f: Double, dbov: Double, ms: Int, noiseDbov: Double? = nil, seed: UInt64 = 1) -> [Int16] {
        let n = ms * 8
        let a = Kit.rmsFor(dbov: dbov) * 2.0.squareRoot()
        let noise = noiseDbov.map { Kit.noise(count: n, rms: Kit.rmsFor(dbov: $0), seed: seed) }
        return (0 ..< n).map { i in
            let s = a * sin(2 * Double.pi * f * Double(i) / 8000) + Double(noise?[i] ?? 0)
            return Int16(max(-32768, min(32767, s.rounded())))
        }
    }

    static func noise(dbov: Double, ms: Int, seed: UInt64 = 7) -> [Int16] {
        Kit.noise(count: ms * 8, rms: Kit.rmsFor(dbov: dbov), seed: seed)
    }

    @Test func energyIsMeasuredInDbov() {
        let square = [Int16](repeating: .min, count: 160)
        let sine = (0 ..< 160).map { Int16((32767 * sin(2 * Double.pi * Double($0) / 16)).rounded()) }
        square.withUnsafeBufferPointer { #expect(abs(VoiceActivityDetector.energyDbov($0)) < 0.001) }
        sine.withUnsafeBufferPointer { #expect(abs(VoiceActivityDetector.energyDbov($0) + 3.01) < 0.01) }
        [Int16](repeating: 0, count: 160).withUnsafeBufferPointer {
            #expect(VoiceActivityDetector.energyDbov($0) == -.infinity)
        }
    }

    @Test func silenceAndQuietLineNoiseAreNeverSpeech() {
        var vad = VoiceActivityDetector()
        #expect(Self.run(&vad, [Int16](repeating: 0, count: 40_000)).isEmpty)
        #expect(!vad.isSpeech && vad.silenceMs == 5000 && vad.speechMs == 0)
        #expect(vad.noiseFloorDbov == nil)
        var quiet = VoiceActivityDetector()
        #expect(Self.run(&quiet, Self.noise(dbov: -65, ms: 5000)).isEmpty)
        #expect(quiet.silenceMs == 5000)
    }

    @Test func toneBurstInNoiseIsOneSegmentEndingAfterTheHangover() {
        // 1 s noise, 500 ms tone in noise (frames 50…74), 2 s noise; 20 ms frames.
        let signal = Self.noise(dbov: -45, ms: 1000) + Self.tone(1000, dbov: -20, ms: 500, noiseDbov: -45)
            + Self.noise(dbov: -45, ms: 2000, seed: 9)
        var vad = VoiceActivityDetector()
        var events: [(Int, VADEvent)] = []
        var silenceAt: [Int: Int] = [:]
        for (i, start) in stride(from: 0, to: signal.count, by: 160).enumerated() {
            if let e = vad.process(Array(signal[start ..< start + 160]), sampleRate: 8000) { events.append((i, e)) }
            silenceAt[i] = vad.silenceMs
        }
        #expect(events.map(\.0) == [51, 84])  // onset on the 2nd voiced frame; 10 frames of hangover
        #expect(events.map(\.1) == [.speechStarted, .speechEnded])
        #expect(silenceAt[49] == 1000 && silenceAt[50] == 1020)
        #expect(silenceAt[51] == 0 && silenceAt[74] == 0)
        #expect(silenceAt[83] == 180 && silenceAt[84] == 200)
        #expect(vad.silenceMs == 2000 && vad.speechMs == 500 && !vad.isSpeech)
    }

    @Test func aSingleClickIsNotSpeechAndDoesNotResetSilence() {
        var signal = Self.noise(dbov: -55, ms: 2000)
        for i in 8000 ..< 8160 { signal[i] = i % 2 == 0 ? 20000 : -20000 }  // one loud 20 ms frame
        var vad = VoiceActivityDetector()
        #expect(Self.run(&vad, signal).isEmpty)
        #expect(vad.silenceMs == 2000)
    }

    @Test func steadyHumFromTheStartIsTheNoiseFloor() {
        let hum = Self.tone(50, dbov: -30, ms: 10_000, noiseDbov: -60)
        var vad = VoiceActivityDetector()
        #expect(Self.run(&vad, hum).isEmpty)
        #expect(abs((vad.noiseFloorDbov ?? 0) + 30) < 1)
    }

    @Test func humAppearingMidCallIsAbsorbedByTheFloor() {
        let signal = Self.noise(dbov: -62, ms: 2000) + Self.tone(100, dbov: -35, ms: 15_000, noiseDbov: -62)
        var vad = VoiceActivityDetector()
        let events = Self.run(&vad, signal)
        // The hum first looks like speech, then the rising floor catches up within seconds.
        #expect(events.map(\.1) == [.speechStarted, .speechEnded])
        if events.count == 2 {
            #expect(events[0].0 == 101)                 // hum starts at frame 100
            #expect(events[1].0 < 100 + 5 * 50)         // absorbed within 5 s
        }
        #expect(!vad.isSpeech && abs((vad.noiseFloorDbov ?? 0) + 35) < 1)
    }

    @Test func syllablesWithShortPausesStayOneSegmentForSeconds() {
        var signal = Self.noise(dbov: -50, ms: 1000)
        for k in 0 ..< 15 {  // 6 s of "speech": 300 ms voiced, 100 ms pause
            signal += Self.tone(300 + 20 * Double(k), dbov: -22, ms: 300, noiseDbov: -50, seed: UInt64(k))
            signal += Self.noise(dbov: -50, ms: 100, seed: UInt64(100 + k))
        }
        signal += Self.noise(dbov: -50, ms: 1000, seed: 99)
        var vad = VoiceActivityDetector()
        let events = Self.run(&vad, signal)
        #expect(events.map(\.1) == [.speechStarted, .speechEnded])
        #expect(events.first?.0 == 51)
        // Last voiced frame ends at 1 s + 15 × 400 ms − 100 ms = 6.9 s (frame 344), +10 frames.
        #expect(events.last?.0 == 354)
        #expect(vad.speechMs == 15 * 300)
    }

    @Test func digitalSilenceGapsDoNotMoveTheFloor() {
        let hum = Self.tone(200, dbov: -40, ms: 2000, noiseDbov: -60)
        let signal = hum + [Int16](repeating: 0, count: 8000) + hum
        var vad = VoiceActivityDetector()
        #expect(Self.run(&vad, signal).isEmpty)
        #expect(vad.silenceMs == 5000)
    }

    @Test func worksWithWidebandFramesAndCustomTuning() {
        var config = VADConfiguration()
        config.hangoverMs = 100
        config.onsetFrames = 3
        var vad = VoiceActivityDetector(configuration: config)
        let rate = 48000
        let quiet = Kit.noise(count: rate, rms: Kit.rmsFor(dbov: -50))
        let loud = (0 ..< rate / 2).map { Int16((9000 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))).rounded()) }
        let events = Self.run(&vad, quiet + loud + quiet, frame: 960, rate: rate)
        #expect(events.map(\.0) == [52, 79])  // 3-frame onset; 5 frames (100 ms) of hangover
        #expect(vad.speechMs == 500 && vad.silenceMs == 1000)
        vad.reset()
        #expect(vad.noiseFloorDbov == nil && vad.silenceMs == 0 && vad.configuration.onsetFrames == 3)
        #expect(vad.process([], sampleRate: 8000) == nil && vad.process([1, 2], sampleRate: 0) == nil)
    }
}
