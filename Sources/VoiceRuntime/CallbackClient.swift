import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VoiceFlow
import Webhooks

/// Fetches the next voice document from a call's callback URL (voice-actions.md §1, §2, §4).
///
/// One instance serves every call over one shared `HTTPClient`. Everything is async and no
/// lock is held across an await, so a slow or hanging callback delays only the call that
/// awaits it. Redirects are not followed: a 3xx is a failure, so an application cannot
/// bounce the signed call state to another host. Call `shutdown()` before releasing it.
public final class CallbackClient: Sendable {
    /// Limits and identity of the client; the defaults are the spec's production values.
    public struct Configuration: Sendable {
        /// Time to open a TCP (and TLS) connection (§4: 3 s).
        public var connectTimeout: Duration
        /// Time for the whole exchange: connect, send, response head and body (§4: 10 s).
        public var responseTimeout: Duration
        /// Connections kept open to one application host at once (64). AsyncHTTPClient's default
        /// of 8 would queue the ninth concurrent call to a slow application behind the others.
        public var maxConnectionsPerHost: Int
        /// The `User-Agent` header.
        public var userAgent: String

        /// Creates a configuration; every value has the production default.
        public init(
            connectTimeout: Duration = .seconds(3),
            responseTimeout: Duration = .seconds(10),
            maxConnectionsPerHost: Int = 64,
            userAgent: String = "SautiPBX"
        ) {
            self.connectTimeout = connectTimeout
            self.responseTimeout = responseTimeout
            self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
            self.userAgent = userAgent
        }
    }

    /// Turns a 2xx body and its `Content-Type` into actions (the JSON / XML dispatcher); it
    /// should throw `DocumentError`. Untyped `throws` on purpose: Swift does not infer typed
    /// throws for closures, so `{ b, _ in try JSONDocument.decode(b) }` would not compile.
    public typealias Decoder = @Sendable ([UInt8], String?) throws -> [VoiceAction]

    /// Sent with every request: the document formats we understand (§2).
    public static let acceptHeader = "application/json, text/xml, application/xml"
    /// The request body's media type (§1).
    public static let formContentType = "application/x-www-form-urlencoded; charset=utf-8"

    private let client: HTTPClient
    private let configuration: Configuration
    private let decode: Decoder
    private let unixTime: @Sendable () -> Int64

    /// Creates a client on `eventLoopGroup` (default: the process-wide singleton group).
    /// `unixTime` gives the signature's `t` (wall-clock seconds); `decode` parses documents.
    public init(
        configuration: Configuration = Configuration(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        unixTime: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        decode: @escaping Decoder
    ) {
        var http = HTTPClient.Configuration()
        http.redirectConfiguration = .disallow
        http.timeout = .init(connect: TimeAmount(configuration.connectTimeout))
        // A refused connect fails now instead of being retried until the connect timeout.
        http.connectionPool.retryConnectionEstablishment = false
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.maxConnectionsPerHost
        // We send no Accept-Encoding; never inflate what a peer sends anyway (zip bombs).
        http.decompression = .disabled
        self.client = HTTPClient(eventLoopGroup: eventLoopGroup ?? HTTPClient.defaultEventLoopGroup, configuration: http)
        self.configuration = configuration
        self.decode = decode
        self.unixTime = unixTime
    }

    /// Closes all connections; in-flight fetches fail. Call once, before releasing the client.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends `request` to `url` and returns the next document or why there is none. Never throws.
    ///
    /// `method` GET sends the fields as the query string (what TwiML applications expect);
    /// anything else POSTs them as a form body. The `clientRequestId` query parameter is added
    /// here (`CallbackRequest.url`). With a `secret` the request carries `X-Sautikit-Signature`
    /// over the raw body (empty for GET, as a receiver verifying the raw body sees it).
    public func fetch(url: String, method: String = "POST", request: CallbackRequest, secret: String?) async -> CallbackOutcome {
        let start = ContinuousClock.now
        guard let prepared = prepare(url: url, method: method, request: request, secret: secret) else {
            return .failed(CallbackFailure(code: CallbackFailure.Code.badURL, message: "not an http or https URL with a host", elapsedMs: Self.ms(since: start)))
        }
        let timeout = configuration.responseTimeout
        // The client's own deadline covers connect + response head only; this race bounds the
        // body too. Cancelling the losing child cancels its request inside AsyncHTTPClient.
        let raced: CallbackOutcome? = await withTaskGroup(of: CallbackOutcome?.self) { group in
            group.addTask { await self.exchange(prepared, start: start) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if Task.isCancelled {
            return .failed(CallbackFailure(code: CallbackFailure.Code.cancelled, message: "the call stopped waiting", elapsedMs: Self.ms(since: start)))
        }
        return raced ?? .failed(timeoutFailure(start: start))
    }

    /// Builds the HTTP request: method, URL (+ clientRequestId, + query for GET), headers, body.
    private func prepare(url: String, method: String, request: CallbackRequest, secret: String?) -> HTTPClientRequest? {
        // resolve() against itself checks http/https + host, trims, rejects control bytes.
        guard var target = URLReference.resolve(url, against: url) else { return nil }
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        target = CallbackRequest.url(target, clientRequestID: request.clientRequestID)
        let isGET = method.uppercased() == "GET"
        var body: [UInt8] = []
        if isGET {
            let query = FormEncoding.encodeString(request.formFields())
            let last = target.utf8.last
            if target.contains("?") {
                if last != UInt8(ascii: "?") && last != UInt8(ascii: "&") { target += "&" }
            } else {
                target += "?"
            }
            target += query
        } else {
            body = request.formBody()
        }
        var http = HTTPClientRequest(url: target)
        http.method = isGET ? .GET : .POST
        if !isGET { http.headers.add(name: "Content-Type", value: Self.formContentType) }
        http.headers.add(name: "User-Agent", value: configuration.userAgent)
        http.headers.add(name: "Accept", value: Self.acceptHeader)
        if let secret {
            http.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.header(body: body, secrets: [secret], timestamp: unixTime()))
        }
        if !isGET { http.body = .bytes(body) }
        return http
    }

    /// One exchange; every error becomes an outcome.
    private func exchange(_ request: HTTPClientRequest, start: ContinuousClock.Instant) async -> CallbackOutcome {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .now() + TimeAmount(configuration.responseTimeout))
        } catch {
            return .failed(failure(for: error, start: start))
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            // The body is not read: dropping it makes the client close that connection.
            let kind = (300..<400).contains(status) ? " (redirects are not followed)" : ""
            return .failed(CallbackFailure(code: CallbackFailure.Code.httpStatus, message: "HTTP status \(status)\(kind)", status: status, elapsedMs: Self.ms(since: start)))
        }
        let buffer: ByteBuffer
        do {
            // collect(upTo:) fails at once on a larger Content-Length, else after maxBytes + 1
            // bytes, without reading the rest (§2: a document is at most 64 KiB).
            buffer = try await response.body.collect(upTo: DocumentLimits.maxBytes)
        } catch {
            var failure = failure(for: error, start: start)
            failure.status = status
            return .failed(failure)
        }
        let contentType = response.headers.first(name: "Content-Type")
        do {
            let actions = try decode(Array(buffer.readableBytesView), contentType)
            return .document(actions: actions, elapsedMs: Self.ms(since: start), status: status)
        } catch {
            let message = (error as? DocumentError)?.description ?? "document: \(error)"
            return .failed(CallbackFailure(code: CallbackFailure.Code.documentInvalid, message: message, status: status, elapsedMs: Self.ms(since: start)))
        }
    }

