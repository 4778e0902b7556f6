// Incremental 16-bit PCM WAV writer for call recordings.
//
// The header (canonical 44-byte PCM layout, see WAVFile.swift) is written first with sizes
// for zero samples. Samples go into a fixed 32 KiB buffer allocated once; each time it fills
// it is written with write(2) and the header is rewritten in place with one pwrite(2), so a
// crash or kill leaves a valid file holding everything flushed so far. `finish` flushes the
// rest, patches the RIFF and data sizes for the final length and closes the file.
//
// Stereo recordings put one leg per channel (left = first leg, right = second); when one
// side delivered fewer samples in a tick, it is padded with silence so the channels stay
// aligned in time.
//
// Threading: the recorder is a class so a media worker can own it by reference, and is
// `@unchecked Sendable` so it can be handed to that worker; all calls must then come from
// that one worker (serial queue). It has no locks on purpose.

/// Writes a mono or stereo 16-bit PCM WAV file incrementally.
public final class WAVRecorder: @unchecked Sendable {
    /// Size of the in-memory write buffer.
    public static let bufferSize = 32 * 1024

    /// The file being written.
    public let path: String
    /// Frames per second.
    public let sampleRate: Int
    /// 1 or 2.
    public let channels: Int
    /// Recording limit; appends beyond it are dropped and counted in `droppedFrames`.
    public let maxDurationMs: Int?
    /// Frames accepted so far (written or buffered).
    public private(set) var framesAccepted = 0
    /// Frames refused because of `maxDurationMs`, the 4 GiB WAV limit, `finish` or an I/O error.
    public private(set) var droppedFrames = 0
    /// The first I/O error; once set, appends are dropped and `finish` throws it.
    public private(set) var failure: WAVError?
    /// True once `finish` has run.
    public private(set) var isFinished = false

    private var fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    /// Data bytes already written to the file.
    private var bytesOnDisk = 0
    private let bytesPerFrame: Int
    private let maxFrames: Int

