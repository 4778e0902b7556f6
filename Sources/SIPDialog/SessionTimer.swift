/// Our local session-timer configuration (RFC 4028).
public struct SessionTimerPolicy: Sendable, Equatable {
    /// Whether we support and use the extension at all.
    public var enabled: Bool
    /// The session interval we ask for (as UAC) or reduce to (as UAS), in seconds.
    public var sessionExpires: UInt32
    /// The smallest interval we accept; a UAC that supports timers and asks for less gets a 422.
    public var minSE: UInt32
    /// Who refreshes when we are UAS and the UAC supports timers but left the choice to us
    /// (RFC 4028 §9 Table 2, row 2). Defaults to the UAC: the side that asked keeps the session
    /// alive, and a UAC that stops refreshing is exactly what the timer detects.
    public var uasPreferredRefresher: SessionRefresher

    /// Creates a policy; Min-SE is raised to 90 s (RFC 4028 §5) and the interval to Min-SE.
    public init(
        enabled: Bool = true, sessionExpires: UInt32 = 1800, minSE: UInt32 = 90,
        uasPreferredRefresher: SessionRefresher = .uac
    ) {
        self.enabled = enabled
        self.minSE = max(minSE, MinSE.floor)
        self.sessionExpires = max(sessionExpires, self.minSE)
        self.uasPreferredRefresher = uasPreferredRefresher
    }
}

/// A session timer both ends have agreed on.
public struct ActiveSessionTimer: Sendable, Equatable {
    /// Session interval in seconds.
    public var interval: UInt32
    /// Who refreshes, relative to the transaction that negotiated it.
    public var refresher: SessionRefresher

    /// Creates an agreed timer.
    public init(interval: UInt32, refresher: SessionRefresher) {
        self.interval = interval
        self.refresher = refresher
    }

    /// Whether we refresh, given our role (UAC or UAS) in the negotiating transaction.
    public func isLocalRefresher(localRole: SessionRefresher) -> Bool { refresher == localRole }

    /// RFC 4028 §10: the refresher sends the refresh at half the interval.
    public var refreshDelay: Duration { .seconds(Int64(interval)) / 2 }

    /// RFC 4028 §10: without a refresh, the other side sends BYE at the interval minus the
    /// smaller of 32 seconds and a third of the interval, so the BYE lands before expiry.
    public var expiryDelay: Duration {
        let whole = Duration.seconds(Int64(interval))
        return whole - min(.seconds(32), whole / 3)
    }
}

/// What a UAS does with the session timer of an INVITE or UPDATE it received (RFC 4028 §9).
public enum SessionTimerDecision: Sendable, Equatable {
    /// No session timer: neither Session-Expires nor Require: timer in the response.
    case none
    /// Reject with 422 Session Interval Too Small carrying this Min-SE.
    case reject422(minSE: UInt32)
    /// Accept: the 2xx carries Session-Expires with this interval and refresher, and
    /// Require: timer when `requireTimerInResponse`.
    case accept(interval: UInt32, refresher: SessionRefresher, requireTimerInResponse: Bool)

    /// The Session-Expires to put in the 2xx; nil unless accepted.
    public var responseSessionExpires: SessionExpires? {
        guard case .accept(let interval, let refresher, _) = self else { return nil }
        return SessionExpires(interval: interval, refresher: refresher)
    }

    /// The Min-SE to put in the 422; nil unless rejected.
    public var responseMinSE: MinSE? {
        guard case .reject422(let minSE) = self else { return nil }
        return MinSE(interval: minSE)
    }

    /// The agreed timer, from the UAS point of view; nil unless accepted.
    public var activeTimer: ActiveSessionTimer? {
        guard case .accept(let interval, let refresher, _) = self else { return nil }
        return ActiveSessionTimer(interval: interval, refresher: refresher)
    }
}

/// The session-timer headers of a request we send (RFC 4028 §7.1, §7.4).
public struct SessionTimerRequest: Sendable, Equatable {
    /// Session-Expires to send, if any.
    public var sessionExpires: SessionExpires?
    /// Min-SE to send, if any (absent means 90 s).
    public var minSE: MinSE?
    /// Whether to list "timer" in Supported.
    public var supportedTimer: Bool

    /// Creates a set of headers.
    public init(sessionExpires: SessionExpires?, minSE: MinSE?, supportedTimer: Bool) {
        self.sessionExpires = sessionExpires
        self.minSE = minSE
        self.supportedTimer = supportedTimer
    }
}

extension SessionTimerPolicy {
    // MARK: UAS

