/// The call state the PBX POSTs to the current document URL at every step of a call
/// (voice-actions.md §1). Pure value: the runtime turns it into a form body or query string.
public struct CallbackRequest: Sendable, Equatable {
    /// `Direction`: who started the call.
    public enum Direction: String, Sendable, Equatable {
        case inbound, outbound

        /// Africa's Talking spells its `direction` field capitalised (`Inbound` / `Outbound`).
        public var africasTalking: String { self == .inbound ? "Inbound" : "Outbound" }
    }

    /// `CallStatus` and `DialCallStatus` values.
    public enum Status: String, Sendable, Equatable {
        case ringing, answered, completed, failed, busy, canceled
        case noAnswer = "no_answer"

        /// Africa's Talking `isActive`: the call is live (ringing or answered).
        public var isActive: Bool { self == .ringing || self == .answered }
    }

    /// `CallId`: the call record's UUID.
    public var callID: String
    /// `SessionId`: the PBX session id, the same for all legs of one session.
    public var sessionID: String
    /// `Direction`.
    public var direction: Direction
    /// `From`: E.164 number, or SIP user part when not E.164.
    public var from: String
    /// `To`: E.164 number, or SIP user part when not E.164.
    public var to: String
    /// `CallStatus`.
    public var callStatus: Status
    /// `Step`: 1 for the first request of the call, then +1 per request.
    public var step: Int
    /// `Digits`: after `getDigits` / `record` ended by a key (finish key excluded).
    public var digits: String?
    /// `RecordingUrl`: after `record`.
    public var recordingURL: String?
    /// `RecordingDurationSeconds`: after `record`.
    public var recordingDurationSeconds: Int?
    /// `DialCallStatus`: after a `dial` ended with the caller still connected.
    public var dialCallStatus: Status?
    /// `DialCallDurationSeconds`: after a `dial` ended with the caller still connected.
    public var dialCallDurationSeconds: Int?
    /// `DialCallId`: the dialed leg's call record UUID.
    public var dialCallID: String?
    /// `ClientRequestId`: only if the call was placed with a `client_request_id`.
    public var clientRequestID: String?

    /// Creates a request; the only-when-present fields default to absent.
    public init(
        callID: String, sessionID: String, direction: Direction, from: String, to: String,
        callStatus: Status, step: Int, digits: String? = nil, recordingURL: String? = nil,
        recordingDurationSeconds: Int? = nil, dialCallStatus: Status? = nil,
        dialCallDurationSeconds: Int? = nil, dialCallID: String? = nil, clientRequestID: String? = nil
    ) {
        self.callID = callID
        self.sessionID = sessionID
        self.direction = direction
        self.from = from
        self.to = to
        self.callStatus = callStatus
        self.step = step
        self.digits = digits
        self.recordingURL = recordingURL
        self.recordingDurationSeconds = recordingDurationSeconds
        self.dialCallStatus = dialCallStatus
        self.dialCallDurationSeconds = dialCallDurationSeconds
        self.dialCallID = dialCallID
        self.clientRequestID = clientRequestID
    }

    /// Every field of §1 in a stable order: the PBX's own names first, then the Africa's
    /// Talking aliases. Only-when-present fields are left out when nil.
    ///
    /// Alias choices: `isActive` is "1" while ringing or answered, else "0" (AT sends 0 in
    /// the final request); `direction` is AT's capitalised `Inbound` / `Outbound`;
    /// `callerNumber` = From and `destinationNumber` = To (AT's naming from the caller's
    /// point of view, the same for both directions here); `durationInSeconds` is the
    /// recording's duration after `record`, else the dialed leg's after `dial`, else absent
    /// (the PBX has no whole-call duration mid-call; it arrives with the `call.hangup` webhook).
    public func formFields() -> [(String, String)] {
        var fields: [(String, String)] = [
            ("CallId", callID),
            ("SessionId", sessionID),
            ("Direction", direction.rawValue),
            ("From", from),
            ("To", to),
            ("CallStatus", callStatus.rawValue),
            ("Step", String(step)),
        ]
        fields.reserveCapacity(22)
        if let digits { fields.append(("Digits", digits)) }
        if let recordingURL { fields.append(("RecordingUrl", recordingURL)) }
        if let recordingDurationSeconds { fields.append(("RecordingDurationSeconds", String(recordingDurationSeconds))) }
        if let dialCallStatus { fields.append(("DialCallStatus", dialCallStatus.rawValue)) }
        if let dialCallDurationSeconds { fields.append(("DialCallDurationSeconds", String(dialCallDurationSeconds))) }
        if let dialCallID { fields.append(("DialCallId", dialCallID)) }
        if let clientRequestID { fields.append(("ClientRequestId", clientRequestID)) }

        // Africa's Talking aliases, so existing AT applications run unchanged.
        fields.append(("isActive", callStatus.isActive ? "1" : "0"))
        fields.append(("sessionId", sessionID))
        fields.append(("direction", direction.africasTalking))
        fields.append(("callerNumber", from))
        fields.append(("destinationNumber", to))
        if let digits { fields.append(("dtmfDigits", digits)) }
        if let recordingURL { fields.append(("recordingUrl", recordingURL)) }
        if let duration = recordingDurationSeconds ?? dialCallDurationSeconds {
            fields.append(("durationInSeconds", String(duration)))
        }
        return fields
    }

    /// The fields as an `application/x-www-form-urlencoded` body (UTF-8, WHATWG serializer).
    public func formBody() -> [UInt8] {
        FormEncoding.encode(formFields())
    }

    /// The longest URL that still carries `clientRequestId` (voice-actions.md §1).
    public static let maxURLBytes = 2048

    /// `base` with `clientRequestId=<enc>` appended to its query (`?` or `&`), before any
    /// fragment. Returns `base` unchanged when the id is nil or the result would exceed
    /// `maxURLBytes` bytes.
    public static func url(_ base: String, clientRequestID: String?) -> String {
        guard let clientRequestID else { return base }
        let bytes = Array(base.utf8)
        // The query goes before the fragment (RFC 3986 §3.5); a fragment never reaches the server.
        let fragmentStart = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex
        let head = bytes[..<fragmentStart]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 17 + clientRequestID.utf8.count)
        out.append(contentsOf: head)
        if let last = head.last, head.contains(UInt8(ascii: "?")) {
            // `…?` or `…&` already ends with a separator; otherwise join with `&`.
            if last != UInt8(ascii: "?") && last != UInt8(ascii: "&") { out.append(UInt8(ascii: "&")) }
        } else {
            out.append(UInt8(ascii: "?"))
        }
        out.append(contentsOf: "clientRequestId=".utf8)
        FormEncoding.append(clientRequestID, to: &out)
        out.append(contentsOf: bytes[fragmentStart...])
        guard out.count <= maxURLBytes else { return base }
        return String(decoding: out, as: UTF8.self)
    }
}
