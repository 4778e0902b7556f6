import Billing

/// An error the API answers with the envelope of admin-api.md "Conventions":
/// `{"error": {"code", "message", "request_id"}}`. Codes are stable; messages say what to fix.
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    /// The Allow header of a 405 (RFC 9110 §15.5.6).
    public var allow: String?

    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(400, "validation.bad_request", message) }
    public static let invalidCursor = APIError(400, "validation.invalid_cursor", "cursor is not one this API issued; start again without it")
    public static let notFound = APIError(404, "not_found", "no such resource")
    public static func methodNotAllowed(_ allowed: [String]) -> APIError {
        APIError(405, "method_not_allowed", "use " + allowed.joined(separator: ", "))
    }
    public static let internalError = APIError(500, "internal_error", "the server failed; the request id identifies it in the logs")

    /// The envelope body for this error.
    func body(requestID: String) -> [UInt8] {
        JSONWriter.object([("error", .object([("code", .string(code)), ("message", .string(message)),
                                              ("request_id", .string(requestID))]))])
    }

    /// Maps a store error onto its HTTP status; the store's codes already are the spec's.
    static func from(_ e: StoreError) -> APIError {
        switch e {
        case .notFound(let code): APIError(404, code, notFoundMessage(code))
        case .alreadyClaimed: APIError(409, e.code, "this number is already claimed")
        case .notAssigned: APIError(409, e.code, "this number was released and is no longer assigned to your workspace")
        case .insufficientFunds: APIError(402, e.code, "the wallet balance is negative; top up to make billable calls")
        case .invalidAmount: APIError(400, e.code, "amount_minor must be a positive whole number of minor units below 10^12")
        case .idempotencyConflict: APIError(409, e.code, "this Idempotency-Key was used with a different request body")
        case .invalid(let field, let message): APIError(400, invalidCode(field), "\(field): \(message)")
        }
    }

    /// The store validates fields once for every caller; some fields have their own code.
    private static func invalidCode(_ field: String) -> String {
        switch field {
        case "voice_callback_url", "fallback_url", "events_url": "numbers.invalid_routing_url"
        case "events": "webhooks.event_unsupported"
        default: "validation.bad_request"
        }
    }

    private static func notFoundMessage(_ code: String) -> String {
        switch code {
        case "calls.not_found": "no call with this id or session id in your workspace"
        case "numbers.not_found": "no number with this id in your workspace"
        case "webhooks.not_found": "no webhook with this id in your workspace"
        case "workspaces.not_found": "no workspace with this id"
        default: "no such resource"
        }
    }
}
