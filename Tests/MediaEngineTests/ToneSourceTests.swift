import Foundation
import Testing
@testable import MediaEngine

@Suite struct ToneSourceTests {
    typealias Kit = AudioTestKit

    @Test func energyIsAtTheRequestedFrequency() throws {
        var tone = try ToneSource(sampleRate: 8000, frequencies: [425], levelDbm0: -10, durationMs: 1000)
        let x = Kit.drain(&tone)[...]
        #expect(x.count == 8000)
        let target = Kit.goertzel(x, frequency: 425, sampleRate: 8000)
        for other in [300.0, 400, 450, 600, 850, 1000, 2000, 3500] {
            let p = Kit.goertzel(x, frequency: other, sampleRate: 8000)
            #expect(target > 1e5 * p, "425 Hz should dominate \(other) Hz by > 50 dB")
        }
    }

    @Test func zeroDbm0MatchesTheG711DigitalMilliwatt() throws {
        // ITU-T G.711 Table 5: μ-law digital milliwatt 1E 0B 0B 1E 9E 8B 8B 9E decodes to these.
        let milliwatt: [Int16] = [-8828, -20860, -20860, -8828, 8828, 20860, 20860, 8828]
        var tone = try ToneSource(sampleRate: 8000, frequencies: [1000], levelDbm0: 0, durationMs: 1000)
        let x = Kit.drain(&tone)[...]
        let delta = Kit.db(Kit.rms(x), Kit.rms(milliwatt[...]))
        #expect(abs(delta) < 0.5, "0 dBm0 is \(delta) dB off the digital milliwatt")
        #expect(abs(ToneComponent.peakAmplitude(dbm0: 0) - 22748) < 1)
        #expect(abs(ToneComponent.peakAmplitude(dbm0: 3.17) - 32767) < 0.01)
    }

    @Test(arguments: [(-20.0, 48000), (-10.0, 8000), (-3.0, 16000), (-40.0, 8000)])
    func levelIsWithinHalfADecibel(level: Double, rate: Int) throws {
        var tone = try ToneSource(sampleRate: rate, frequencies: [1004], levelDbm0: level, durationMs: 500)
        let x = Kit.drain(&tone)[...]
        // Independent reference: 0 dBm0 sine = digital milliwatt RMS 16016 (see above).
        let measured = Kit.db(Kit.rms(x), 16016)
        #expect(abs(measured - level) < 0.5, "requested \(level) dBm0, measured \(measured)")
    }

    @Test func eachComponentOfADualToneHasItsOwnLevel() throws {
        let parts = [ToneComponent(frequency: 350, levelDbm0: -13), ToneComponent(frequency: 440, levelDbm0: -19)]
        var tone = try ToneSource(sampleRate: 8000, components: parts, durationMs: 1000)
        let x = Kit.drain(&tone)[...]
        for part in parts {
            let a = Kit.amplitude(x, frequency: part.frequency, sampleRate: 8000)
            let expected = 22748 * pow(10, part.levelDbm0 / 20)
            #expect(abs(Kit.db(a, expected)) < 0.5, "\(part.frequency) Hz amplitude \(a), expected \(expected)")
        }
    }

    @Test func cadenceTimingIsExactInSamples() throws {
        // ETSI-style ring-back: 425 Hz, 1 s on / 4 s off, 12 s total.
        let cadence = try ToneCadence(onOffMs: [1000, 4000])
        var tone = try ToneSource(sampleRate: 8000, frequencies: [425], levelDbm0: -10,
                                  cadence: cadence, durationMs: 12_000)
        let x = Kit.drain(&tone, chunks: [160])
        #expect(x.count == 96_000)
        let burst = Kit.sine(frequency: 425, amplitude: ToneComponent.peakAmplitude(dbm0: -10),
                             sampleRate: 8000, count: 8000)
        for start in [0, 40_000, 80_000] {  // every burst restarts at phase 0
            let maxError = zip(x[start ..< start + 8000], burst).map { abs(Int($0) - Int($1)) }.max() ?? 99
            #expect(maxError <= 1, "burst at \(start) deviates by \(maxError)")
        }
        for range in [8000 ..< 40_000, 48_000 ..< 80_000, 88_000 ..< 96_000] {
            #expect(x[range].allSatisfy { $0 == 0 }, "off period \(range) must be silent")
        }
        #expect(x[7990 ..< 8000].contains { $0 != 0 }, "tone lasts to the last on sample")
        #expect(x[40_001] != 0)
    }

