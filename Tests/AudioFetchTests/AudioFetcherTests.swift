// AudioFetcher against a real HTTP origin (python3 http.server child): caching with
// validators, limits, allow-list and redirects, coalescing, stale fallback.

import Foundation
import MediaEngine
import Testing
@testable import AudioFetch

/// A small 8 kHz mono PCM WAV whose samples start with `marker`.
func promptWAV(_ marker: Int16, count: Int = 400) throws -> (bytes: [UInt8], samples: [Int16]) {
    let samples = (0..<count).map { Int16(truncatingIfNeeded: Int(marker) + $0) }
    var bytes = try WAVHeader.build(format: .pcm16, channels: 1, sampleRate: 8000, dataByteCount: samples.count * 2)
    for s in samples { bytes += [UInt8(truncatingIfNeeded: s), UInt8(truncatingIfNeeded: s >> 8)] }
    return (bytes, samples)
}

/// Runs `body` with a fresh origin, clock and fetcher; always shuts them down.
func withOrigin(configure: (inout AudioFetchConfiguration) -> Void = { _ in },
                _ body: (PromptServer, AudioFetcher, TestClock) async throws -> Void) async throws {
    let server = try PromptServer()
    let clock = TestClock()
    var configuration = AudioFetchConfiguration(cacheDirectory: server.cacheDirectory)
    configuration.now = { clock.now }
    configure(&configuration)
    let fetcher = AudioFetcher(configuration: configuration)
    do {
        try await body(server, fetcher, clock)
    } catch {
        await fetcher.shutdown()
        server.cleanup()
        throw error
    }
    await fetcher.shutdown()
    server.cleanup()
}

