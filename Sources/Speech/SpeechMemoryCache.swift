// A small in-memory LRU in front of the disk cache.
//
// IVR prompts repeat: the same greeting or menu is said on every call, and a `getDigits`
// retry says it again seconds later. Keeping the few most recent renderings in memory saves
// a file read and a WAV parse per `say`. It is bounded twice, by entries and by bytes, because
// one 4000-character text renders to ~10 MB: the byte bound, not the count, is what protects
// the daemon. Entries are few, so a linear scan beats a linked hash map here.

/// Least-recently-used map from cache key to rendering, bounded by entries and sample bytes.
struct SpeechMemoryCache: Sendable {
    /// Most entries kept (0 disables the cache).
    let maxEntries: Int
    /// Most sample bytes kept in total; a larger rendering is never kept.
    let maxBytes: Int
    /// Oldest first.
    private(set) var entries: [(key: String, speech: SynthesizedSpeech)] = []
    /// Sum of the entries' sample bytes.
    private(set) var bytes = 0

    /// An empty cache with the given bounds.
    init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = max(0, maxEntries)
        self.maxBytes = max(0, maxBytes)
    }

    /// The rendering for `key`, marking it most recently used.
    mutating func get(_ key: String) -> SynthesizedSpeech? {
        guard let index = entries.lastIndex(where: { $0.key == key }) else { return nil }
        let entry = entries.remove(at: index)
        entries.append(entry)
        return entry.speech
    }

    /// True if `key` is held (does not change the order).
    func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Stores `speech` as most recently used, evicting the oldest entries to fit both bounds.
    mutating func insert(_ key: String, _ speech: SynthesizedSpeech) {
        remove(key)
        let size = speech.samples.count * 2
        guard maxEntries > 0, size <= maxBytes else { return }
        while !entries.isEmpty, entries.count >= maxEntries || bytes + size > maxBytes {
            bytes -= entries.removeFirst().speech.samples.count * 2
        }
        entries.append((key, speech))
        bytes += size
    }

    /// Drops `key` if held.
    mutating func remove(_ key: String) {
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return }
        bytes -= entries.remove(at: index).speech.samples.count * 2
    }
}
