import Testing
@testable import MediaEngine

@Suite struct WAVFileSourceTests {
    typealias Kit = AudioTestKit

    static func wav(_ format: WAVFormat, channels: Int = 1, rate: Int = 8000, data: [UInt8]) throws -> [UInt8] {
        try WAVHeader.build(format: format, channels: channels, sampleRate: rate, dataByteCount: data.count) + data
    }

    @Test func pcmMonoPlaysItsSamplesThenEnds() throws {
        let samples: [Int16] = (0 ..< 400).map { Int16($0 * 81 - 16000) } + [.min, .max, -1, 0]
        var source = try WAVFileSource(bytes: Self.wav(.pcm16, rate: 16000, data: Kit.pcmBytes(samples)))
        #expect(source.sampleRate == 16000 && source.frameCount == 404 && source.durationMs == 25)
        var sizes = source
        #expect(Kit.readSizes(&sizes, size: 160) == [160, 160, 84, 0])
        #expect(Kit.drain(&source, chunks: [33, 160, 1]) == samples)
        source.rewind()
        #expect(Kit.drain(&source).count == 404)
    }

    @Test func stereoIsDownmixedToTheMeanWithoutOverflow() throws {
        let interleaved: [Int16] = [1000, -200, .max, .max, .min, .min, .max, .min, 7, 8, -7, -8]
        var source = try WAVFileSource(bytes: Self.wav(.pcm16, channels: 2, data: Kit.pcmBytes(interleaved)))
        #expect(source.frameCount == 6)
        #expect(Kit.drain(&source) == [400, .max, .min, 0, 7, -7])
    }

    @Test func muLawDecodesPerG711() throws {
        // ITU-T G.711 μ-law: the digital milliwatt codes, plus both zeros and both extremes.
        let codes: [UInt8] = [0x1E, 0x0B, 0x0B, 0x1E, 0x9E, 0x8B, 0x8B, 0x9E, 0xFF, 0x7F, 0x80, 0x00]
        var source = try WAVFileSource(bytes: Self.wav(.muLaw, data: codes))
        #expect(Kit.drain(&source) == [-8828, -20860, -20860, -8828, 8828, 20860, 20860, 8828, 0, 0, 32124, -32124])
    }

    @Test func aLawDecodesPerG711() throws {
        // ITU-T G.711 A-law: 0xD5/0x55 are the smallest ±levels, 0xAA/0x2A the largest;
        // 34 21 B4 A1 are the distinct codes of the A-law digital milliwatt (Table 6).
        let codes: [UInt8] = [0xD5, 0x55, 0xAA, 0x2A, 0x34, 0x21, 0xB4, 0xA1]
        var source = try WAVFileSource(bytes: Self.wav(.aLaw, data: codes))
        #expect(Kit.drain(&source) == [8, -8, 32256, -32256, -8960, -20992, 8960, 20992])
    }

    @Test func companderTablesAreOddSymmetricAndMonotonic() {
        for code in 0 ..< 128 {
            #expect(WAVCompanding.muLaw[code] == -WAVCompanding.muLaw[code + 128])
            #expect(WAVCompanding.aLaw[code] == -WAVCompanding.aLaw[code + 128])
        }
        // μ-law: codes 0x80…0xFF run from the largest positive value down to zero.
        let positive = (0x80 ... 0xFF).map { WAVCompanding.muLaw[$0] }
        #expect(zip(positive, positive.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func stereoG711IsDownmixed() throws {
        var source = try WAVFileSource(bytes: Self.wav(.aLaw, channels: 2, data: [0xD5, 0x55, 0xAA, 0xAA, 0x2A, 0xD5]))
        #expect(Kit.drain(&source) == [0, 32256, -16124])
    }

    @Test func trailingPartialFrameIsIgnored() throws {
        let bytes = try Self.wav(.pcm16, channels: 2, data: Kit.pcmBytes([1, 2, 3, 4]) + [9, 9])
        var source = try WAVFileSource(bytes: bytes)
        #expect(source.frameCount == 2)
        #expect(Kit.drain(&source) == [1, 3])
    }

    @Test func loadsFromDiskWithinTheSizeLimit() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let samples: [Int16] = (0 ..< 1000).map { Int16(truncatingIfNeeded: $0 * 37) }
        let path = dir + "/prompt.wav"
        let bytes = try Self.wav(.pcm16, data: Kit.pcmBytes(samples))
        try Kit.write(bytes, to: path)
        var source = try WAVFileSource(path: path)
        #expect(Kit.drain(&source) == samples)
        #expect(throws: WAVError.fileTooLarge(bytes: bytes.count, limit: 2000)) {
            try WAVFileSource(path: path, maxBytes: 2000)
        }
        #expect(throws: WAVError.notARegularFile(path: dir)) { try WAVFileSource(path: dir) }
        do throws(WAVError) {
            _ = try WAVFileSource(path: dir + "/missing.wav")
            Issue.record("a missing file must throw")
        } catch {
            #expect(error.code == "wav.io")
            #expect(error == .io(operation: "open", path: dir + "/missing.wav", errno: 2))
        }
        try Kit.write(Array(bytes.dropLast(10)), to: path)
        #expect(throws: WAVError.dataTruncated(declared: 2000, available: 1990)) { try WAVFileSource(path: path) }
    }
}
