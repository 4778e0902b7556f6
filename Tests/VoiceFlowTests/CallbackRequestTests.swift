import Testing
@testable import VoiceFlow

@Suite struct CallbackRequestTests {
    static let minimal = CallbackRequest(
        callID: "0b7c5f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", sessionID: "sess-9", direction: .outbound,
        from: "+254700000001", to: "alice", callStatus: .ringing, step: 1)

    @Test func fieldsWithoutOptionals() {
        let fields = Self.minimal.formFields()
        #expect(fields.map(\.0) == [
            "CallId", "SessionId", "Direction", "From", "To", "CallStatus", "Step",
            "isActive", "sessionId", "direction", "callerNumber", "destinationNumber",
        ])
        #expect(fields.map(\.1) == [
            "0b7c5f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "sess-9", "outbound", "+254700000001", "alice", "ringing", "1",
            "1", "sess-9", "Outbound", "+254700000001", "alice",
        ])
    }

    @Test func fieldsWithEveryOptional() {
        var r = Self.minimal
        r.direction = .inbound
        r.callStatus = .answered
        r.step = 7
        r.digits = "1234"
        r.recordingURL = "https://pbx.example/rec/1.wav"
        r.recordingDurationSeconds = 12
        r.dialCallStatus = .noAnswer
        r.dialCallDurationSeconds = 0
        r.dialCallID = "leg-2"
        r.clientRequestID = "cr-1"
        let fields = r.formFields()
        #expect(fields.map(\.0) == [
            "CallId", "SessionId", "Direction", "From", "To", "CallStatus", "Step",
            "Digits", "RecordingUrl", "RecordingDurationSeconds", "DialCallStatus", "DialCallDurationSeconds",
            "DialCallId", "ClientRequestId",
            "isActive", "sessionId", "direction", "callerNumber", "destinationNumber",
            "dtmfDigits", "recordingUrl", "durationInSeconds",
        ])
        #expect(fields.map(\.1) == [
            "0b7c5f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "sess-9", "inbound", "+254700000001", "alice", "answered", "7",
            "1234", "https://pbx.example/rec/1.wav", "12", "no_answer", "0", "leg-2", "cr-1",
            "1", "sess-9", "Inbound", "+254700000001", "alice", "1234", "https://pbx.example/rec/1.wav", "12",
        ])
    }

    @Test func durationInSecondsFallsBackToDialDuration() {
        var r = Self.minimal
        r.dialCallStatus = .completed
        r.dialCallDurationSeconds = 42
        let fields = r.formFields()
        #expect(fields.last?.0 == "durationInSeconds")
        #expect(fields.last?.1 == "42")
    }

    @Test(arguments: [
        (CallbackRequest.Status.ringing, "1"), (.answered, "1"), (.completed, "0"), (.failed, "0"),
        (.noAnswer, "0"), (.busy, "0"), (.canceled, "0"),
    ])
    func isActive(status: CallbackRequest.Status, expected: String) {
        var r = Self.minimal
        r.callStatus = status
        #expect(r.formFields().first { $0.0 == "isActive" }?.1 == expected)
        #expect(r.formFields().first { $0.0 == "CallStatus" }?.1 == status.rawValue)
    }

    @Test func formBodyIsTheEncodedFields() {
        var r = Self.minimal
        r.digits = "5#"
        r.clientRequestID = "a b&c"
        let body = String(decoding: r.formBody(), as: UTF8.self)
        #expect(body == "CallId=0b7c5f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f&SessionId=sess-9&Direction=outbound"
            + "&From=%2B254700000001&To=alice&CallStatus=ringing&Step=1&Digits=5%23&ClientRequestId=a+b%26c"
            + "&isActive=1&sessionId=sess-9&direction=Outbound&callerNumber=%2B254700000001&destinationNumber=alice"
            + "&dtmfDigits=5%23")
    }

    @Test func clientRequestIDIsAppended() {
        #expect(CallbackRequest.url("https://app.example/voice", clientRequestID: "req 1/2") == "https://app.example/voice?clientRequestId=req+1%2F2")
        #expect(CallbackRequest.url("https://app.example/voice?a=1", clientRequestID: "x") == "https://app.example/voice?a=1&clientRequestId=x")
        #expect(CallbackRequest.url("https://app.example/voice?", clientRequestID: "x") == "https://app.example/voice?clientRequestId=x")
        #expect(CallbackRequest.url("https://app.example/voice?a=1&", clientRequestID: "x") == "https://app.example/voice?a=1&clientRequestId=x")
        #expect(CallbackRequest.url("https://app.example/voice#top", clientRequestID: "x") == "https://app.example/voice?clientRequestId=x#top")
        #expect(CallbackRequest.url("https://app.example/voice", clientRequestID: nil) == "https://app.example/voice")
    }

    @Test func clientRequestIDOmittedPast2048Bytes() {
        // base + "?clientRequestId=" (17 bytes) + "abc" (3 bytes).
        let prefix = "https://app.example/"
        let exact = prefix + String(repeating: "p", count: 2048 - 20 - prefix.count)
        let withID = CallbackRequest.url(exact, clientRequestID: "abc")
        #expect(withID == exact + "?clientRequestId=abc")
        #expect(withID.utf8.count == 2048)
        let over = exact + "p"
        #expect(CallbackRequest.url(over, clientRequestID: "abc") == over)
        // The limit counts encoded bytes: "é" is 6 bytes once encoded (%C3%A9).
        let base = prefix + String(repeating: "p", count: 2048 - 17 - 6 - prefix.count)
        #expect(CallbackRequest.url(base, clientRequestID: "\u{E9}").utf8.count == 2048)
        #expect(CallbackRequest.url(base + "p", clientRequestID: "\u{E9}") == base + "p")
    }
}
