// A small in-memory LRU of decoded prompts, so a hot prompt (the IVR greeting every call
// hears) is not re-decoded from disk on each play.
//
// Keyed by (URL, validator): a new ETag/Last-Modified is a new key, so a replaced file can
// never be served from memory. Responses without validators are not memoised, since we
// could not tell two versions apart. Bounded by entry count and total samples.

import MediaEngine

/// Least-recently-used map from (url, validator) to decoded audio; a value type guarded
/// by the fetcher's lock.
struct DecodedAudioMemo {
    private var entries: [(key: String, audio: DecodedAudio)] = []
    private var totalSamples = 0
    let maxEntries: Int
    let maxSamples: Int

    init(maxEntries: Int, maxSamples: Int) {
        self.maxEntries = max(0, maxEntries)
        self.maxSamples = max(0, maxSamples)
    }

    /// The memo key for `url` with `metadata`'s validator, or nil if it has none.
    static func key(url: String, metadata: CacheMetadata) -> String? {
        guard let validator = metadata.etag ?? metadata.lastModified.map({ "lm:" + $0 }) else { return nil }
        return url + "\u{0}" + validator
    }

    /// Looks up `key` and marks it most recently used.
    mutating func get(_ key: String) -> DecodedAudio? {
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let entry = entries.remove(at: index)
        entries.append(entry)
        return entry.audio
    }

    /// Inserts `audio`, evicting least recently used entries to stay within the bounds.
    mutating func put(_ key: String, _ audio: DecodedAudio) {
        guard audio.samples.count <= maxSamples, maxEntries > 0 else { return }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            totalSamples -= entries.remove(at: index).audio.samples.count
        }
        entries.append((key, audio))
        totalSamples += audio.samples.count
        while entries.count > maxEntries || totalSamples > maxSamples, !entries.isEmpty {
            totalSamples -= entries.removeFirst().audio.samples.count
        }
    }

    /// Number of memoised prompts.
    var count: Int { entries.count }
}
