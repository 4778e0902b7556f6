import Foundation
import Testing
import VoiceFlow
@testable import VoiceRuntime

/// CallbackClient against a real HTTP server (python3 http.server on 127.0.0.1).
@Suite struct CallbackClientTests {
    static let request = CallbackRequest(
        callID: "c-1", sessionID: "s-1", direction: .inbound, from: "+254700000001", to: "+254711000002",
        callStatus: .answered, step: 2, digits: "12", clientRequestID: "req 42")

    /// The exact form body `request` must produce on the wire.
    static let expectedBody =
        "CallId=c-1&SessionId=s-1&Direction=inbound&From=%2B254700000001&To=%2B254711000002"
        + "&CallStatus=answered&Step=2&Digits=12&ClientRequestId=req+42&isActive=1&sessionId=s-1"
        + "&direction=Inbound&callerNumber=%2B254700000001&destinationNumber=%2B254711000002&dtmfDigits=12"

    static func client(_ configuration: CallbackClient.Configuration = .init()) -> CallbackClient {
        CallbackClient(configuration: configuration) { bytes, _ in try JSONDocument.decode(bytes) }
    }

    /// The say texts of a document (the echo server answers with one say per request detail).
    static func texts(_ outcome: CallbackOutcome) -> [String] {
        (outcome.actions ?? []).compactMap { if case .say(let s) = $0 { s.text } else { nil } }
    }