    @Test func irregularCadenceListIsFollowedAndEveryBurstStartsAtPhaseZero() throws {
        let cadence = try ToneCadence(onOffMs: [100, 50, 200, 650])  // 1 s cycle
        var tone = try ToneSource(sampleRate: 16000, frequencies: [413], levelDbm0: -12,
                                  cadence: cadence, durationMs: 2000)
        let x = Kit.drain(&tone, chunks: [320, 17])
        #expect(x.count == 32_000)
        // 413 Hz makes a non-integer number of cycles per burst, so a burst that continued
        // the previous burst's phase would not match the phase-0 reference.
        let reference = Kit.sine(frequency: 413, amplitude: ToneComponent.peakAmplitude(dbm0: -12),
                                 sampleRate: 16000, count: 3200)
        func burst(_ r: Range<Int>) -> Bool {
            zip(x[r], reference).allSatisfy { abs(Int($0) - Int($1)) <= 1 }
        }
        func off(_ r: Range<Int>) -> Bool { x[r].allSatisfy { $0 == 0 } }
        for cycle in [0, 16_000] {
            #expect(burst(cycle ..< cycle + 1600))
            #expect(off(cycle + 1600 ..< cycle + 2400))
            #expect(burst(cycle + 2400 ..< cycle + 5600))
            #expect(off(cycle + 5600 ..< cycle + 16_000))
        }
    }

    @Test func oddSizedReadsGiveTheSameSamplesAsOneBigRead() throws {
        let parts = [ToneComponent(frequency: 697, levelDbm0: -8), ToneComponent(frequency: 1477, levelDbm0: -6),
                     ToneComponent(frequency: 3001.5, levelDbm0: -20)]
        let cadence = try ToneCadence(onOffMs: [730, 270])
        var whole = try ToneSource(sampleRate: 48000, components: parts, cadence: cadence, durationMs: 5000)
        var pieces = whole
        let a = Kit.drain(&whole, chunks: [240_000])
        let b = Kit.drain(&pieces, chunks: [1, 7, 159, 161, 960, 333, 2, 4095])
        #expect(a.count == 240_000)
        #expect(a == b)
    }

    @Test func longToneDoesNotDriftInAmplitudeOrPhase() throws {
        var tone = try ToneSource(sampleRate: 48000, frequencies: [1004], levelDbm0: 0, durationMs: 20_000)
        let x = Kit.drain(&tone, chunks: [960])
        let a = ToneComponent.peakAmplitude(dbm0: 0)
        var worst = 0
        for n in stride(from: 0, to: x.count, by: 7) {
            let exact = a * sin(2 * Double.pi * (1004.0 / 48000 * Double(n)).truncatingRemainder(dividingBy: 1))
            worst = max(worst, abs(Int(x[n]) - Int(exact.rounded())))
        }
        #expect(worst <= 1, "oscillator drifted by \(worst) LSB over 20 s")
    }

    @Test func durationAndEndlessBehaviour() throws {
        var short = try ToneSource(sampleRate: 8000, frequencies: [1000], levelDbm0: -10, durationMs: 50)
        #expect(Kit.readSizes(&short, size: 160) == [160, 160, 80, 0])
        var endless = try ToneSource(sampleRate: 8000, frequencies: [1000], levelDbm0: -10, durationMs: nil)
        let sizes = Kit.readSizes(&endless, size: 160, maxReads: 400)
        #expect(sizes.count == 400 && sizes.allSatisfy { $0 == 160 })
    }

    @Test func fourFullScaleComponentsSaturateInsteadOfWrapping() throws {
        var tone = try ToneSource(sampleRate: 8000, frequencies: [500, 1000, 1500, 2000], levelDbm0: 3.17,
                                  durationMs: 100)
        let x = Kit.drain(&tone)
        #expect(x.count == 800)
        #expect(x.contains(32767))  // the sum peaks at 4× full scale: clipped, not wrapped
        #expect(x[0] == 0)  // all components start at phase 0
    }

