import GRDB

/// A mistake by the store's caller (ultimately an API user), with the admin API's stable
/// error code (admin-api.md "Conventions") and a message that says what to fix.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The thing does not exist (or is not visible to the workspace); the payload is the
    /// spec code, e.g. "calls.not_found", "numbers.not_found", "webhooks.not_found",
    /// "workspaces.not_found", or "not_found" when nothing more specific fits.
    case notFound(String)
    /// `numbers.already_claimed`: an active number with that E.164 exists.
    case alreadyClaimed
    /// `numbers.not_assigned`: the number was released (another workspace's number is `notFound`).
    case notAssigned
    /// `wallet.insufficient_funds`: the balance is negative, new billable calls are refused.
    case insufficientFunds
    /// `wallet.invalid_amount`: amounts are positive and below 10^12 minor units.
    case invalidAmount
    /// `idempotency.conflict`: the same Idempotency-Key was used with another request body.
    case idempotencyConflict
    /// `validation.bad_request`: `field` is wrong, `message` says how.
    case invalid(field: String, message: String)

    /// The spec's error code.
    public var code: String {
        switch self {
        case .notFound(let code): return code
        case .alreadyClaimed: return "numbers.already_claimed"
        case .notAssigned: return "numbers.not_assigned"
        case .insufficientFunds: return "wallet.insufficient_funds"
        case .invalidAmount: return "wallet.invalid_amount"
        case .idempotencyConflict: return "idempotency.conflict"
        case .invalid: return "validation.bad_request"
        }
    }

    /// Human text for the error envelope.
    public var message: String {
        switch self {
        case .notFound(let code):
            switch code {
            case "calls.not_found": return "No call with that id or session id in this workspace."
            case "numbers.not_found": return "No number with that id."
            case "webhooks.not_found": return "No webhook with that id in this workspace."
            case "workspaces.not_found": return "No workspace with that id."
            case "calls.recording_not_found": return "No recording with that id."
            default: return "Not found."
            }
        case .alreadyClaimed: return "That number is already claimed by a workspace; release it first."
        case .notAssigned: return "That number was released and is no longer assigned to this workspace."
        case .insufficientFunds: return "The wallet balance is negative; top up before placing billable calls."
        case .invalidAmount: return "Amounts must be whole minor units greater than 0 and less than 10^12."
        case .idempotencyConflict: return "This Idempotency-Key was already used with a different request."
        case .invalid(let field, let message): return "\(field): \(message)"
        }
    }

    public var description: String { "\(code): \(message)" }
}

/// Whether `error` is SQLite refusing a row because of a UNIQUE (or primary key) constraint.
func isUniqueViolation(_ error: any Error) -> Bool {
    guard let dbError = error as? DatabaseError else { return false }
    return dbError.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
        || dbError.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
}