    @Test func postSendsExactFormBodyAndHeaders() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let outcome = await client.fetch(url: server.url("/echo"), request: Self.request, secret: nil)
        try await client.shutdown()
        guard case .document(_, _, let status) = outcome else { Issue.record("expected a document, got \(outcome)"); return }
        #expect(status == 200)
        #expect(Self.texts(outcome) == [
            "POST", "/echo?clientRequestId=req+42", Self.expectedBody,
            "application/x-www-form-urlencoded; charset=utf-8", "SautiPBX",
            "application/json, text/xml, application/xml", "-",
        ])
    }

    @Test func getSendsFieldsAsQuery() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let outcome = await client.fetch(url: server.url("/echo"), method: "GET", request: Self.request, secret: nil)
        try await client.shutdown()
        let texts = Self.texts(outcome)
        try #require(texts.count == 7, "\(outcome)")
        #expect(texts[0] == "GET")
        #expect(texts[1] == "/echo?clientRequestId=req+42&" + Self.expectedBody)
        #expect(texts[2] == "-")  // no body
        #expect(texts[3] == "-")  // so no Content-Type
    }

    @Test func signatureVerifiesWithPythonHMAC() async throws {
        let server = try CallbackServer(secret: "whsec_test")
        defer { server.stop() }
        let client = Self.client()
        let good = await client.fetch(url: server.url("/signed"), request: Self.request, secret: "whsec_test")
        let wrong = await client.fetch(url: server.url("/signed"), request: Self.request, secret: "whsec_other")
        let unsigned = await client.fetch(url: server.url("/signed"), request: Self.request, secret: nil)
        try await client.shutdown()
        let texts = Self.texts(good)
        try #require(texts.count == 7, "\(good)")
        #expect(texts[2] == Self.expectedBody)
        #expect(texts[6].hasPrefix("t=") && texts[6].contains(",v1="))
        #expect(wrong.failure?.code == "callback.http_status")
        #expect(wrong.failure?.status == 401)
        #expect(unsigned.failure?.status == 401)
    }

    @Test func serverErrorIsHTTPStatusFailure() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let outcome = await client.fetch(url: server.url("/status/500"), request: Self.request, secret: nil)
        try await client.shutdown()
        let failure = try #require(outcome.failure)
        #expect(failure.code == CallbackFailure.Code.httpStatus)
        #expect(failure.status == 500)
        #expect(failure.message.contains("500"))
    }

    @Test func redirectIsNotFollowed() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let outcome = await client.fetch(url: server.url("/redirect"), request: Self.request, secret: nil)
        try await client.shutdown()
        let failure = try #require(outcome.failure)
        #expect(failure.code == "callback.http_status")
        #expect(failure.status == 302)
        #expect(failure.message.contains("302"))
    }

    @Test func hangingServerTimesOut() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client(.init(responseTimeout: .seconds(1)))
        let outcome = await client.fetch(url: server.url("/hang"), request: Self.request, secret: nil)
        try await client.shutdown()
        let failure = try #require(outcome.failure)
        #expect(failure.code == "callback.timeout")
        #expect(failure.status == nil)
        // Not a speed check: it proves the 1 s limit cut the wait (the server waits 600 s).
        // The bound is loose because parallel CPU-heavy suites can hold the 2-core
        // cooperative pool for seconds before this task resumes.
        #expect(failure.elapsedMs < 60_000)
    }

    @Test func closedPortIsUnreachable() async throws {
        let port = try closedPort()
        let client = Self.client()
        let outcome = await client.fetch(url: "http://127.0.0.1:\(port)/voice", request: Self.request, secret: nil)
        try await client.shutdown()
        let failure = try #require(outcome.failure)
        #expect(failure.code == "callback.unreachable", "\(failure)")
        #expect(failure.status == nil)
    }

    @Test(arguments: ["/big", "/bigstream"])
    func oversizeBodyIsTooLarge(path: String) async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let outcome = await client.fetch(url: server.url(path), request: Self.request, secret: nil)
        try await client.shutdown()
        let failure = try #require(outcome.failure)
        #expect(failure.code == "callback.too_large")
        #expect(failure.message == "document larger than 64 KiB")
        #expect(failure.status == 200)
    }

    @Test func garbageBodyIsDocumentInvalid() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let outcome = await client.fetch(url: server.url("/garbage"), request: Self.request, secret: nil)
        try await client.shutdown()
        let failure = try #require(outcome.failure)
        #expect(failure.code == "callback.document_invalid")
        #expect(failure.message == DocumentError("document", "not valid JSON").description)
        #expect(failure.status == 200)
    }

    @Test func decoderGetsBodyAndContentType() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = CallbackClient { bytes, contentType in
            [.say(.init(text: contentType ?? "none")), .say(.init(text: String(decoding: bytes, as: UTF8.self)))]
        }
        let outcome = await client.fetch(url: server.url("/garbage"), request: Self.request, secret: nil)
        try await client.shutdown()
        #expect(Self.texts(outcome) == ["text/plain", "this is not a document"])
    }

    @Test(arguments: ["ftp://127.0.0.1/x", "not a url", "http://", "mailto:ops@example.com", "http://a/\r\nX-Evil: 1", "/relative"])
    func unusableURLIsBadURL(url: String) async throws {
        let client = Self.client()
        let outcome = await client.fetch(url: url, request: Self.request, secret: nil)
        try await client.shutdown()
        #expect(outcome.failure?.code == "callback.bad_url")
    }

    @Test func cancellationEndsTheWait() async throws {
        let server = try CallbackServer()
        defer { server.stop() }
        let client = Self.client()
        let url = server.url("/hang")
        let task = Task { await client.fetch(url: url, request: Self.request, secret: nil) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = await task.value
        try await client.shutdown()
        #expect(outcome.failure?.code == "callback.cancelled")
    }

    /// Four calls whose application hangs must not hold up sixteen others: every good fetch
    /// completes (in completion order) before any of the hanging ones gives up.
    @Test func hangingServerDoesNotDelayOthers() async throws {
        let good = try CallbackServer()
        let hanging = try CallbackServer()
        defer { good.stop(); hanging.stop() }
        let client = Self.client(.init(responseTimeout: .seconds(4)))
        let goodURL = good.url("/echo"), hangURL = hanging.url("/hang")
        let order: [(Bool, CallbackOutcome)] = await withTaskGroup(of: (Bool, CallbackOutcome).self) { group in
            for i in 0..<20 {
                let hangs = i % 5 == 0
                group.addTask { (hangs, await client.fetch(url: hangs ? hangURL : goodURL, request: Self.request, secret: nil)) }
            }
            var done: [(Bool, CallbackOutcome)] = []
            for await result in group { done.append(result) }
            return done
        }
        try await client.shutdown()
        try #require(order.count == 20)
        #expect(order.prefix(16).allSatisfy { !$0.0 && $0.1.actions?.count == 7 })
        #expect(order.suffix(4).allSatisfy { $0.0 && $0.1.failure?.code == "callback.timeout" })
    }
}
