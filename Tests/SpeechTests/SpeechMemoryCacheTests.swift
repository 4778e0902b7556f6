// The in-memory LRU.

import Testing
@testable import Speech

@Suite struct SpeechMemoryCacheTests {
    func speech(_ n: Int) -> SynthesizedSpeech { SynthesizedSpeech(samples: Array(repeating: 1, count: n), sampleRate: 8000) }

    @Test func evictsLeastRecentlyUsedByCount() {
        var lru = SpeechMemoryCache(maxEntries: 2, maxBytes: 1 << 20)
        lru.insert("a", speech(1))
        lru.insert("b", speech(2))
        #expect(lru.get("a") == speech(1))   // a is now most recent
        lru.insert("c", speech(3))           // evicts b
        #expect(lru.contains("a") && lru.contains("c") && !lru.contains("b"))
        #expect(lru.bytes == 8)
    }

    @Test func evictsByBytesAndSkipsOversizedEntries() {
        var lru = SpeechMemoryCache(maxEntries: 10, maxBytes: 100)
        lru.insert("a", speech(30))   // 60 bytes
        lru.insert("b", speech(20))   // 40 bytes: total 100
        #expect(lru.entries.count == 2 && lru.bytes == 100)
        lru.insert("c", speech(10))   // evicts a
        #expect(!lru.contains("a") && lru.bytes == 60)
        lru.insert("huge", speech(51))  // 102 bytes > budget: never kept, nothing evicted
        #expect(!lru.contains("huge") && lru.entries.count == 2)
    }

    @Test func reinsertReplaces() {
        var lru = SpeechMemoryCache(maxEntries: 4, maxBytes: 1000)
        lru.insert("a", speech(5))
        lru.insert("a", speech(7))
        #expect(lru.entries.count == 1 && lru.bytes == 14 && lru.get("a") == speech(7))
    }

    @Test func zeroEntriesDisables() {
        var lru = SpeechMemoryCache(maxEntries: 0, maxBytes: 1000)
        lru.insert("a", speech(1))
        #expect(lru.get("a") == nil && lru.bytes == 0)
    }
}
