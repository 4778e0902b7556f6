import Testing
@testable import MediaEngine

@Suite struct WAVRecorderTests {
    typealias Kit = AudioTestKit

    /// Interleaved samples of a PCM16 file's data chunk.
    static func rawSamples(_ bytes: [UInt8], _ header: WAVHeader) -> [Int16] {
        stride(from: header.dataOffset, to: header.dataOffset + header.dataByteCount, by: 2).map {
            Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
        }
    }

    @Test func monoRecordingReadsBackIdenticallyWithExactHeader() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let path = dir + "/mono.wav"
        var tone = try ToneSource(sampleRate: 8000, frequencies: [440, 1000], levelDbm0: -6, durationMs: 3000)
        let samples = Kit.drain(&tone)
        let recorder = try WAVRecorder(path: path, sampleRate: 8000)
        for start in stride(from: 0, to: samples.count, by: 160) {  // 48 000 bytes: one flush mid-way
            #expect(recorder.append(mono: Array(samples[start ..< start + 160])) == 160)
        }
        let result = try recorder.finish()
        #expect(result.durationMs == 3000 && result.bytes == 44 + 48_000)
        let bytes = try Kit.read(path)
        #expect(bytes.count == result.bytes)
        #expect(Kit.readLE32(bytes, 4) == bytes.count - 8)  // RIFF size patched
        #expect(Kit.readLE32(bytes, 40) == 48_000)          // data size patched
        #expect(Array(bytes[0 ..< 40]) == Array(try WAVHeader.build(format: .pcm16, channels: 1, sampleRate: 8000,
                                                                      dataByteCount: 48_000)[0 ..< 40]))
        var source = try WAVFileSource(path: path)
        #expect(Kit.drain(&source, chunks: [777]) == samples)
    }

    @Test func stereoPutsOneLegPerChannelAndPadsTheShorterSide() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let path = dir + "/stereo.wav"
        let recorder = try WAVRecorder(path: path, sampleRate: 48000, channels: 2)
        var left: [Int16] = [], right: [Int16] = []
        for tick in 0 ..< 60 {  // 60 ticks × 960 frames × 4 bytes: several flushes
            let l = (0 ..< 960).map { Int16(truncatingIfNeeded: tick * 1000 + $0) }
            let r = tick % 3 == 0 ? [] : (0 ..< 960 - tick).map { Int16(truncatingIfNeeded: -(tick * 1000 + $0)) }
            #expect(recorder.append(left: l, right: r) == 960)
            left += l
            right += r + [Int16](repeating: 0, count: 960 - r.count)
        }
        #expect(recorder.append(left: [5], right: [6, 7, 8]) == 3)
        left += [5, 0, 0]
        right += [6, 7, 8]
        let result = try recorder.finish()
        #expect(result.bytes == 44 + left.count * 4 && result.durationMs == left.count * 1000 / 48000)
        let bytes = try Kit.read(path)
        let header = try WAVHeader.parse(bytes)
        #expect(header.channels == 2 && header.sampleRate == 48000 && header.frameCount == left.count)
        let interleaved = Self.rawSamples(bytes, header)
        #expect(stride(from: 0, to: interleaved.count, by: 2).map { interleaved[$0] } == left)
        #expect(stride(from: 1, to: interleaved.count, by: 2).map { interleaved[$0] } == right)
        var source = try WAVFileSource(bytes: bytes)
        #expect(Kit.drain(&source) == zip(left, right).map { Int16((Int32($0) + Int32($1)) / 2) })
    }

    @Test func monoOnStereoDuplicatesAndStereoOnMonoMixes() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let stereo = try WAVRecorder(path: dir + "/a.wav", sampleRate: 8000, channels: 2)
        stereo.append(mono: [100, -100])
        try stereo.finish()
        let a = try Kit.read(dir + "/a.wav")
        #expect(Self.rawSamples(a, try WAVHeader.parse(a)) == [100, 100, -100, -100])
        let mono = try WAVRecorder(path: dir + "/b.wav", sampleRate: 8000)
        mono.append(left: [100, .max], right: [300])
        try mono.finish()
        let b = try Kit.read(dir + "/b.wav")
        #expect(Self.rawSamples(b, try WAVHeader.parse(b)) == [200, 16383])
    }

    @Test func maxDurationDropsAndReportsTheExcess() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let recorder = try WAVRecorder(path: dir + "/max.wav", sampleRate: 8000, maxDurationMs: 1000)
        let chunk = [Int16](repeating: 9, count: 3000)
        #expect(recorder.append(mono: chunk) == 3000)
        #expect(recorder.append(mono: chunk) == 3000)
        #expect(!recorder.reachedMaxDuration)
        #expect(recorder.append(mono: chunk) == 2000)
        #expect(recorder.reachedMaxDuration && recorder.droppedFrames == 1000)
        #expect(recorder.append(mono: chunk) == 0)
        #expect(recorder.droppedFrames == 4000)
        let result = try recorder.finish()
        #expect(result.durationMs == 1000 && result.bytes == 44 + 16_000)
        #expect(try WAVHeader.parse(Kit.read(dir + "/max.wav")).frameCount == 8000)
    }

    @Test func flushedAudioSurvivesWithoutFinish() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let path = dir + "/crash.wav"
        let recorder = try WAVRecorder(path: path, sampleRate: 8000)
        #expect(try WAVHeader.parse(Kit.read(path)).dataByteCount == 0)  // placeholder is a valid empty file
        recorder.append(mono: (0 ..< 20_000).map { Int16(truncatingIfNeeded: $0) })
        // Simulated crash: read the file while the recorder is still open.
        let bytes = try Kit.read(path)
        let header = try WAVHeader.parse(bytes)
        #expect(header.dataByteCount == WAVRecorder.bufferSize)
        #expect(Self.rawSamples(bytes, header) == (0 ..< 16_384).map { Int16(truncatingIfNeeded: $0) })
        try recorder.finish()
    }

    @Test func finishIsIdempotentAndLaterAppendsAreDropped() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let recorder = try WAVRecorder(path: dir + "/f.wav", sampleRate: 16000)
        recorder.append(mono: [Int16](repeating: 1, count: 320))
        let first = try recorder.finish()
        #expect(first.durationMs == 20 && first.bytes == 44 + 640)
        #expect(recorder.append(mono: [1, 2, 3]) == 0 && recorder.droppedFrames == 3)
        let second = try recorder.finish()
        #expect(second.durationMs == first.durationMs && second.bytes == first.bytes)
        #expect(recorder.isFinished)
    }

    @Test func deinitFinishesTheFile() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let path = dir + "/d.wav"
        do {
            let recorder = try WAVRecorder(path: path, sampleRate: 8000)
            recorder.append(mono: [1, 2, 3, 4, 5])
        }
        var source = try WAVFileSource(path: path)
        #expect(Kit.drain(&source) == [1, 2, 3, 4, 5])
    }

    @Test func emptyRecordingIsAValidFile() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        let recorder = try WAVRecorder(path: dir + "/e.wav", sampleRate: 8000, channels: 2)
        #expect(recorder.append(mono: []) == 0)
        let result = try recorder.finish()
        #expect(result.durationMs == 0 && result.bytes == 44)
        let bytes = try Kit.read(dir + "/e.wav")
        #expect(bytes.count == 44)
        #expect(try WAVHeader.parse(bytes).dataByteCount == 0)
    }

    @Test func invalidParametersAndIOFailuresThrow() throws {
        let dir = try Kit.makeTempDir()
        defer { Kit.removeTemp(dir) }
        #expect(throws: WAVError.unsupportedChannels(3)) { try WAVRecorder(path: dir + "/x.wav", sampleRate: 8000, channels: 3) }
        #expect(throws: WAVError.invalidSampleRate(0)) { try WAVRecorder(path: dir + "/x.wav", sampleRate: 0) }
        #expect(throws: WAVError.io(operation: "create", path: dir + "/no/such/dir.wav", errno: 2)) {
            try WAVRecorder(path: dir + "/no/such/dir.wav", sampleRate: 8000)
        }
        #if os(Linux)
        #expect(throws: WAVError.io(operation: "write", path: "/dev/full", errno: 28)) {  // ENOSPC
            try WAVRecorder(path: "/dev/full", sampleRate: 8000)
        }
        #endif
    }
}
