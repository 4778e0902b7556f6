import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one HTTP attempt produced, before the retry policy is applied.
struct AttemptOutcome: Sendable, Equatable {
    /// The HTTP status, nil when no response head arrived.
    var statusCode: Int?
    /// Stable short error text; nil for 2xx.
    var error: String?
    /// The raw `Retry-After` header, if the receiver sent one.
    var retryAfter: String?
    /// The request can never succeed as configured (bad URL): give up now instead of retrying.
    var permanent = false
    /// The attempt was cut short by our own shutdown/cancellation: not an attempt to record.
    var cancelled = false

    /// True for a 2xx answer.
    var delivered: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}

/// Performs one signed POST with a hard overall deadline and classifies what happened.
struct DeliveryAttempt: Sendable {
    /// The event id header; lets receivers dedupe without parsing the body.
    static let eventIDHeader = "X-Sautikit-Event-Id"

    let client: HTTPClient
    let timeout: Duration
    let maxResponseBodyBytes: Int
    let userAgent: String

    /// Sends `delivery` signed at `timestampSeconds`; never throws, every failure is an outcome.
    func perform(_ delivery: PendingDelivery, timestampSeconds: Int64) async -> AttemptOutcome {
        let request: HTTPClientRequest
        do {
            request = try Self.makeRequest(delivery, timestampSeconds: timestampSeconds, userAgent: userAgent)
        } catch {
            return AttemptOutcome(error: "invalid_url", permanent: true)
        }
        do {
            return try await exchange(request, deadline: ContinuousClock.now + timeout)
        } catch {
            if Task.isCancelled { return AttemptOutcome(error: "cancelled", cancelled: true) }
            return AttemptOutcome(error: Self.classify(error), permanent: Self.isPermanent(error))
        }
    }

    /// Builds the POST: JSON body, signature, event id, our user agent.
    static func makeRequest(_ delivery: PendingDelivery, timestampSeconds: Int64, userAgent: String) throws -> HTTPClientRequest {
        // Only plain web URLs: no `http+unix://` and friends pointing at local sockets.
        let scheme = delivery.url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            throw HTTPClientError.invalidURL
        }
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(
            name: WebhookSignature.headerName,
            value: WebhookSignature.header(body: delivery.body, secrets: delivery.secrets, timestamp: timestampSeconds)
        )
        request.headers.add(name: eventIDHeader, value: delivery.eventID)
        request.body = .bytes(delivery.body)
        return request
    }

    /// POST; the client's deadline covers connecting, sending and the response head.
    private func exchange(_ request: HTTPClientRequest, deadline: ContinuousClock.Instant) async throws -> AttemptOutcome {
        let response = try await client.execute(request, deadline: .now() + TimeAmount(timeout))
        let code = Int(response.status.code)
        let delivered = (200..<300).contains(code)
        let outcome = AttemptOutcome(
            statusCode: code,
            error: delivered ? nil : "http_\(code)",
            retryAfter: response.headers.first(name: "Retry-After")
        )
        await drain(response.body, until: deadline)
        return outcome
    }

    /// Reads at most `maxResponseBodyBytes` of the answer, so the connection can be reused, and
    /// stops at `deadline`: the client's deadline no longer applies once the head has arrived,
    /// and a receiver trickling an endless body must not hold the slot. The status is already
    /// known, so body errors and cut-offs do not change the outcome (the client then simply
    /// closes that connection).
    private func drain(_ body: HTTPClientResponse.Body, until deadline: ContinuousClock.Instant) async {
        let limit = maxResponseBodyBytes
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var received = 0
                do {
                    for try await chunk in body {
                        received += chunk.readableBytes
                        if received >= limit { break }
                    }
                } catch {
                    // Connection dropped mid-body: irrelevant once we have the status.
                }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Maps transport errors to short stable texts; never includes peer-controlled strings.
    static func classify(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "timeout"
            case .connectTimeout, .getConnectionFromPoolTimeout: return "connect_failed: timeout"
            case .tlsHandshakeTimeout: return "tls_failed: timeout"
            case .remoteConnectionClosed: return "connection_closed"
            case .invalidURL, .emptyHost, .emptyScheme: return "invalid_url"
            default: return "request_failed: \(error.shortDescription)"
            }
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "connect_failed: dns"
            }
            return "connect_failed: " + (error.connectionErrors.first.map { reason($0.error) } ?? "no_address")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH: return "connect_failed: " + reason(error)
            case ECONNRESET, EPIPE: return "connection_reset"
            default: return "io_error: errno \(error.errnoCode)"
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return "connect_failed: timeout"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .inputClosed, .outputClosed: return "connection_closed"
            default: return "channel_error"
            }
        case is HTTPParserError:
            // The receiver answered something that is not HTTP/1.1.
            return "bad_response"
        default:
            return "request_failed: \(type(of: error))"
        }
    }

    /// Errors no retry can fix.
    static func isPermanent(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        return error == .invalidURL || error == .emptyHost || error == .emptyScheme
    }

    /// A one-word reason for a failed connect.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error { return "timeout" }
        guard let error = error as? IOError else { return "\(type(of: error))" }
        switch error.errnoCode {
        case ECONNREFUSED: return "refused"
        case ENETUNREACH, EHOSTUNREACH: return "unreachable"
        case ETIMEDOUT: return "timeout"
        default: return "errno \(error.errnoCode)"
        }
    }
}
