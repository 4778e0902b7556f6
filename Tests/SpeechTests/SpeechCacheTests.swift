// The disk + memory cache in front of a synthesizer.

import Foundation
import Testing
@testable import Speech
import MediaEngine

@Suite struct SpeechCacheTests {
    let request = SpeechRequest(text: "Karibu, bonyeza moja", voice: "woman", language: "sw-KE")

    @Test func secondRequestIsAHit() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let engine = CountingSynthesizer(ToneSynthesizer())
        let cache = SpeechCache(engine: engine, directory: folder.path)
        #expect(await cache.cached(request) == false)
        let first = try await cache.synthesize(request)
        #expect(await cache.cached(request))
        let path = cache.path(for: request)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(path.hasPrefix(folder.path + "/" + cache.key(for: request).prefix(2) + "/"))
        let second = try await cache.synthesize(request)
        #expect(second == first)
        #expect(engine.calls == 1)
        // A new cache over the same folder (another process, a restart) reads the file.
        let restarted = SpeechCache(engine: engine, directory: folder.path)
        let third = try await restarted.synthesize(request)
        #expect(third == first)
        #expect(engine.calls == 1)
        #expect(await restarted.statistics.diskHits == 1)
        #expect(await cache.statistics.memoryHits == 1)
    }

    @Test func cacheFileIsAValidWAV() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let cache = SpeechCache(engine: ToneSynthesizer(), directory: folder.path)
        let speech = try await cache.synthesize(request)
        var source = try WAVFileSource(path: cache.path(for: request))
        #expect(source.header.format == .pcm16 && source.header.channels == 1)
        #expect(source.sampleRate == speech.sampleRate)
        #expect(source.frameCount == speech.samples.count)
        var buffer = [Int16](repeating: 0, count: speech.samples.count)
        let n = buffer.withUnsafeMutableBufferPointer { source.read(into: $0) }
        #expect(n == speech.samples.count && buffer == speech.samples)
        // No temporary files are left behind.
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        #expect(files.filter { $0.hasSuffix(".tmp") }.isEmpty)
        #expect(files.filter { $0.hasSuffix(".wav") }.count == 1)
    }

    @Test func concurrentIdenticalRequestsSynthesizeOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let counting = CountingSynthesizer(ToneSynthesizer())
        let gate = GatedSynthesizer(counting)
        let cache = SpeechCache(engine: gate, directory: folder.path, memoryEntries: 0)
        let results = Task {
            try await withThrowingTaskGroup(of: SynthesizedSpeech.self) { group in
                for _ in 0..<8 { group.addTask { try await cache.synthesize(request) } }
                var all: [SynthesizedSpeech] = []
                for try await s in group { all.append(s) }
                return all
            }
        }
        // Wait (bounded) until the 7 followers have joined the first request, then release it.
        for _ in 0..<2000 where await cache.statistics.coalesced < 7 {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(await cache.statistics.coalesced == 7)
        gate.open()
        let all = try await results.value
        #expect(all.count == 8)
        #expect(Set(all.map(\.samples)).count == 1)
        #expect(counting.calls == 1)
        #expect(await cache.statistics.misses == 1)
    }

    @Test func concurrentRealEspeakRequestsSynthesizeOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let engine = CountingSynthesizer(EspeakSynthesizer())
        let cache = SpeechCache(engine: engine, directory: folder.path)
        let all = try await withThrowingTaskGroup(of: SynthesizedSpeech.self) { group in
            for _ in 0..<8 { group.addTask { try await cache.synthesize(request) } }
            var all: [SynthesizedSpeech] = []
            for try await s in group { all.append(s) }
            return all
        }
        #expect(engine.calls == 1)
        #expect(Set(all.map(\.samples)).count == 1)   // everyone got the one rendering
        #expect(all.first?.sampleRate == 22050)
        #expect(await cache.cached(request))
    }

    @Test(arguments: [0, 20, 44, 100, 1000])
    func truncatedCacheFileIsHealed(keepBytes: Int) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let engine = CountingSynthesizer(ToneSynthesizer())
        let first = try await SpeechCache(engine: engine, directory: folder.path).synthesize(request)
        let cache = SpeechCache(engine: engine, directory: folder.path)
        let path = cache.path(for: request)
        #expect(truncate(path, off_t(keepBytes)) == 0)
        #expect(await cache.cached(request))   // the damaged file is there ...
        let healed = try await cache.synthesize(request)
        #expect(healed == first)                // ... but not served
        #expect(engine.calls == 2)
        #expect(await cache.statistics.healed == 1)
        // The file was rewritten whole.
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.size] as? Int) == 44 + 2 * first.samples.count)
        let again = try await SpeechCache(engine: engine, directory: folder.path).synthesize(request)
        #expect(again == first && engine.calls == 2)
    }

    @Test func garbageCacheFileIsHealed() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let engine = CountingSynthesizer(ToneSynthesizer())
        let cache = SpeechCache(engine: engine, directory: folder.path)
        let path = cache.path(for: request)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data("RIFF....WAVEjunk not audio at all".utf8).write(to: URL(fileURLWithPath: path))
        let speech = try await cache.synthesize(request)
        #expect(!speech.samples.isEmpty)
        #expect(engine.calls == 1)
        #expect(await cache.statistics.healed == 1)
        #expect(try WAVFileSource(path: path).frameCount == speech.samples.count)
    }

    @Test func differentRequestsGetDifferentKeys() {
        let base = SpeechRequest(text: "Karibu", voice: "woman", language: "sw-KE")
        let key = SpeechCache.key(engineID: "e", request: base)
        #expect(key.count == 64 && key.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
        var keys: Set<String> = [key]
        for r in [SpeechRequest(text: "Karibu!", voice: "woman", language: "sw-KE"),
                  SpeechRequest(text: "Karibu", voice: "man", language: "sw-KE"),
                  SpeechRequest(text: "Karibu", voice: "woman", language: "en-KE"),
                  // Moving characters between fields must not collide (length-prefixed fields).
                  SpeechRequest(text: "Karibu", voice: "womansw", language: "-KE"),
                  SpeechRequest(text: "woman|Karibu", voice: "", language: "sw-KE")] {
            keys.insert(SpeechCache.key(engineID: "e", request: r))
        }
        keys.insert(SpeechCache.key(engineID: "other-engine", request: base))
        #expect(keys.count == 7)
        // Language tags are case-insensitive (RFC 5646 §2.1.1).
        #expect(SpeechCache.key(engineID: "e", request: SpeechRequest(text: "Karibu", voice: "woman", language: "SW-ke")) == key)
        // Stable across runs: this value is what files on disk are named after.
        #expect(SpeechCache.key(engineID: "e", request: base) == key)
    }

    @Test func errorsAreNotCached() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let engine = CountingSynthesizer(ToneSynthesizer())
        let cache = SpeechCache(engine: engine, directory: folder.path)
        let bad = SpeechRequest(text: "Hello", language: "xx")
        for _ in 0..<2 {
            do {
                _ = try await cache.synthesize(bad)
                Issue.record("expected an error")
            } catch {
                #expect(error.code == .languageUnsupported)
            }
        }
        #expect(engine.calls == 2)
        #expect(await cache.cached(bad) == false)
        // Limits are checked before the engine or the disk is touched.
        do {
            _ = try await cache.synthesize(SpeechRequest(text: String(repeating: "x", count: 4001)))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .textTooLong)
        }
        #expect(engine.calls == 2)
    }

    @Test func unwritableDirectoryStillServesAudio() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A regular file where the cache folder should be: every write fails.
        let blocker = folder.path + "/not-a-dir"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data([1])))
        let engine = CountingSynthesizer(ToneSynthesizer())
        let cache = SpeechCache(engine: engine, directory: blocker, memoryEntries: 0)
        let a = try await cache.synthesize(request)
        let b = try await cache.synthesize(request)
        #expect(a == b && engine.calls == 2)
    }

    @Test func cacheIsASynthesizerWithTheEnginesID() {
        let cache: any SpeechSynthesizer = SpeechCache(engine: ToneSynthesizer(), directory: "/tmp/x/")
        #expect(cache.engineID == "tone/1")
        #expect((cache as? SpeechCache)?.directory == "/tmp/x")
    }
}
