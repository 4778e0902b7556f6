import Testing
@testable import MediaEngine

@Suite struct WAVHeaderTests {
    typealias Kit = AudioTestKit

    /// A hand-made file: RIFF header, optional extra chunks, fmt, data.
    static func file(tag: Int = 1, channels: Int = 1, rate: Int = 8000, bits: Int = 16, blockAlign: Int? = nil,
                     before: [UInt8] = [], data: [UInt8], declaredData: Int? = nil) -> [UInt8] {
        let align = blockAlign ?? channels * bits / 8
        var fmt = Kit.fourCC("fmt ") + Kit.le32(16) + Kit.le16(tag) + Kit.le16(channels)
        fmt += Kit.le32(rate) + Kit.le32(rate * align) + Kit.le16(align) + Kit.le16(bits)
        let body = Kit.fourCC("WAVE") + before + fmt + Kit.fourCC("data") + Kit.le32(declaredData ?? data.count) + data
        return Kit.fourCC("RIFF") + Kit.le32(body.count) + body
    }

    @Test func pcmHeaderIsByteExact() throws {
        let header = try WAVHeader.build(format: .pcm16, channels: 1, sampleRate: 8000, dataByteCount: 320)
        let expected: [UInt8] = [
            0x52, 0x49, 0x46, 0x46, 0x64, 0x01, 0x00, 0x00,  // "RIFF", 356 = 36 + 320
            0x57, 0x41, 0x56, 0x45,                          // "WAVE"
            0x66, 0x6D, 0x74, 0x20, 0x10, 0x00, 0x00, 0x00,  // "fmt ", 16
            0x01, 0x00, 0x01, 0x00,                          // PCM, mono
            0x40, 0x1F, 0x00, 0x00, 0x80, 0x3E, 0x00, 0x00,  // 8000 Hz, 16000 bytes/s
            0x02, 0x00, 0x10, 0x00,                          // block align 2, 16 bits
            0x64, 0x61, 0x74, 0x61, 0x40, 0x01, 0x00, 0x00,  // "data", 320
        ]
        #expect(header == expected)
        #expect(header.count == WAVHeader.pcmHeaderSize)
    }

    @Test func stereoAndG711HeadersCarryTheRightFields() throws {
        let stereo = try WAVHeader.build(format: .pcm16, channels: 2, sampleRate: 48000, dataByteCount: 3840)
        #expect(Kit.readLE16(stereo, 22) == 2)
        #expect(Kit.readLE32(stereo, 28) == 192_000)
        #expect(Kit.readLE16(stereo, 32) == 4)
        let mu = try WAVHeader.build(format: .muLaw, channels: 1, sampleRate: 8000, dataByteCount: 801)
        #expect(mu.count == 58)
        #expect(Kit.readLE32(mu, 4) == 58 - 8 + 802)  // odd data counted with its pad byte
        #expect(Kit.readLE32(mu, 16) == 18 && Kit.readLE16(mu, 20) == 7 && Kit.readLE16(mu, 34) == 8)
        #expect(Array(mu[38 ..< 42]) == Kit.fourCC("fact") && Kit.readLE32(mu, 46) == 801)
        #expect(Array(mu[50 ..< 54]) == Kit.fourCC("data") && Kit.readLE32(mu, 54) == 801)
    }

