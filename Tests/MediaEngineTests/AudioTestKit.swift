// Shared helpers for the audio tests: draining sources, spectral and level measurements,
// a deterministic noise generator and a temporary directory.

import Foundation
@testable import MediaEngine

enum AudioTestKit {
    /// Reads `source` to its end (or `limit` samples) with reads cycling through `chunks`.
    static func drain<S: AudioSource>(_ source: inout S, chunks: [Int] = [160], limit: Int = 10_000_000) -> [Int16] {
        var out: [Int16] = []
        let biggest = chunks.max() ?? 160
        var buffer = [Int16](repeating: 0, count: biggest)
        var k = 0
        while out.count < limit {
            let want = min(chunks[k % chunks.count], limit - out.count)
            k += 1
            let n = buffer.withUnsafeMutableBufferPointer { b in
                source.read(into: UnsafeMutableBufferPointer(rebasing: b[0..<want]))
            }
            out.append(contentsOf: buffer[0..<n])
            if n < want { break }
        }
        return out
    }

    /// Sizes of successive reads of `source` with a fixed read size, up to `maxReads`.
    static func readSizes<S: AudioSource>(_ source: inout S, size: Int, maxReads: Int = 1000) -> [Int] {
        var buffer = [Int16](repeating: 0, count: size)
        var sizes: [Int] = []
        for _ in 0..<maxReads {
            let n = buffer.withUnsafeMutableBufferPointer { source.read(into: $0) }
            sizes.append(n)
            if n == 0 { break }
        }
        return sizes
    }

    /// Goertzel power |X(f)|² of `x` at frequency `f` (independent of the code under test),
    /// optionally through a Hann window to suppress leakage from nearby strong tones.
    static func goertzel(_ x: ArraySlice<Int16>, frequency f: Double, sampleRate: Int, hann: Bool = false) -> Double {
        let coeff = 2 * cos(2 * Double.pi * f / Double(sampleRate))
        var s1 = 0.0, s2 = 0.0
        let n = Double(x.count)
        for (i, v) in x.enumerated() {
            let w = hann ? 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / n) : 1
            let s = Double(v) * w + coeff * s1 - s2
            s2 = s1
            s1 = s
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2
    }

    /// Amplitude of the sine at `f` estimated from its Goertzel power: A = 2·|X| / N.
    static func amplitude(_ x: ArraySlice<Int16>, frequency f: Double, sampleRate: Int) -> Double {
        2 * goertzel(x, frequency: f, sampleRate: sampleRate).squareRoot() / Double(x.count)
    }

    /// RMS of `x`.
    static func rms(_ x: ArraySlice<Int16>) -> Double {
        guard !x.isEmpty else { return 0 }
        let sum = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(x.count)).squareRoot()
    }

    /// 20·log10(a / b).
    static func db(_ a: Double, _ b: Double) -> Double { 20 * log10(a / b) }

    /// Exact sine samples A·sin(2π f n / fs), rounded like the generator.
    static func sine(frequency f: Double, amplitude a: Double, sampleRate: Int, count: Int) -> [Int16] {
        (0..<count).map { n in Int16((a * sin(2 * Double.pi * f * Double(n) / Double(sampleRate))).rounded()) }
    }

    /// Uniform white noise with RMS `rms` from a fixed-seed LCG (deterministic).
    static func noise(count: Int, rms: Double, seed: UInt64 = 0x5EED) -> [Int16] {
        var state = seed
        let peak = rms * 3.0.squareRoot()  // uniform on [−p, p] has RMS p/√3
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)  // [0, 1)
            return Int16(((u * 2 - 1) * peak).rounded())
        }
    }

    /// RMS in 16-bit units of a signal at `dbov` (0 dBov = RMS 32768).
    static func rmsFor(dbov: Double) -> Double { 32768 * pow(10, dbov / 20) }

    /// A fresh empty directory under the system temp dir; remove it with `removeTemp`.
    static func makeTempDir() throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("audio-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Deletes a directory made by `makeTempDir`.
    static func removeTemp(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `path`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Reads the file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Little-endian helpers for building and checking WAV bytes by hand.
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    static func fourCC(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func readLE16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
    static func readLE32(_ b: [UInt8], _ o: Int) -> Int {
        Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
    }

    /// PCM16 little-endian bytes of `samples`.
    static func pcmBytes(_ samples: [Int16]) -> [UInt8] {
        samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
    }
}
