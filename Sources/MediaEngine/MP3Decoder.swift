// MP3 (MPEG-1/2/2.5 audio, layers I–III) to mono PCM through libmpg123's feed API.
//
// Why the feed API: prompts arrive as bytes from HTTP or the disk cache, so we push them
// into the decoder in slices (`mpg123_decode`) instead of handing libmpg123 a file or fd.
// Output is forced to mono signed 16-bit: `mpg123_format_none` then only MPG123_MONO /
// MPG123_ENC_SIGNED_16 at every rate the library knows, plus the MPG123_MONO_MIX flag so a
// stereo stream is mixed (L+R)/2 by the decoder rather than reduced to its left channel.
//
// The sample rate is the first frame's; a stream that changes rate midway (concatenated
// files) raises MPG123_NEW_FORMAT again, and later segments are linearly resampled to the
// first rate so the result stays one buffer at one rate. The duration cap is enforced
// while decoding, so a tiny file that expands to hours stops early.
//
// libmpg123 ≥ 1.27 (Debian 12 ships 1.31) needs no `mpg123_init`; `mpg123_param` is a C
// macro for `mpg123_param2`, which is what Swift sees.

import CMpg123

/// Owns one libmpg123 handle for one decode; not shared between threads.
final class MP3Decoder: @unchecked Sendable {
    // @unchecked: the handle is created, used by a single `decode` call and freed in deinit;
    // the instance never escapes `AudioDecoder.decode`.
    private let handle: OpaquePointer?
    private let maxDurationSeconds: Int

    /// Bytes pushed into libmpg123 per call (keeps its internal buffer chain small).
    private static let feedSlice = 16 * 1024
    /// Output buffer size in samples per `mpg123_decode` call.
    private static let outputSamples = 16 * 1024

    /// Creates the decoder handle; a failure surfaces from `decode`.
    init(maxDurationSeconds: Int) {
        self.maxDurationSeconds = max(0, maxDurationSeconds)
        var error: Int32 = 0
        handle = mpg123_new(nil, &error)
    }

    deinit {
        if let handle { mpg123_delete(handle) }
    }

    /// Decodes a complete MP3 byte stream held in memory.
    func decode(_ bytes: [UInt8]) throws(AudioDecodeError) -> DecodedAudio {
        guard let handle else { throw AudioDecodeError(.corrupt, "MP3: libmpg123 could not create a decoder") }
        try configure(handle)
        var segments = SegmentCollector(maxMicroseconds: maxDurationSeconds.multipliedReportingOverflow(by: 1_000_000).partialValue,
                                        maxDurationSeconds: maxDurationSeconds)
        var output = [Int16](repeating: 0, count: Self.outputSamples)
        var start = 0
        repeat {
            let end = min(bytes.count, start + Self.feedSlice)
            try bytes.withUnsafeBufferPointer { input throws(AudioDecodeError) in
                guard let base = input.baseAddress else { return }
                try drain(handle, feeding: base + start, count: end - start, into: &output, segments: &segments)
            }
            start = end
        } while start < bytes.count
        return try segments.finish()
    }

    /// Feeds one slice, then pulls decoded audio until libmpg123 asks for more input.
    private func drain(_ handle: OpaquePointer, feeding input: UnsafePointer<UInt8>, count: Int,
                       into output: inout [Int16], segments: inout SegmentCollector) throws(AudioDecodeError) {
        var pending: (pointer: UnsafePointer<UInt8>?, count: Int) = (input, count)
        while true {
            var done = 0
            let result = output.withUnsafeMutableBytes { out in
                mpg123_decode(handle, pending.pointer, pending.count, out.baseAddress, out.count, &done)
            }
            pending = (nil, 0)
            let produced = min(done / 2, output.count)
            if produced > 0 { try segments.append(output[0..<produced]) }
            switch result {
            case MPG123_OK.rawValue:
                continue
            case MPG123_NEW_FORMAT.rawValue:
                try segments.startSegment(rate: try currentRate(handle))
            case MPG123_NEED_MORE.rawValue, MPG123_DONE.rawValue:
                return
            default:
                let reason = String(cString: mpg123_strerror(handle))
                throw AudioDecodeError(.corrupt, "MP3: \(reason)")
            }
        }
    }