    @Test(arguments: [WAVFormat.pcm16, .aLaw, .muLaw], [1, 2])
    func builtHeadersParseBack(format: WAVFormat, channels: Int) throws {
        let blockAlign = channels * format.bitsPerSample / 8
        let data = [UInt8](repeating: 0x55, count: 100 * blockAlign)
        let bytes = try WAVHeader.build(format: format, channels: channels, sampleRate: 16000,
                                        dataByteCount: data.count) + data
        let h = try WAVHeader.parse(bytes)
        #expect(h == WAVHeader(format: format, channels: channels, sampleRate: 16000,
                               dataOffset: bytes.count - data.count, dataByteCount: data.count))
        #expect(h.frameCount == 100 && h.durationMs == 6)
    }

    @Test func unknownChunksAreSkippedIncludingOddPadding() throws {
        let list = Kit.fourCC("LIST") + Kit.le32(5) + [1, 2, 3, 4, 5, 0]  // odd size + pad byte
        let fact = Kit.fourCC("fact") + Kit.le32(4) + Kit.le32(2)
        let bytes = Self.file(before: list + fact, data: [1, 0, 2, 0])
        let h = try WAVHeader.parse(bytes)
        #expect(h.dataOffset == bytes.count - 4 && h.dataByteCount == 4 && h.frameCount == 2)
    }

    @Test func waveFormatExtensibleUsesTheSubFormatTag() throws {
        var fmt = Kit.fourCC("fmt ") + Kit.le32(40) + Kit.le16(0xFFFE) + Kit.le16(1) + Kit.le32(8000)
        fmt += Kit.le32(8000) + Kit.le16(1) + Kit.le16(8) + Kit.le16(22) + Kit.le16(8) + Kit.le32(4)
        fmt += Kit.le16(7) + [UInt8](repeating: 0, count: 14)  // KSDATAFORMAT_SUBTYPE_MULAW prefix
        let body = Kit.fourCC("WAVE") + fmt + Kit.fourCC("data") + Kit.le32(3) + [0xFF, 0x80, 0x00]
        let h = try WAVHeader.parse(Kit.fourCC("RIFF") + Kit.le32(body.count) + body)
        #expect(h.format == .muLaw && h.channels == 1 && h.dataByteCount == 3)
    }

    @Test func hostileHeadersThrowTypedErrors() {
        let samples = [UInt8](repeating: 0, count: 16)
        let cases: [(String, [UInt8], WAVError)] = [
            ("data larger than file", Self.file(data: samples, declaredData: 17),
             .dataTruncated(declared: 17, available: 16)),
            ("data size 0xFFFFFFFF", Self.file(data: samples, declaredData: 0xFFFF_FFFF),
             .dataTruncated(declared: 0xFFFF_FFFF, available: 16)),
            ("zero channels", Self.file(channels: 0, blockAlign: 0, data: samples), .unsupportedChannels(0)),
            ("three channels", Self.file(channels: 3, data: samples), .unsupportedChannels(3)),
            ("12 bits", Self.file(bits: 12, blockAlign: 2, data: samples), .unsupportedBitsPerSample(12)),
            ("8-bit PCM", Self.file(bits: 8, data: samples), .unsupportedBitsPerSample(8)),
            ("16-bit mu-law", Self.file(tag: 7, bits: 16, data: samples), .unsupportedBitsPerSample(16)),
            ("float", Self.file(tag: 3, bits: 32, data: samples), .unsupportedFormat(tag: 3)),
            ("rate 0", Self.file(rate: 0, data: samples), .invalidSampleRate(0)),
            ("rate huge", Self.file(rate: 0x7FFF_FFFF, data: samples), .invalidSampleRate(0x7FFF_FFFF)),
            ("block align", Self.file(blockAlign: 4, data: samples), .invalidBlockAlign(4)),
            ("chunk overflow", Self.file(before: Kit.fourCC("LIST") + Kit.le32(0xFFFF_FFF0), data: samples),
             .chunkOverflow(chunk: "LIST", declared: 0xFFFF_FFF0, available: 48)),
            ("not RIFF", Kit.fourCC("RIFX") + Array(Self.file(data: samples).dropFirst(4)), .notRIFF),
            ("not WAVE", Kit.fourCC("RIFF") + Kit.le32(4) + Kit.fourCC("AVI ") + samples, .notWAVE),
            ("empty", [], .truncatedHeader),
            ("text", Array("hello".utf8), .notRIFF),
            ("no data", Kit.fourCC("RIFF") + Kit.le32(28) + Array(Self.file(data: []).dropFirst(8).dropLast(8)),
             .missingDataChunk),
            ("no fmt", Kit.fourCC("RIFF") + Kit.le32(12) + Kit.fourCC("WAVE") + Kit.fourCC("data") + Kit.le32(0),
             .missingFormatChunk),
        ]
        for (name, bytes, expected) in cases {
            #expect(throws: expected, "\(name)") { try WAVHeader.parse(bytes) }
        }
    }

    @Test func everyTruncationOfAValidFileIsAnErrorNotACrash() throws {
        let full = Self.file(before: Kit.fourCC("LIST") + Kit.le32(4) + [9, 9, 9, 9], data: [UInt8](repeating: 7, count: 40))
        _ = try WAVHeader.parse(full)
        for length in 0 ..< full.count {
            #expect(throws: WAVError.self, "prefix of \(length) bytes") { try WAVHeader.parse(Array(full[0 ..< length])) }
        }
        #expect(throws: WAVError.dataTruncated(declared: 40, available: 39)) { try WAVHeader.parse(Array(full.dropLast())) }
    }

    @Test func randomlyCorruptedFilesNeverCrashTheParserOrThePlayer() throws {
        let valid = Self.file(channels: 2, before: Kit.fourCC("LIST") + Kit.le32(6) + [1, 2, 3, 4, 5, 6],
                              data: [UInt8](repeating: 0x41, count: 64))
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var parsed = 0
        for _ in 0 ..< 5000 {
            var bytes = valid
            for _ in 0 ..< 1 + next() % 4 { bytes[next() % bytes.count] = UInt8(next() & 0xFF) }
            if next() % 5 == 0 { bytes.removeLast(next() % bytes.count) }
            guard let source = try? WAVFileSource(bytes: bytes) else { continue }
            parsed += 1
            var s = source
            let out = Kit.drain(&s, chunks: [160])
            #expect(out.count == source.frameCount)
            #expect(source.header.dataOffset + source.header.dataByteCount <= bytes.count)
        }
        #expect(parsed > 100)  // the corpus exercises the decode path too
    }

    @Test func errorCodesAreStable() {
        #expect(WAVError.truncatedHeader.code == "wav.truncated-header")
        #expect(WAVError.dataTruncated(declared: 1, available: 0).code == "wav.data-truncated")
        #expect(WAVError.chunkOverflow(chunk: "LIST", declared: 1, available: 0).code == "wav.chunk-overflow")
        #expect(WAVError.unsupportedChannels(0).code == "wav.unsupported-channels")
        #expect(WAVError.unsupportedBitsPerSample(12).code == "wav.unsupported-bits")
        #expect(WAVError.fileTooLarge(bytes: 2, limit: 1).code == "wav.file-too-large")
        #expect(WAVError.io(operation: "open", path: "/x", errno: 2).message.contains("/x"))
        #expect(WAVError.notRIFF.description.hasPrefix("wav.not-riff: "))
    }
}