    /// RFC 4028 §9: decides the session timer for a received INVITE/UPDATE, from its
    /// Session-Expires, Min-SE, and whether its Supported lists "timer".
    public func uasDecision(
        requestSessionExpires: SessionExpires?, requestMinSE: MinSE?, uacSupportsTimer: Bool
    ) -> SessionTimerDecision {
        // A UAS without the extension ignores the headers; the UAC then sees no
        // Session-Expires in the 2xx and runs no timer (§7.2).
        guard enabled else { return .none }
        // §9: never below the request's Min-SE (90 s when absent) nor our own minimum.
        let lowest = max(requestMinSE?.interval ?? MinSE.floor, MinSE.floor, minSE)
        let interval: UInt32
        if let requested = requestSessionExpires?.interval {
            if requested < minSE {
                // §9: a UAC that supports timers can retry, so a 422 is useful. One that does not
                // (a proxy inserted the header) would just fail the call; like a proxy (§8.1)
                // we raise the interval instead.
                if uacSupportsTimer { return .reject422(minSE: minSE) }
                interval = lowest
            } else {
                // §9: the UAS MAY reduce the interval but MUST NOT increase it, nor go below Min-SE.
                interval = min(requested, max(sessionExpires, lowest))
            }
        } else {
            // §9: with "timer" supported but no Session-Expires the UAS may ask for a timer;
            // without support Table 2 row 1 still lets the UAS run one as refresher.
            interval = max(sessionExpires, lowest)
        }
        guard uacSupportsTimer else {
            // §9 Table 2: a UAC without the extension cannot refresh, and Require: timer
            // would make it fail the call.
            return .accept(interval: interval, refresher: .uas, requireTimerInResponse: false)
        }
        // §9 Table 2: a refresher chosen by the UAC is kept; otherwise we choose.
        let refresher = requestSessionExpires?.refresher ?? uasPreferredRefresher
        // §9: Require: timer MUST be present for refresher=uac and SHOULD be for uas.
        return .accept(interval: interval, refresher: refresher, requireTimerInResponse: true)
    }

    // MARK: UAC

    /// RFC 4028 §7.1: headers for an initial INVITE. Supported: timer always; Session-Expires
    /// with our interval (refresher nil leaves the choice to the UAS); Min-SE only when ours is
    /// above the 90 s its absence already means.
    public func uacInitialRequest(refresher: SessionRefresher? = nil) -> SessionTimerRequest {
        guard enabled else { return SessionTimerRequest(sessionExpires: nil, minSE: nil, supportedTimer: false) }
        return SessionTimerRequest(
            sessionExpires: SessionExpires(interval: sessionExpires, refresher: refresher),
            minSE: minSE > MinSE.floor ? MinSE(interval: minSE) : nil,
            supportedTimer: true)
    }

    /// RFC 4028 §7.3: headers for retrying after a 422. Min-SE becomes the larger of what we
    /// sent and the 422's Min-SE, and Session-Expires is raised to it. Nil when the 422 has no
    /// usable Min-SE or asks for nothing we did not already offer (retrying would loop).
    public func uacRetryAfter422(
        previous: SessionTimerRequest, responseMinSE: MinSE?
    ) -> SessionTimerRequest? {
        guard let demanded = responseMinSE?.interval, demanded >= MinSE.floor else { return nil }
        let offered = previous.sessionExpires?.interval ?? 0
        guard demanded > offered else { return nil }
        let newMinSE = max(previous.minSE?.interval ?? MinSE.floor, demanded)
        return SessionTimerRequest(
            sessionExpires: SessionExpires(interval: max(offered, newMinSE), refresher: previous.sessionExpires?.refresher),
            minSE: MinSE(interval: newMinSE),
            supportedTimer: previous.supportedTimer)
    }

    /// RFC 4028 §7.2: the timer a 2xx establishes for the UAC. No Session-Expires means no
    /// session expiration. A missing refresher (the UAS MUST set one) is taken as "uac" so
    /// that someone refreshes. Without the extension we only honour refresher=uas.
    public func uacOutcome(responseSessionExpires: SessionExpires?) -> ActiveSessionTimer? {
        guard let value = responseSessionExpires else { return nil }
        let refresher = value.refresher ?? .uac
        if !enabled && refresher == .uac { return nil }
        return ActiveSessionTimer(interval: value.interval, refresher: refresher)
    }

    /// RFC 4028 §7.4: headers for a refresh (re-INVITE/UPDATE) within an active session. The
    /// current interval is kept; refresher names the sender as "uac" when it is the one doing
    /// the refreshing, so the role stays with it.
    public func refreshRequest(current: ActiveSessionTimer, senderIsRefresher: Bool) -> SessionTimerRequest {
        SessionTimerRequest(
            sessionExpires: SessionExpires(interval: current.interval, refresher: senderIsRefresher ? .uac : .uas),
            minSE: minSE > MinSE.floor ? MinSE(interval: minSE) : nil,
            supportedTimer: true)
    }
}