    /// Mono, signed 16-bit at any supported rate; quiet; stereo mixed down by the decoder.
    private func configure(_ handle: OpaquePointer) throws(AudioDecodeError) {
        let flags = Int(MPG123_QUIET.rawValue | MPG123_MONO_MIX.rawValue)
        guard mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), flags, 0) == MPG123_OK.rawValue,
              mpg123_format_none(handle) == MPG123_OK.rawValue else {
            throw AudioDecodeError(.corrupt, "MP3: libmpg123 rejected the decoder settings")
        }
        var list: UnsafePointer<Int>?
        var count = 0
        mpg123_rates(&list, &count)
        if let list {
            for i in 0..<count {
                _ = mpg123_format(handle, list[i], Int32(MPG123_MONO.rawValue), Int32(MPG123_ENC_SIGNED_16.rawValue))
            }
        }
        guard mpg123_open_feed(handle) == MPG123_OK.rawValue else {
            throw AudioDecodeError(.corrupt, "MP3: libmpg123 could not open a feed stream")
        }
    }

    /// The output rate after MPG123_NEW_FORMAT; anything but mono s16 is a decoder surprise.
    private func currentRate(_ handle: OpaquePointer) throws(AudioDecodeError) -> Int {
        var rate = 0
        var channels: Int32 = 0
        var encoding: Int32 = 0
        guard mpg123_getformat(handle, &rate, &channels, &encoding) == MPG123_OK.rawValue,
              channels == 1, encoding == Int32(MPG123_ENC_SIGNED_16.rawValue), rate > 0 else {
            throw AudioDecodeError(.corrupt, "MP3: unexpected output format (\(rate) Hz, \(channels) ch, encoding \(encoding))")
        }
        return rate
    }
}

/// Collects decoded pieces per output rate and joins them at the first rate.
struct SegmentCollector {
    private var segments: [(rate: Int, samples: [Int16])] = []
    private var microseconds = 0
    private let maxMicroseconds: Int
    private let maxDurationSeconds: Int

    init(maxMicroseconds: Int, maxDurationSeconds: Int) {
        self.maxMicroseconds = maxMicroseconds
        self.maxDurationSeconds = maxDurationSeconds
    }

    /// Begins a new piece at `rate` (the first call fixes the output rate).
    mutating func startSegment(rate: Int) throws(AudioDecodeError) {
        if let last = segments.last, last.rate == rate { return }
        if let last = segments.last, last.samples.isEmpty { segments.removeLast() }
        segments.append((rate, []))
    }

    /// Appends decoded samples to the current piece, enforcing the duration cap.
    mutating func append(_ samples: ArraySlice<Int16>) throws(AudioDecodeError) {
        guard !segments.isEmpty else { throw AudioDecodeError(.corrupt, "MP3: audio before a format was known") }
        let rate = segments[segments.count - 1].rate
        microseconds += AudioTiming.microseconds(samples: samples.count, sampleRate: rate)
        if microseconds > maxMicroseconds {
            throw AudioDecodeError(.tooLong, "the MP3 file lasts more than the \(maxDurationSeconds) s limit")
        }
        segments[segments.count - 1].samples.append(contentsOf: samples)
    }

    /// One buffer at the first segment's rate.
    func finish() throws(AudioDecodeError) -> DecodedAudio {
        guard let first = segments.first else {
            throw AudioDecodeError(.corrupt, "MP3: no decodable MPEG audio frames")
        }
        var samples = first.samples
        for segment in segments.dropFirst() {
            samples.append(contentsOf: Self.resample(segment.samples, from: segment.rate, to: first.rate))
        }
        guard !samples.isEmpty else { throw AudioDecodeError(.empty, "the MP3 file decodes to no audio") }
        return DecodedAudio(samples: samples, sampleRate: first.rate)
    }

    /// Linear interpolation from `from` Hz to `to` Hz; only for the rare mid-stream rate
    /// change, where a prompt boundary hides the lack of an anti-aliasing filter.
    static func resample(_ input: [Int16], from: Int, to: Int) -> [Int16] {
        guard from != to, from > 0, to > 0, !input.isEmpty else { return input }
        let outCount = Int((Double(input.count) * Double(to) / Double(from)).rounded(.down))
        let step = Double(from) / Double(to)
        var out = [Int16]()
        out.reserveCapacity(outCount)
        let last = input.count - 1
        for i in 0..<outCount {
            let position = Double(i) * step
            let index = min(Int(position), last)
            let next = min(index + 1, last)
            let fraction = position - Double(index)
            out.append(AudioTiming.clampToInt16(Double(input[index]) * (1 - fraction) + Double(input[next]) * fraction))
        }
        return out
    }
}