    /// Creates (truncating) `path` and writes a header with placeholder sizes.
    public init(path: String, sampleRate: Int, channels: Int = 1, maxDurationMs: Int? = nil,
                permissions: Int = 0o640) throws(WAVError) {
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        guard sampleRate > 0, sampleRate <= WAVHeader.maxSampleRate else { throw .invalidSampleRate(sampleRate) }
        self.path = path
        self.sampleRate = sampleRate
        self.channels = channels
        self.maxDurationMs = maxDurationMs
        bytesPerFrame = 2 * channels
        // The data size must fit the 32-bit RIFF size field (RIFF size = 36 + data).
        let wavLimit = (Int(UInt32.max) - WAVHeader.pcmHeaderSize) / bytesPerFrame
        maxFrames = maxDurationMs.map { min(AudioTiming.samples(ms: $0, sampleRate: sampleRate), wavLimit) } ?? wavLimit
        // Everything that can fail happens before the object is complete: a class whose
        // init throws after that point would still run deinit (closing and freeing twice).
        let header = try WAVHeader.build(format: .pcm16, channels: channels, sampleRate: sampleRate,
                                         dataByteCount: 0)
        let fd = try AudioFileIO.createFile(path: path, permissions: permissions)
        do throws(WAVError) {
            try header.withWAVBytes { raw throws(WAVError) in
                guard let base = raw.baseAddress else { return }
                try AudioFileIO.writeAll(fd, base, count: raw.count, path: path)
            }
        } catch {
            _ = try? AudioFileIO.closeFile(fd, path: path)
            throw error
        }
        self.fd = fd
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 8)
    }

    deinit {
        if !isFinished { _ = try? finish() }
        buffer.deallocate()
    }

    /// Recorded duration so far in milliseconds.
    public var durationMs: Int { AudioTiming.milliseconds(samples: framesAccepted, sampleRate: sampleRate) }
    /// True once appends are being dropped because `maxDurationMs` was reached.
    public var reachedMaxDuration: Bool { framesAccepted >= maxFrames }

    /// Appends mono samples (on a stereo recorder they go to both channels); returns the
    /// number of frames accepted — fewer than `samples.count` once the limit is reached.
    @discardableResult
    public func append(mono samples: UnsafeBufferPointer<Int16>) -> Int {
        let stereo = channels == 2
        return appendFrames(samples.count) { out, frame, count in
            if stereo {
                for i in 0..<count {
                    let s = samples[frame + i].littleEndian
                    out.storeBytes(of: s, toByteOffset: 4 * i, as: Int16.self)
                    out.storeBytes(of: s, toByteOffset: 4 * i + 2, as: Int16.self)
                }
            } else {
                for i in 0..<count {
                    out.storeBytes(of: samples[frame + i].littleEndian, toByteOffset: 2 * i, as: Int16.self)
                }
            }
        }
    }

    /// Appends one leg per channel, padding the shorter side with silence; on a mono
    /// recorder the two are mixed as (L + R) / 2. Returns the number of frames accepted.
    @discardableResult
    public func append(left: UnsafeBufferPointer<Int16>, right: UnsafeBufferPointer<Int16>) -> Int {
        let stereo = channels == 2
        return appendFrames(max(left.count, right.count)) { out, frame, count in
            for i in 0..<count {
                let j = frame + i
                let l = j < left.count ? left[j] : 0
                let r = j < right.count ? right[j] : 0
                if stereo {
                    out.storeBytes(of: l.littleEndian, toByteOffset: 4 * i, as: Int16.self)
                    out.storeBytes(of: r.littleEndian, toByteOffset: 4 * i + 2, as: Int16.self)
                } else {
                    let m = Int16(truncatingIfNeeded: (Int32(l) + Int32(r)) / 2)
                    out.storeBytes(of: m.littleEndian, toByteOffset: 2 * i, as: Int16.self)
                }
            }
        }
    }

    /// Appends mono samples from an array; see `append(mono:)` for buffers.
    @discardableResult
    public func append(mono samples: [Int16]) -> Int {
        samples.withUnsafeBufferPointer { append(mono: $0) }
    }

    /// Appends one leg per channel from arrays; see `append(left:right:)` for buffers.
    @discardableResult
    public func append(left: [Int16], right: [Int16]) -> Int {
        left.withUnsafeBufferPointer { l in right.withUnsafeBufferPointer { r in append(left: l, right: r) } }
    }

    /// Flushes, patches the RIFF and data sizes and closes the file; returns the recorded
    /// duration and the file's length. Calling it again returns the same values.
    @discardableResult
    public func finish() throws(WAVError) -> (durationMs: Int, bytes: Int) {
        if !isFinished {
            isFinished = true
            if failure == nil { flush() }
            do {
                try AudioFileIO.closeFile(fd, path: path)
            } catch {
                if failure == nil { failure = error }
            }
            fd = -1
        }
        if let failure { throw failure }
        let frames = bytesOnDisk / bytesPerFrame
        return (AudioTiming.milliseconds(samples: frames, sampleRate: sampleRate),
                WAVHeader.pcmHeaderSize + bytesOnDisk)
    }

    // MARK: Internals

    /// Accepts up to `frames` frames within the limits and lets `fill` encode them into the
    /// buffer in runs that fit, flushing whenever the buffer is full.
    private func appendFrames(_ frames: Int,
                              fill: (_ out: UnsafeMutableRawPointer, _ firstFrame: Int, _ count: Int) -> Void) -> Int {
        guard frames > 0 else { return 0 }
        guard !isFinished, failure == nil else {
            droppedFrames += frames
            return 0
        }
        let accepted = min(frames, maxFrames - framesAccepted)
        droppedFrames += frames - accepted
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < accepted {
            let room = (Self.bufferSize - buffered) / bytesPerFrame
            let n = min(room, accepted - done)
            fill(base + buffered, done, n)
            buffered += n * bytesPerFrame
            done += n
            if buffered + bytesPerFrame > Self.bufferSize {
                flush()
                if failure != nil {
                    droppedFrames += accepted - done
                    break
                }
            }
        }
        framesAccepted += done
        return done
    }

    /// Writes the buffer and rewrites the header for the new length; records the first error.
    private func flush() {
        guard buffered > 0, let base = buffer.baseAddress else { return }
        do throws(WAVError) {
            try AudioFileIO.writeAll(fd, base, count: buffered, path: path)
            bytesOnDisk += buffered
            buffered = 0
            try rewriteHeader(dataBytes: bytesOnDisk)
        } catch {
            failure = error
        }
    }

    /// Rewrites the 44-byte header in place for `dataBytes` of audio: one pwrite patches the
    /// RIFF size (offset 4) and the data size (offset 40).
    private func rewriteHeader(dataBytes: Int) throws(WAVError) {
        let header = try WAVHeader.build(format: .pcm16, channels: channels, sampleRate: sampleRate,
                                         dataByteCount: dataBytes)
        let fd = fd, path = path
        try header.withWAVBytes { raw throws(WAVError) in
            guard let base = raw.baseAddress else { return }
            try AudioFileIO.writeAll(fd, base, count: raw.count, at: 0, path: path)
        }
    }
}