extension Result {
    /// The failure's value, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

@Suite struct AudioFetcherTests {
    @Test func firstFetchGoesToTheOriginThenFreshCopyComesFromDisk() async throws {
        try await withOrigin { server, fetcher, clock in
            let wav = try promptWAV(100)
            try server.setRoutes(["/a.wav": Route(file: try server.write("a.wav", wav.bytes),
                                                  headers: ["Cache-Control": "max-age=60", "ETag": "\"v1\""])])
            let first = try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get()
            #expect(first == DecodedAudio(samples: wav.samples, sampleRate: 8000))
            clock.advance(30)
            let second = try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get()
            #expect(second == first)
            #expect(try server.requests().count == 1)
            #expect(FileManager.default.fileExists(atPath: AudioDiskCache(directory: URL(fileURLWithPath: server.cacheDirectory))
                .path(for: server.url("/a.wav")).path))
        }
    }

    @Test func diskCacheOutlivesTheFetcher() async throws {
        let server = try PromptServer()
        defer { server.cleanup() }
        let clock = TestClock()
        let wav = try promptWAV(7)
        try server.setRoutes(["/a.wav": Route(file: try server.write("a.wav", wav.bytes), headers: ["Cache-Control": "max-age=600"])])
        for _ in 0..<2 {
            var configuration = AudioFetchConfiguration(cacheDirectory: server.cacheDirectory)
            configuration.now = { clock.now }
            let fetcher = AudioFetcher(configuration: configuration)
            let result = await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil)
            await fetcher.shutdown()
            #expect(try result.get().samples == wav.samples)
        }
        #expect(try server.requests().count == 1)
    }

    @Test func staleEntryIsRevalidatedWithIfNoneMatch() async throws {
        try await withOrigin { server, fetcher, clock in
            let wav = try promptWAV(200)
            try server.setRoutes(["/a.wav": Route(file: try server.write("a.wav", wav.bytes),
                                                  headers: ["Cache-Control": "max-age=60", "ETag": "\"v1\""])])
            _ = try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get()
            clock.advance(120)
            let revalidated = try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get()
            #expect(revalidated.samples == wav.samples)
            let requests = try server.requests()
            #expect(requests.count == 2)
            #expect(requests.last?.inm == "\"v1\"")
            // The 304 restarted the freshness lifetime: no third request.
            clock.advance(30)
            _ = try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get()
            #expect(try server.requests().count == 2)
        }
    }

    @Test func changedETagReplacesTheBody() async throws {
        try await withOrigin { server, fetcher, _ in
            let old = try promptWAV(1), new = try promptWAV(5000)
            try server.setRoutes(["/a.wav": Route(file: try server.write("v1.wav", old.bytes),
                                                  headers: ["Cache-Control": "no-cache", "ETag": "\"v1\""])])
            #expect(try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get().samples == old.samples)
            try server.setRoutes(["/a.wav": Route(file: try server.write("v2.wav", new.bytes),
                                                  headers: ["Cache-Control": "no-cache", "ETag": "\"v2\""])])
            #expect(try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get().samples == new.samples)
            #expect(try server.requests().map(\.inm) == [nil, "\"v1\""])
            // The new version is what the cache now revalidates.
            #expect(try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get().samples == new.samples)
            #expect(try server.requests().last?.inm == "\"v2\"")
        }
    }

    @Test func lastModifiedAloneIsUsedAsValidator() async throws {
        try await withOrigin { server, fetcher, _ in
            let wav = try promptWAV(3)
            let modified = "Tue, 15 Nov 1994 12:45:26 GMT"
            try server.setRoutes(["/lm.wav": Route(file: try server.write("lm.wav", wav.bytes), headers: ["Last-Modified": modified])])
            _ = try await fetcher.fetch(url: server.url("/lm.wav"), allowHosts: nil).get()
            #expect(try await fetcher.fetch(url: server.url("/lm.wav"), allowHosts: nil).get().samples == wav.samples)
            let requests = try server.requests()
            #expect(requests.count == 2)
            #expect(requests.last?.ims == modified)
            #expect(requests.last?.inm == nil)
        }
    }

    @Test func noStoreIsNeverWrittenToDisk() async throws {
        try await withOrigin { server, fetcher, _ in
            let wav = try promptWAV(9)
            try server.setRoutes(["/n.wav": Route(file: try server.write("n.wav", wav.bytes),
                                                  headers: ["Cache-Control": "no-store", "ETag": "\"n\""])])
            for _ in 0..<2 { #expect(try await fetcher.fetch(url: server.url("/n.wav"), allowHosts: nil).get().samples == wav.samples) }
            #expect(try server.requests().map(\.inm) == [nil, nil])
            let files = (try? FileManager.default.contentsOfDirectory(atPath: server.cacheDirectory)) ?? []
            #expect(files.filter { $0.hasSuffix(".prompt") }.isEmpty)
        }
    }

    @Test func notFoundIsAnHTTPStatusError() async throws {
        try await withOrigin { server, fetcher, _ in
            let error = await fetcher.fetch(url: server.url("/missing.wav"), allowHosts: nil).failure
            #expect(error?.code == "play.http_status")
            #expect(error?.status == 404)
        }
    }

    @Test func bodiesOverTheLimitAreRefused() async throws {
        try await withOrigin(configure: { $0.maxBytes = 1000 }) { server, fetcher, _ in
            let big = try promptWAV(1, count: 2000)
            let path = try server.write("big.wav", big.bytes)
            try server.setRoutes(["/big.wav": Route(file: path), "/stream.wav": Route(file: path, noLength: true)])
            #expect(await fetcher.fetch(url: server.url("/big.wav"), allowHosts: nil).failure?.code == "play.too_large")
            #expect(await fetcher.fetch(url: server.url("/stream.wav"), allowHosts: nil).failure?.code == "play.too_large")
        }
    }

    @Test func slowOriginTimesOut() async throws {
        try await withOrigin(configure: { $0.timeout = .seconds(1) }) { server, fetcher, _ in
            let path = try server.write("a.wav", try promptWAV(1, count: 4000).bytes)
            try server.setRoutes(["/slow.wav": Route(file: path, delay: 5), "/stall.wav": Route(file: path, hangBody: true)])
            #expect(await fetcher.fetch(url: server.url("/slow.wav"), allowHosts: nil).failure?.code == "play.timeout")
            #expect(await fetcher.fetch(url: server.url("/stall.wav"), allowHosts: nil).failure?.code == "play.timeout")
        }
    }

    @Test func hostsOutsideTheAllowListAreRefusedWithoutARequest() async throws {
        try await withOrigin { server, fetcher, _ in
            try server.setRoutes(["/a.wav": Route(file: try server.write("a.wav", try promptWAV(1).bytes))])
            let refused = await fetcher.fetch(url: server.url("/a.wav"), allowHosts: ["prompts.example.com", "*.example.org"])
            #expect(refused.failure?.code == "play.host_not_allowed")
            #expect(try server.requests().isEmpty)
            let allowed = await fetcher.fetch(url: server.url("/a.wav"), allowHosts: ["*.example.org", "127.0.0.1"])
            #expect(allowed.failure == nil)
        }
    }

    @Test func redirectsAreFollowedAndEachHopIsChecked() async throws {
        try await withOrigin { server, fetcher, _ in
            let wav = try promptWAV(77)
            try server.setRoutes([
                "/a.wav": Route(file: try server.write("a.wav", wav.bytes)),
                "/relative": Route(redirect: "/a.wav"),
                "/to-localhost": Route(redirect: "http://localhost:\(server.port)/a.wav"),
                "/to-ftp": Route(redirect: "ftp://127.0.0.1/a.wav"),
                "/loop": Route(redirect: "/loop"),
            ])
            #expect(try await fetcher.fetch(url: server.url("/relative"), allowHosts: ["127.0.0.1"]).get().samples == wav.samples)
            let disallowed = await fetcher.fetch(url: server.url("/to-localhost"), allowHosts: ["127.0.0.1"])
            #expect(disallowed.failure?.code == "play.host_not_allowed")
            #expect(try server.requests().map(\.path) == ["/relative", "/a.wav", "/to-localhost"])
            #expect(await fetcher.fetch(url: server.url("/to-ftp"), allowHosts: nil).failure?.code == "play.bad_url")
            #expect(await fetcher.fetch(url: server.url("/loop"), allowHosts: nil).failure?.code == "play.http_status")
            #expect(try server.requests().filter { $0.path == "/loop" }.count == 4)  // first request + 3 hops
        }
    }

    @Test func concurrentFetchesOfOneURLShareOneRequest() async throws {
        try await withOrigin { server, fetcher, _ in
            let wav = try promptWAV(42)
            try server.setRoutes(["/hot.wav": Route(file: try server.write("hot.wav", wav.bytes),
                                                    headers: ["Cache-Control": "no-store"], delay: 0.5)])
            let url = server.url("/hot.wav")
            let results = await withTaskGroup(of: Result<DecodedAudio, AudioFetchError>.self) { group in
                for _ in 0..<5 { group.addTask { await fetcher.fetch(url: url, allowHosts: nil) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 5)
            #expect(results.allSatisfy { (try? $0.get().samples) == wav.samples })
            #expect(try server.requests().count == 1)
        }
    }

    @Test func staleCopyIsPlayedWhenTheOriginIsDown() async throws {
        try await withOrigin { server, fetcher, clock in
            let wav = try promptWAV(11), strict = try promptWAV(12)
            try server.setRoutes([
                "/a.wav": Route(file: try server.write("a.wav", wav.bytes), headers: ["Cache-Control": "max-age=60", "ETag": "\"a\""]),
                "/s.wav": Route(file: try server.write("s.wav", strict.bytes),
                                headers: ["Cache-Control": "max-age=60, must-revalidate", "ETag": "\"s\""]),
            ])
            _ = try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get()
            _ = try await fetcher.fetch(url: server.url("/s.wav"), allowHosts: nil).get()
            server.stop()
            clock.advance(3600)
            #expect(try await fetcher.fetch(url: server.url("/a.wav"), allowHosts: nil).get().samples == wav.samples)
            #expect(await fetcher.fetch(url: server.url("/s.wav"), allowHosts: nil).failure?.code == "play.unreachable")
        }
    }

    @Test func closedPortIsUnreachable() async throws {
        try await withOrigin { server, fetcher, _ in
            let url = server.url("/a.wav")
            server.stop()
            #expect(await fetcher.fetch(url: url, allowHosts: nil).failure?.code == "play.unreachable")
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/a.wav", "not a url", "", "http:///a.wav", "file:///etc/passwd"])
    func badURLsAreRefused(url: String) async throws {
        try await withOrigin { _, fetcher, _ in
            #expect(await fetcher.fetch(url: url, allowHosts: nil).failure?.code == "play.bad_url")
        }
    }

    @Test func undecodableBodiesFailAndAreNotCached() async throws {
        try await withOrigin { server, fetcher, _ in
            try server.setRoutes(["/x.wav": Route(file: try server.write("x.wav", Array("<html>oops</html>".utf8)),
                                                  headers: ["Cache-Control": "max-age=600"])])
            let error = await fetcher.fetch(url: server.url("/x.wav"), allowHosts: nil).failure
            #expect(error?.code == "play.decode_failed")
            #expect(error?.message.hasPrefix("audio.unsupported_format") == true)
            _ = await fetcher.fetch(url: server.url("/x.wav"), allowHosts: nil)
            #expect(try server.requests().count == 2)
        }
    }
}
