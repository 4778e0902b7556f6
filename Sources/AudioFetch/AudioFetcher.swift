// Fetches `play` prompts over HTTP(S) with an on-disk cache and decodes them to PCM.
//
// Flow for one URL (voice-actions §3 `play`):
//  1. validate the URL and the workspace allow-list (`play.bad_url`, `play.host_not_allowed`);
//  2. a fresh disk entry (RFC 9111 §4.2) is served without any request;
//  3. a stale entry with validators is revalidated with a conditional GET; 304 → serve the
//     stored body and restart its freshness, 200 → replace it;
//  4. when the origin is unreachable, times out or answers 5xx and a stale copy exists
//     without `must-revalidate`, the stale copy is played (RFC 5861 §4 stale-if-error
//     semantics): a slightly old greeting beats a skipped verb;
//  5. the body is decoded (`AudioDecoder`) before it is cached, so an undecodable file is
//     never stored; `no-store` responses are played and not stored.
// Concurrent fetches of the same URL (with the same allow-list) share one in-flight task,
// so a burst of calls hitting the same IVR prompt makes one request. The whole fetch (all
// redirect hops and the body) is bounded by `timeout`; decoding is not.

import AsyncHTTPClient
import Foundation
import MediaEngine
import NIOCore
import Synchronization

/// Limits and locations for `AudioFetcher`.
public struct AudioFetchConfiguration: Sendable {
    /// Directory of the on-disk cache (created when first needed).
    public var cacheDirectory: String
    /// Largest accepted body (default 20 MiB).
    public var maxBytes = 20 * 1024 * 1024
    /// Limit for the whole fetch, redirects and body included (default 15 s).
    public var timeout: Duration = .seconds(15)
    /// TCP/TLS connect limit per connection (default 3 s).
    public var connectTimeout: Duration = .seconds(3)
    /// Redirect hops followed (default 3).
    public var maxRedirects = 3
    /// Longest decoded prompt (default 30 min).
    public var maxDurationSeconds = AudioDecoder.defaultMaxDurationSeconds
    /// Serve a stale copy when the origin fails (see file comment).
    public var serveStaleOnError = true
    /// Decoded prompts kept in memory (0 disables the memo).
    public var memoEntries = 16
    /// Total samples kept in memory (default 8 M ≈ 16 MB).
    public var memoMaxSamples = 8 * 1024 * 1024
    /// Wall clock for cache freshness (injectable for tests).
    public var now: @Sendable () -> Date = { Date() }

    /// Creates a configuration with defaults and the given cache directory.
    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }
}

/// Fetches, caches and decodes prompt audio for the `play` verb; call `shutdown()` when done.
public final class AudioFetcher: Sendable {
    /// The limits in force.
    public let configuration: AudioFetchConfiguration
    private let client: HTTPClient
    private let cache: AudioDiskCache
    private let inflight = Mutex<[String: Task<Result<DecodedAudio, AudioFetchError>, Never>]>([:])
    private let memo: Mutex<DecodedAudioMemo>

