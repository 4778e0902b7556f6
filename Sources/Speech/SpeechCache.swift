// A caching front for any SpeechSynthesizer.
//
// spec/voice-actions.md §3: "synthesised audio is cached by (text, voice, language)". The
// key is the SHA-256 of the engine id and those three fields, each length-prefixed so no
// choice of field contents can make two different requests hash the same input
// ("a|b" + "c" vs "a" + "b|c"). The language is lower-cased first: RFC 5646 §2.1.1 makes
// tags case-insensitive, so "sw-KE" and "sw-ke" share one rendering.
//
// Lookup order: the in-memory LRU, then the disk file, then the engine. Concurrent misses of
// one key coalesce: the first caller starts a detached task (disk read + synthesis + write,
// all off the actor so the actor never blocks), later callers await the same task, and the
// engine runs once. Errors are not cached: the next request tries again. A file that fails
// validation is deleted and re-rendered (see SpeechCacheFile for the atomic write).

import Crypto

/// Caches another synthesizer's output in memory and on disk, rendering each request once.
public actor SpeechCache: SpeechSynthesizer {
    /// Counters for metrics.
    public struct Statistics: Sendable, Equatable {
        /// Served from the in-memory LRU.
        public var memoryHits = 0
        /// Served from a cache file.
        public var diskHits = 0
        /// Rendered by the engine.
        public var misses = 0
        /// Joined a rendering already in flight.
        public var coalesced = 0
        /// Cache files found corrupt and re-rendered.
        public var healed = 0
    }

    /// The wrapped engine's id: the cache returns exactly that engine's audio.
    public nonisolated let engineID: String
    /// Root folder of the cache files.
    public nonisolated let directory: String
    /// The wrapped engine.
    private let engine: any SpeechSynthesizer
    /// Renderings in flight by key, each with its outcome and whether it came from disk.
    private var inFlight: [String: Task<Outcome, Never>] = [:]
    /// Recent renderings.
    private var memory: SpeechMemoryCache
    /// Counters since creation.
    public private(set) var statistics = Statistics()

    /// What a lookup task produced.
    private struct Outcome: Sendable {
        var result: Result<SynthesizedSpeech, SpeechError>
        var source: Source
        enum Source: Sendable { case disk, engine, healed }
    }

    /// Wraps `engine`, storing files under `directory` (created on first write) and keeping up
    /// to `memoryEntries` recent renderings, `memoryBytes` in total, in memory.
    public init(engine: any SpeechSynthesizer, directory: String,
                memoryEntries: Int = 8, memoryBytes: Int = 8 * 1024 * 1024) {
        self.engine = engine
        engineID = engine.engineID
        // A trailing "/" would only double the separator in paths; strip it (keep "/" itself).
        var dir = directory
        while dir.count > 1, dir.hasSuffix("/") { dir.removeLast() }
        self.directory = dir
        memory = SpeechMemoryCache(maxEntries: memoryEntries, maxBytes: memoryBytes)
    }

    /// The cached rendering of `request`, rendering (once) and storing it on a miss.
    public func synthesize(_ request: SpeechRequest) async throws(SpeechError) -> SynthesizedSpeech {
        // Engine-independent limits first: no hashing of, or disk access for, hopeless requests.
        try request.validate()
        let key = key(for: request)
        if let speech = memory.get(key) {
            statistics.memoryHits += 1
            return speech
        }
        if let running = inFlight[key] {
            statistics.coalesced += 1
            return try await running.value.result.get()
        }
        let task = Task.detached { [engine, directory] in
            await Self.lookUpOrRender(request, key: key, directory: directory, engine: engine)
        }
        inFlight[key] = task
        let outcome = await task.value
        inFlight[key] = nil
        switch outcome.source {
        case .disk: statistics.diskHits += 1
        case .engine: statistics.misses += 1
        case .healed: statistics.misses += 1; statistics.healed += 1
        }
        if case .success(let speech) = outcome.result { memory.insert(key, speech) }
        return try outcome.result.get()
    }

    /// True if `request` would be served without the engine (in memory or a file on disk).
    public func cached(_ request: SpeechRequest) -> Bool {
        let key = key(for: request)
        return memory.contains(key) || SpeechCacheFile.exists(SpeechCacheFile.path(directory: directory, key: key))
    }

    /// The cache file path for `request` (which may not exist yet).
    public nonisolated func path(for request: SpeechRequest) -> String {
        SpeechCacheFile.path(directory: directory, key: key(for: request))
    }

    /// The 64-hex-digit cache key of `request` under this cache's engine.
    public nonisolated func key(for request: SpeechRequest) -> String {
        Self.key(engineID: engineID, request: request)
    }

    /// SHA-256 hex of "sautipbx-tts-v1" and the length-prefixed engine id, language (lower
    /// case), voice and text.
    public static func key(engineID: String, request: SpeechRequest) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("sautipbx-tts-v1\n".utf8))
        for field in [engineID, asciiLowercased(request.language), request.voice, request.text] {
            let bytes = Array(field.utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hasher.finalize() {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Off-actor: the disk file if valid, else a fresh rendering written back to disk.
    private static func lookUpOrRender(_ request: SpeechRequest, key: String, directory: String,
                                       engine: any SpeechSynthesizer) async -> Outcome {
        let path = SpeechCacheFile.path(directory: directory, key: key)
        var source = Outcome.Source.engine
        switch SpeechCacheFile.load(path) {
        case .hit(let speech):
            return Outcome(result: .success(speech), source: .disk)
        case .corrupt:
            SpeechCacheFile.remove(path)
            source = .healed
        case .missing:
            break
        }
        do throws(SpeechError) {
            let speech = try await engine.synthesize(request)
            // A failed write (full disk, read-only folder) costs a re-render later, not this call.
            SpeechCacheFile.store(speech, directory: directory, key: key)
            return Outcome(result: .success(speech), source: source)
        } catch {
            return Outcome(result: .failure(error), source: source)
        }
    }

    /// Lower-cases ASCII letters only (language tags are ASCII; RFC 5646 §2.1.1).
    private static func asciiLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 },
               as: UTF8.self)
    }
}
