// On-disk format and file operations of the speech cache.
//
// One rendering per file: `<directory>/<aa>/<key>.wav`, a canonical 44-byte PCM16 mono WAV
// header (WAVHeader.build) followed by the samples, where `key` is the 64-hex-digit SHA-256 of
// the request and `aa` its first two digits (256 fan-out folders keep directories small).
//
// Writers never expose a partial file: they write `<aa>/.<key>.<pid>-<random>.tmp` (O_EXCL,
// same directory, so the same filesystem) and rename(2) it over the final name, which POSIX
// makes atomic: a concurrent reader, in this process or another, opens either no file or a
// whole one. Two processes racing on a miss both render and the last rename wins; the audio
// is identical. There is no fsync: after a power cut a file may be empty or short, which the
// reader detects (WAV data chunk shorter than declared) and heals by re-rendering.

import MediaEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// File operations for `SpeechCache` entries.
enum SpeechCacheFile {
    /// What was found at a cache path.
    enum Lookup: Sendable {
        /// A complete, valid rendering.
        case hit(SynthesizedSpeech)
        /// No file.
        case missing
        /// A file that is not a valid PCM16 mono WAV (truncated, garbage, unreadable).
        case corrupt
    }

    /// Largest cache file read back: 10 minutes at 48 kHz is 57.6 MB.
    static let maxFileBytes = 64 * 1024 * 1024

    /// `<directory>/<aa>` for `key`.
    static func folder(directory: String, key: String) -> String {
        "\(directory)/\(key.prefix(2))"
    }

    /// `<directory>/<aa>/<key>.wav`.
    static func path(directory: String, key: String) -> String {
        "\(folder(directory: directory, key: key))/\(key).wav"
    }

    /// True if a file exists at `path` (it may still turn out corrupt).
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Reads and validates the rendering at `path`.
    static func load(_ path: String) -> Lookup {
        var source: WAVFileSource
        do throws(WAVError) {
            source = try WAVFileSource(path: path, maxBytes: maxFileBytes)
        } catch {
            if case .io(operation: "open", _, let code) = error, code == ENOENT { return .missing }
            return .corrupt
        }
        let header = source.header
        // We only ever write PCM16 mono with at least one sample; anything else is damage.
        guard header.format == .pcm16, header.channels == 1, header.frameCount > 0,
              header.dataByteCount == 2 * header.frameCount else { return .corrupt }
        let count = header.frameCount
        let samples = [Int16](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = source.read(into: buffer)
        }
        guard samples.count == count else { return .corrupt }
        return .hit(SynthesizedSpeech(samples: samples, sampleRate: header.sampleRate))
    }

    /// Deletes the file at `path` (a missing file is fine).
    static func remove(_ path: String) { _ = unlink(path) }

    /// Writes `speech` atomically to its path under `directory`; returns false (and leaves no
    /// temporary file) on any failure, e.g. a full disk. Callers serve the audio regardless.
    @discardableResult
    static func store(_ speech: SynthesizedSpeech, directory: String, key: String) -> Bool {
        // An empty rendering would read back as corrupt; engines report `tts.empty` instead.
        guard !speech.samples.isEmpty else { return false }
        let folder = folder(directory: directory, key: key)
        guard makeDirectories(folder) else { return false }
        let byteCount = speech.samples.count * 2
        guard let header = try? WAVHeader.build(format: .pcm16, channels: 1, sampleRate: speech.sampleRate,
                                                dataByteCount: byteCount) else { return false }
        let temp = "\(folder)/.\(key).\(getpid())-\(UInt64.random(in: 0 ... .max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        var ok = header.withUnsafeBytes { writeAll(fd, $0) }
        if ok {
            ok = littleEndianBytes(speech.samples) { writeAll(fd, $0) }
        }
        // close can report delayed write errors (e.g. NFS), so its result counts too.
        ok = (close(fd) == 0) && ok
        guard ok, rename(temp, path(directory: directory, key: key)) == 0 else {
            _ = unlink(temp)
            return false
        }
        return true
    }

    /// Calls `body` with the samples as little-endian bytes (WAV byte order).
    private static func littleEndianBytes<R>(_ samples: [Int16], _ body: (UnsafeRawBufferPointer) -> R) -> R {
        #if _endian(little)
        return samples.withUnsafeBytes(body)
        #else
        return samples.map { $0.littleEndian }.withUnsafeBytes(body)
        #endif
    }

    /// write(2) until done, retrying EINTR.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var done = 0
        while done < bytes.count {
            let n = write(fd, base + done, bytes.count - done)
            if n > 0 {
                done += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// `mkdir -p` for an absolute or relative path; true if it exists afterwards.
    private static func makeDirectories(_ path: String) -> Bool {
        var info = stat()
        if stat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            // EEXIST: made meanwhile by another writer, or it was already there.
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { return false }
            prefix += "/"
        }
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