    @Test func invalidParametersThrowTypedErrors() {
        #expect(throws: ToneError.componentCount(5)) {
            try ToneSource(sampleRate: 8000, frequencies: [1, 2, 3, 4, 5], levelDbm0: -10, durationMs: nil)
        }
        #expect(throws: ToneError.componentCount(0)) {
            try ToneSource(sampleRate: 8000, frequencies: [], levelDbm0: -10, durationMs: nil)
        }
        #expect(throws: ToneError.invalidFrequency(4000)) {
            try ToneSource(sampleRate: 8000, frequencies: [4000], levelDbm0: -10, durationMs: nil)
        }
        #expect(throws: ToneError.invalidLevel(6)) {
            try ToneSource(sampleRate: 8000, frequencies: [400], levelDbm0: 6, durationMs: nil)
        }
        #expect(throws: ToneError.invalidSampleRate(0)) {
            try ToneSource(sampleRate: 0, frequencies: [400], levelDbm0: -10, durationMs: nil)
        }
        for bad in [[100], [0, 100], [100, -1], []] {
            #expect(throws: ToneError.invalidCadence) { try ToneCadence(onOffMs: bad) }
        }
        #expect(ToneError.invalidCadence.code == "tone.invalid-cadence")
        #expect(ToneError.invalidFrequency(0).code == "tone.invalid-frequency")
    }
}

@Suite struct DTMFToneTests {
    typealias Kit = AudioTestKit
    static let rows: [Double] = [697, 770, 852, 941]
    static let columns: [Double] = [1209, 1336, 1477, 1633]
    static let layout: [(Character, Int, Int)] = [
        ("1", 0, 0), ("2", 0, 1), ("3", 0, 2), ("A", 0, 3), ("4", 1, 0), ("5", 1, 1), ("6", 1, 2), ("B", 1, 3),
        ("7", 2, 0), ("8", 2, 1), ("9", 2, 2), ("C", 2, 3), ("*", 3, 0), ("0", 3, 1), ("#", 3, 2), ("D", 3, 3),
    ]

    @Test func everyKeyCarriesExactlyItsQ23PairAtTheRightLevels() throws {
        for (key, row, column) in Self.layout {
            var tone = try ToneSource.dtmf(key, sampleRate: 8000)
            let x = Kit.drain(&tone)
            #expect(x.count == 1200, "100 ms on + 50 ms off at 8 kHz")
            let on = x[0 ..< 800]
            #expect(x[800...].allSatisfy { $0 == 0 })
            let low = Kit.amplitude(on, frequency: Self.rows[row], sampleRate: 8000)
            let high = Kit.amplitude(on, frequency: Self.columns[column], sampleRate: 8000)
            #expect(abs(Kit.db(low, 22748 * pow(10, -8.0 / 20))) < 0.5, "key \(key) low group level")
            #expect(abs(Kit.db(high, 22748 * pow(10, -6.0 / 20))) < 0.5, "key \(key) high group level")
            let wanted = Kit.goertzel(on, frequency: Self.rows[row], sampleRate: 8000, hann: true)
            for f in Self.rows + Self.columns where f != Self.rows[row] && f != Self.columns[column] {
                let p = Kit.goertzel(on, frequency: f, sampleRate: 8000, hann: true)
                #expect(wanted > 1000 * p, "key \(key): \(f) Hz must be 30 dB below the pair")
            }
        }
    }

    @Test func customTimingLowercaseLettersAndOtherRates() throws {
        var tone = try ToneSource.dtmf("d", sampleRate: 48000, onMs: 60, offMs: 40)
        let x = Kit.drain(&tone, chunks: [960])
        #expect(x.count == 4800)
        #expect(x[2880...].allSatisfy { $0 == 0 })
        #expect(Kit.amplitude(x[0 ..< 2880], frequency: 941, sampleRate: 48000) > 5000)
        #expect(Kit.amplitude(x[0 ..< 2880], frequency: 1633, sampleRate: 48000) > 5000)
    }

    @Test func invalidKeysAreRejected() {
        for key: Character in ["x", "E", " ", "é"] {
            #expect(throws: ToneError.invalidDTMFKey(key)) { try ToneSource.dtmf(key, sampleRate: 8000) }
        }
        #expect(throws: ToneError.invalidCadence) { try ToneSource.dtmf("1", sampleRate: 8000, onMs: 0) }
        #expect(ToneError.invalidDTMFKey("x").code == "tone.invalid-dtmf-key")
    }
}