    /// Maps transport errors to the stable codes; messages name the cause, never peer data.
    private func failure(for error: any Error, start: ContinuousClock.Instant) -> CallbackFailure {
        let elapsed = Self.ms(since: start)
        let (code, message) = Self.classify(error, configuration: configuration)
        return CallbackFailure(code: code, message: message, elapsedMs: elapsed)
    }

    private func timeoutFailure(start: ContinuousClock.Instant) -> CallbackFailure {
        CallbackFailure(code: CallbackFailure.Code.timeout, message: "no complete response within \(Self.seconds(configuration.responseTimeout))", elapsedMs: Self.ms(since: start))
    }

    /// The code and message for a transport error.
    static func classify(_ error: any Error, configuration: Configuration) -> (String, String) {
        let responseLimit = "no complete response within \(seconds(configuration.responseTimeout))"
        if error is NIOTooManyBytesError {
            return (CallbackFailure.Code.tooLarge, "document larger than \(DocumentLimits.maxBytes / 1024) KiB")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .cancelled:
                // `.cancelled` reaches here only when our own deadline race cancelled the request.
                return (CallbackFailure.Code.timeout, responseLimit)
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return (CallbackFailure.Code.timeout, "no connection within \(seconds(configuration.connectTimeout))")
            case .invalidURL, .emptyHost, .emptyScheme:
                return (CallbackFailure.Code.badURL, "not a usable URL")
            case .remoteConnectionClosed:
                return (CallbackFailure.Code.unreachable, "the connection closed before a complete response")
            default:
                return (CallbackFailure.Code.unreachable, "request failed: \(error)")
            }
        }
        if let error = error as? IOError {
            // Connect refused / reset; the description carries errno's text, no peer data.
            return (CallbackFailure.Code.unreachable, "connection failed: \(error)")
        }
        if error is HTTPParserError {
            return (CallbackFailure.Code.unreachable, "the answer is not HTTP/1.1")
        }
        // NIOConnectionError (refused / DNS, from NIOPosix) and other channel errors.
        return (CallbackFailure.Code.unreachable, "connection failed: \(error)")
    }

    /// Whole milliseconds since `start`.
    static func ms(since start: ContinuousClock.Instant) -> Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }

    /// "10 s" / "1.5 s" for messages.
    static func seconds(_ d: Duration) -> String {
        let ms = Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(Double(ms) / 1000) s"
    }
}
