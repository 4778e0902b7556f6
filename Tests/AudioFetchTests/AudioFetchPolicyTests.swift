// Pure parts of AudioFetch: allow-list matching, Cache-Control/Expires freshness, HTTP
// dates, the decoded-audio memo and the cache file format.

import Foundation
import MediaEngine
import Testing
@testable import AudioFetch

@Suite struct AudioFetchPolicyTests {
    @Test func allowListMatchesExactAndWildcardHosts() {
        let list = HostAllowList(["Prompts.Example.com", "*.cdn.example.net", "10.0.0.5"])
        #expect(list.allows("prompts.example.com"))
        #expect(list.allows("PROMPTS.example.com."))
        #expect(!list.allows("evil-prompts.example.com"))
        #expect(!list.allows("example.com"))
        #expect(list.allows("a.cdn.example.net"))
        #expect(list.allows("a.b.cdn.example.net"))
        #expect(!list.allows("cdn.example.net"))
        #expect(!list.allows("xcdn.example.net"))
        #expect(list.allows("10.0.0.5"))
        #expect(!list.allows("10.0.0.50"))
        #expect(!HostAllowList([]).allows("example.com"))
    }

    @Test func promptURLValidation() {
        #expect((try? PromptURL.validate("https://a.example.com/x.mp3", allowList: nil).get())?.host == "a.example.com")
        #expect(PromptURL.validate("https://a.example.com/x.mp3", allowList: HostAllowList(["b.example.com"])).failure?.code
            == "play.host_not_allowed")
        #expect(PromptURL.validate("gopher://a/x", allowList: nil).failure?.code == "play.bad_url")
        let base = URL(string: "http://a.example.com/dir/x.wav")
        #expect((try? PromptURL.validate("y.wav", relativeTo: base, allowList: nil).get())?.absoluteString == "http://a.example.com/dir/y.wav")
    }

    @Test func cacheControlDirectives() {
        let d = CacheDirectives(["public, Max-Age=\"120\"", "must-revalidate"])
        #expect(d.maxAge == 120)
        #expect(d.mustRevalidate)
        #expect(!d.noStore && !d.noCache)
        #expect(CacheDirectives(["no-store"]).noStore)
        #expect(CacheDirectives(["no-cache=\"set-cookie\""]).noCache)
        #expect(CacheDirectives(["max-age=abc"]).maxAge == 0)
        #expect(CacheDirectives(["max-age=99999999999999999999"]).maxAge == 2_147_483_648)  // RFC 9111 §1.2.2
    }

    @Test func httpDateParsesIMFFixdate() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("0") == nil)
    }

    @Test func freshnessFromMaxAgeExpiresAndAge() throws {
        let now = 1_000_000.0
        let maxAge = try #require(CacheMetadata.make(url: "u", headers: [("Cache-Control", "max-age=60"), ("Age", "20")], now: now, bodyLength: 0))
        #expect(maxAge.isFresh(now: now + 39))
        #expect(!maxAge.isFresh(now: now + 40))
        let expires = try #require(CacheMetadata.make(url: "u", headers: [("Date", "Sun, 06 Nov 1994 08:49:37 GMT"),
                                                                          ("Expires", "Sun, 06 Nov 1994 08:50:37 GMT")], now: now, bodyLength: 0))
        #expect(expires.lifetime == 60)
        let invalidExpires = try #require(CacheMetadata.make(url: "u", headers: [("Expires", "0")], now: now, bodyLength: 0))
        #expect(!invalidExpires.isFresh(now: now))
        let noCache = try #require(CacheMetadata.make(url: "u", headers: [("Cache-Control", "no-cache, max-age=600")], now: now, bodyLength: 0))
        #expect(!noCache.isFresh(now: now))
        #expect(CacheMetadata.make(url: "u", headers: [("cache-control", "No-Store")], now: now, bodyLength: 0) == nil)
    }

    @Test func notModifiedRefreshesAndUpdatesValidators() throws {
        let entry = try #require(CacheMetadata.make(url: "u", headers: [("ETag", "\"1\""), ("Cache-Control", "max-age=10")], now: 0, bodyLength: 3))
        let refreshed = try #require(entry.refreshed(by: [("ETag", "\"2\"")], now: 100))
        #expect(refreshed.etag == "\"2\"")
        #expect(refreshed.isFresh(now: 105))
        #expect(refreshed.lifetime == 10)
        #expect(entry.refreshed(by: [("Cache-Control", "no-store")], now: 100) == nil)
        #expect(entry.conditionalHeaders.map(\.0) == ["If-None-Match"])
    }

    @Test func memoEvictsLeastRecentlyUsed() {
        var memo = DecodedAudioMemo(maxEntries: 2, maxSamples: 10)
        let a = DecodedAudio(samples: [1, 2, 3], sampleRate: 8000)
        memo.put("a", a)
        memo.put("b", DecodedAudio(samples: [4], sampleRate: 8000))
        #expect(memo.get("a") == a)           // a is now most recent
        memo.put("c", DecodedAudio(samples: [5], sampleRate: 8000))
        #expect(memo.get("b") == nil)
        #expect(memo.get("a") == a)
        memo.put("big", DecodedAudio(samples: [Int16](repeating: 0, count: 11), sampleRate: 8000))
        #expect(memo.count == 2)
        memo.put("d", DecodedAudio(samples: [Int16](repeating: 0, count: 9), sampleRate: 8000))
        #expect(memo.count == 1)               // sample budget forces out a and c
    }

    @Test func diskCacheRoundTripsAndRejectsDamagedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("play-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = AudioDiskCache(directory: directory)
        let metadata = try #require(CacheMetadata.make(url: "http://h/a", headers: [("ETag", "\"x\"")], now: 5, bodyLength: 4))
        cache.store(metadata, body: [1, 2, 3, 4])
        let loaded = try #require(cache.load(url: "http://h/a"))
        #expect(loaded.metadata == metadata)
        #expect(loaded.body == [1, 2, 3, 4])
        #expect(cache.load(url: "http://h/b") == nil)
        let path = cache.path(for: "http://h/a")
        let bytes = try Data(contentsOf: path)
        try bytes.dropLast().write(to: path)
        #expect(cache.load(url: "http://h/a") == nil)
        try Data("garbage".utf8).write(to: path)
        #expect(cache.load(url: "http://h/a") == nil)
        #expect(AudioDiskCache.key(for: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
