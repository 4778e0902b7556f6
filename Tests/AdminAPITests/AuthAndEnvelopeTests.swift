import AdminAPI
import Testing

/// admin-api.md "Conventions": bearer keys with scopes, the error envelope, X-Request-Id.
@Suite(.serialized) struct AuthAndEnvelopeTests {
    @Test func keysAreCheckedAndEveryAnswerCarriesARequestID() async throws {
        let h = try await APIHarness()
        let none = try await h.send(.GET, "/v1/calls", key: "")
        #expect(none.status == 401 && none.errorCode == "api_key.invalid")
        let rid = none.headers.first(name: "X-Request-Id")
        #expect(rid != nil && (none["error.request_id"] as? String) == rid)

        let wrong = try await h.send(.GET, "/v1/calls", key: "sk_not_a_key")
        #expect(wrong.status == 401 && wrong.errorCode == "api_key.invalid")

        let reader = try h.key(["calls.read"])
        #expect(try await h.send(.GET, "/v1/calls", key: reader).status == 200)
        let denied = try await h.send(.POST, "/v1/numbers", json: #"{"e164":"+254711000001","voice_callback_url":"http://a/b"}"#, key: reader)
        #expect(denied.status == 403 && denied.errorCode == "api_key.scope_denied")
        #expect(denied.errorMessage.contains("numbers.write"))

        // Revoke it through the API: the next use says revoked, not invalid.
        let keys = try await h.send(.GET, "/v1/api-keys?limit=100")
        let id = (keys["data"] as? [[String: Any]])?.first { ($0["scopes"] as? [String]) == ["calls.read"] }?["id"] as? String
        let revoked = try await h.send(.DELETE, "/v1/api-keys/\(try #require(id))")
        #expect(revoked.status == 200 && revoked["api_key.revoked_at"] is String)
        let after = try await h.send(.GET, "/v1/calls", key: reader)
        #expect(after.status == 401 && after.errorCode == "api_key.revoked")
        #expect(after.headers.first(name: "X-Request-Id") != rid)
        await h.close()
    }

    @Test func unknownPathsAndMethodsHaveEnvelopes() async throws {
        let h = try await APIHarness()
        let missing = try await h.send(.GET, "/v1/nothing-here")
        #expect(missing.status == 404 && missing.errorCode == "not_found")
        let method = try await h.send(.PUT, "/v1/wallet")
        #expect(method.status == 405 && method.errorCode == "method_not_allowed")
        #expect(method.headers.first(name: "Allow") == "GET")
        #expect(method.headers.first(name: "X-Request-Id") != nil)
        await h.close()
    }

    @Test func badJSONAndWrongTypesNameTheField() async throws {
        let h = try await APIHarness()
        let broken = try await h.send(.POST, "/v1/wallet/topups", json: "{not json")
        #expect(broken.status == 400 && broken.errorCode == "validation.bad_request" && broken.errorMessage.hasPrefix("body"))
        let type = try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":"100"}"#)
        #expect(type.errorCode == "validation.bad_request" && type.errorMessage == "amount_minor: expected an integer")
        let missing = try await h.send(.POST, "/v1/webhooks", json: #"{"url":"http://127.0.0.1/h"}"#)
        #expect(missing.errorMessage == "events: is required")
        let nested = try await h.send(.POST, "/v1/webhooks", json: #"{"url":"http://127.0.0.1/h","events":["call.started",7]}"#)
        #expect(nested.errorMessage == "events[1]: expected a string")
        let fraction = try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":1.5}"#)
        #expect(fraction.errorCode == "validation.bad_request" && fraction.errorMessage.hasPrefix("amount_minor"))
        let empty = try await h.send(.POST, "/v1/wallet/topups")
        #expect(empty.errorCode == "validation.bad_request")
        await h.close()
    }

    @Test func healthReadinessAndMetricsArePublic() async throws {
        let h = try await APIHarness()
        #expect(try await h.send(.GET, "/healthz", key: "").status == 200)
        let ready = try await h.send(.GET, "/readyz", key: "")
        #expect(ready.status == 200 && ready["sip"] as? Bool == true && ready["store"] as? Bool == true)
        let metrics = try await h.send(.GET, "/metrics", key: "")
        let text = String(decoding: metrics.bytes, as: UTF8.self)
        #expect(text.contains("sautipbx_active_calls 2\n"))
        #expect(text.contains("sautipbx_rtp_packets_lost_total 3\n"))
        #expect(text.contains("sautipbx_webhook_queue_depth 0\n"))
        let doc = try await h.send(.GET, "/openapi.json", key: "")
        #expect(doc.status == 200 && (doc["openapi"] as? String)?.hasPrefix("3.1") == true)
        await h.close()
    }
}
