// One HTTP(S) GET of a prompt, following redirects by hand.
//
// AsyncHTTPClient's own redirect handling cannot re-check each hop against the workspace
// allow-list, so the client runs with redirects disabled and we follow 301/302/303/307/308
// (RFC 9110 §15.4) ourselves: every Location is resolved against the current URL
// (§10.2.2) and validated like the original URL. The body is streamed and counted: a
// Content-Length above the limit fails before reading, a body that grows past it fails as
// soon as it does, and the response is dropped (AHC then cancels the request and closes
// the connection rather than downloading the rest).

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What a successful exchange produced.
enum DownloadOutcome: Sendable {
    /// 2xx with the full body and the final response's headers.
    case body([UInt8], headers: [(String, String)])
    /// 304: the cached copy is still valid; headers may update its metadata.
    case notModified(headers: [(String, String)])
}

/// Performs prompt GETs with redirect, size and status policy.
struct PromptDownloader: Sendable {
    let client: HTTPClient
    let maxBytes: Int
    let maxRedirects: Int

    /// GETs `url`, sending `conditional` headers on every hop; `deadline` bounds each hop.
    func download(_ url: URL, allowList: HostAllowList?, conditional: [(String, String)],
                  deadline: NIODeadline) async -> Result<DownloadOutcome, AudioFetchError> {
        var current = url
        var hops = 0
        while true {
            var request = HTTPClientRequest(url: current.absoluteString)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "SautiPBX-play/1")
            request.headers.add(name: "Accept", value: "audio/wav, audio/x-wav, audio/mpeg, audio/*;q=0.8, */*;q=0.1")
            for (name, value) in conditional { request.headers.add(name: name, value: value) }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, deadline: deadline)
            } catch {
                return .failure(Self.classify(error, host: current.host ?? ""))
            }
            let status = Int(response.status.code)
            let headers = response.headers.map { ($0.name, $0.value) }
            switch status {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "location") else {
                    return .failure(AudioFetchError(.httpStatus, "HTTP \(status) without a Location from \(current.host ?? "")", status: status))
                }
                guard hops < maxRedirects else {
                    return .failure(AudioFetchError(.httpStatus, "more than \(maxRedirects) redirects starting at \(url.absoluteString)", status: status))
                }
                switch PromptURL.validate(location, relativeTo: current, allowList: allowList) {
                case .success(let next): current = next
                case .failure(let error): return .failure(error)
                }
                hops += 1
            case 304:
                return .success(.notModified(headers: headers))
            case 200..<300:
                return await readBody(response, host: current.host ?? "").map { .body($0, headers: headers) }
            default:
                return .failure(AudioFetchError(.httpStatus, "HTTP \(status) from \(current.host ?? "") for \(current.path)", status: status))
            }
        }
    }

    /// Collects the body, failing as soon as it exceeds `maxBytes`.
    private func readBody(_ response: HTTPClientResponse, host: String) async -> Result<[UInt8], AudioFetchError> {
        let tooLarge = AudioFetchError(.tooLarge, "the file from \(host) is larger than the \(maxBytes)-byte limit")
        if let declared = response.headers.first(name: "content-length").flatMap({ Int($0) }), declared > maxBytes {
            return .failure(tooLarge)
        }
        var body: [UInt8] = []
        do {
            for try await chunk in response.body {
                guard chunk.readableBytes <= maxBytes - body.count else { return .failure(tooLarge) }
                chunk.withUnsafeReadableBytes { body.append(contentsOf: $0) }
            }
        } catch {
            return .failure(Self.classify(error, host: host))
        }
        return .success(body)
    }

    /// Maps client/NIO errors to `play.timeout` or `play.unreachable`.
    static func classify(_ error: any Error, host: String) -> AudioFetchError {
        if error is CancellationError {
            return AudioFetchError(.timeout, "fetching from \(host) took too long")
        }
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout || client == .cancelled {
                return AudioFetchError(.timeout, "fetching from \(host) took too long")
            }
            if client == .connectTimeout {
                return AudioFetchError(.unreachable, "could not connect to \(host) in time")
            }
        }
        return AudioFetchError(.unreachable, "could not fetch from \(host): \(error)")
    }
}
