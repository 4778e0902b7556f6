import SIPSyntax

/// What happens to the transaction layer: a message from the transport, a request or response
/// from the transaction user (TU), or a timer expiry from the driver's clock.
public enum TransactionEvent: Sendable {
    /// A request arrived from the transport (already parsed and validated).
    case requestReceived(SIPRequest, from: TransportAddress)
    /// A response arrived from the transport.
    case responseReceived(SIPResponse, from: TransportAddress)
    /// The TU starts a client transaction. An ACK is sent statelessly, outside any transaction
    /// (RFC 3261 §13.2.2.4: the ACK for a 2xx belongs to the TU).
    case sendRequest(SIPRequest, to: TransportAddress)
    /// The TU answers a server transaction.
    case sendResponse(SIPResponse, key: TransactionKey)
    /// A timer the layer started has expired.
    case timerFired(TimerID)
    /// Sending a message of that transaction failed (ICMP unreachable, connection refused…).
    case transportFailed(TransactionKey)
}

/// What the driver must do, in order, after handing an event to the layer.
public enum TransactionAction: Sendable {
    /// Serialize the message and send it to the address.
    case transmit(SIPMessage, to: TransportAddress)
    /// Schedule `timerFired(id)` after the duration (replacing any pending one of that id).
    case startTimer(TimerID, after: Duration)
    /// Forget a pending timer.
    case cancelTimer(TimerID)
    /// A new request for the TU (INVITE, BYE, OPTIONS, CANCEL…); its top Via already
    /// carries `received`/`rport` (RFC 3261 §18.2.1, RFC 3581 §4).
    case deliverRequest(SIPRequest, key: TransactionKey, from: TransportAddress)
    /// An ACK for a 2xx: outside any transaction, or matched in the Accepted state (RFC 6026 §8.7).
    case deliverAck(SIPRequest, from: TransportAddress)
    /// A response for the TU's client transaction (1xx, final, and 2xx retransmissions in Accepted).
    case deliverResponse(SIPResponse, key: TransactionKey)
    /// A response matching no transaction (e.g. a 2xx after Timer M). RFC 6026's update of RFC 3261
    /// §18.1.2 says to discard it: the TU should drop it unless it re-ACKs a 2xx of a dialog it knows.
    case deliverStrayResponse(SIPResponse, from: TransportAddress)
    /// Timer B/F/H fired or the transport failed before the exchange finished: the TU treats it as 408.
    case timedOut(TransactionKey)
    /// The transaction is over and has been removed; its timers were cancelled just before.
    case terminated(TransactionKey)
}

/// The state a live transaction is in (RFC 3261 Figures 5–8, RFC 6026 Figures 5 and 7).
public enum TransactionState: String, Sendable {
    /// Client INVITE sent, nothing heard back.
    case calling
    /// Non-INVITE request sent (client) or received (server), no provisional yet.
    case trying
    /// A provisional response was received (client) or sent (server).
    case proceeding
    /// A non-2xx final (INVITE) or any final (non-INVITE) response was received or sent.
    case completed
    /// Server INVITE: the ACK for the non-2xx final response arrived.
    case confirmed
    /// INVITE: a 2xx was received or sent; lingering for retransmissions (RFC 6026).
    case accepted
}