    /// Creates a fetcher with its own HTTP client (redirects handled here, not by the client).
    public init(configuration: AudioFetchConfiguration) {
        self.configuration = configuration
        let timeout = HTTPClient.Configuration.Timeout(connect: .nanoseconds(Int64(Self.nanoseconds(configuration.connectTimeout))))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: timeout))
        cache = AudioDiskCache(directory: URL(fileURLWithPath: configuration.cacheDirectory, isDirectory: true))
        memo = Mutex(DecodedAudioMemo(maxEntries: configuration.memoEntries, maxSamples: configuration.memoMaxSamples))
    }

    /// Shuts the HTTP client down; no fetch may run afterwards.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Fetches and decodes `url`; `allowHosts` nil allows any host, else exact names or "*.suffix".
    public func fetch(url: String, allowHosts: [String]?) async -> Result<DecodedAudio, AudioFetchError> {
        let allowList = allowHosts.map(HostAllowList.init)
        let target: URL
        switch PromptURL.validate(url, allowList: allowList) {
        case .success(let parsed): target = parsed
        case .failure(let error): return .failure(error)
        }
        let key = url + "\u{0}" + (allowHosts?.joined(separator: ",") ?? "*")
        let (task, owner) = inflight.withLock { running -> (Task<Result<DecodedAudio, AudioFetchError>, Never>, Bool) in
            if let existing = running[key] { return (existing, false) }
            let task = Task { await self.load(url: url, target: target, allowList: allowList) }
            running[key] = task
            return (task, true)
        }
        let result = await task.value
        if owner { _ = inflight.withLock { $0.removeValue(forKey: key) } }
        return result
    }

    /// Cache lookup, network exchange and decoding for one URL.
    private func load(url: String, target: URL, allowList: HostAllowList?) async -> Result<DecodedAudio, AudioFetchError> {
        let now = configuration.now().timeIntervalSince1970
        let entry = cache.load(url: url)
        if let entry, entry.metadata.isFresh(now: now) {
            return decode(entry.body, url: url, metadata: entry.metadata)
        }
        let conditional = entry?.metadata.conditionalHeaders ?? []
        switch await download(target, allowList: allowList, conditional: conditional) {
        case .success(.notModified(let headers)):
            guard let entry else {
                return .failure(AudioFetchError(.httpStatus, "HTTP 304 for an unconditional request to \(target.host ?? "")", status: 304))
            }
            let refreshed = entry.metadata.refreshed(by: headers, now: configuration.now().timeIntervalSince1970)
            if let refreshed { cache.store(refreshed, body: entry.body) } else { cache.remove(url: url) }
            return decode(entry.body, url: url, metadata: refreshed ?? entry.metadata)
        case .success(.body(let body, let headers)):
            let metadata = CacheMetadata.make(url: url, headers: headers, now: configuration.now().timeIntervalSince1970,
                                              bodyLength: body.count)
            let result = decode(body, url: url, metadata: metadata)
            if case .success = result, let metadata { cache.store(metadata, body: body) } else { cache.remove(url: url) }
            return result
        case .failure(let error):
            if configuration.serveStaleOnError, error.allowsStaleFallback, let entry, !entry.metadata.mustRevalidate {
                return decode(entry.body, url: url, metadata: entry.metadata)
            }
            return .failure(error)
        }
    }

    /// The download raced against the overall timeout; the loser is cancelled.
    private func download(_ target: URL, allowList: HostAllowList?,
                          conditional: [(String, String)]) async -> Result<DownloadOutcome, AudioFetchError> {
        let limit = configuration.timeout
        let downloader = PromptDownloader(client: client, maxBytes: configuration.maxBytes, maxRedirects: configuration.maxRedirects)
        let deadline = NIODeadline.now() + .nanoseconds(Int64(Self.nanoseconds(limit)))
        let timedOut = AudioFetchError(.timeout, "fetching from \(target.host ?? "") took longer than \(limit)")
        return await withTaskGroup(of: Result<DownloadOutcome, AudioFetchError>?.self) { group in
            group.addTask { await downloader.download(target, allowList: allowList, conditional: conditional, deadline: deadline) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return Task.isCancelled ? nil : .failure(timedOut)
            }
            var outcome: Result<DownloadOutcome, AudioFetchError> = .failure(timedOut)
            for await result in group {
                guard let result else { continue }
                outcome = result
                break
            }
            group.cancelAll()
            return outcome
        }
    }

    /// Decodes `body`, consulting and filling the in-memory memo when validators allow.
    private func decode(_ body: [UInt8], url: String, metadata: CacheMetadata?) -> Result<DecodedAudio, AudioFetchError> {
        let memoKey = metadata.flatMap { DecodedAudioMemo.key(url: url, metadata: $0) }
        if let memoKey, let hit = memo.withLock({ $0.get(memoKey) }) { return .success(hit) }
        do {
            let audio = try AudioDecoder.decode(body, maxDurationSeconds: configuration.maxDurationSeconds)
            if let memoKey { memo.withLock { $0.put(memoKey, audio) } }
            return .success(audio)
        } catch {
            return .failure(AudioFetchError(decoding: error))
        }
    }

    /// `duration` in whole nanoseconds, saturating.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
