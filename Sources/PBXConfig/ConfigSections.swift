/// `sip:` — signalling listeners and protocol limits.
public struct SIPSettings: Sendable, Equatable {
    /// `sip.listen`: UDP addresses to receive SIP on.
    public var listen: [ListenAddress]
    /// `sip.public_address`: host advertised in Contact/Via/SDP when listening on a wildcard.
    public var publicAddress: PublicHost?
    /// `sip.user_agent`: User-Agent and Server header value.
    public var userAgent: String
    /// `sip.max_message_bytes`: largest SIP datagram accepted (RFC 3261 §18.1.1 sizes).
    public var maxMessageBytes: Int
    /// `sip.session_timer`: RFC 4028 session timers.
    public var sessionTimer: SessionTimerSettings
    /// `sip.overload`: when to turn new calls away with 503.
    public var overload: OverloadSettings

    /// Default listen address: loopback only, so a fresh install exposes nothing.
    public static let defaultListen = [ListenAddress(canonicalHost: "127.0.0.1", port: 5060, family: .ipv4)]

    /// The documented defaults.
    public init(
        listen: [ListenAddress] = SIPSettings.defaultListen,
        publicAddress: PublicHost? = nil,
        userAgent: String = "SautiPBX/0.1",
        maxMessageBytes: Int = 65535,
        sessionTimer: SessionTimerSettings = SessionTimerSettings(),
        overload: OverloadSettings = OverloadSettings()
    ) {
        self.listen = listen
        self.publicAddress = publicAddress
        self.userAgent = userAgent
        self.maxMessageBytes = maxMessageBytes
        self.sessionTimer = sessionTimer
        self.overload = overload
    }
}

/// `sip.session_timer:` — RFC 4028 keep-alive re-INVITE/UPDATE timers.
public struct SessionTimerSettings: Sendable, Equatable {
    /// `enabled`: offer and honour session timers.
    public var enabled: Bool
    /// `session_expires_seconds`: Session-Expires we ask for (RFC 4028 §4 recommends 1800).
    public var sessionExpiresSeconds: Int
    /// `min_se_seconds`: smallest interval we accept; RFC 4028 §5 sets the floor at 90.
    public var minSESeconds: Int

    /// The documented defaults.
    public init(enabled: Bool = true, sessionExpiresSeconds: Int = 1800, minSESeconds: Int = 90) {
        self.enabled = enabled
        self.sessionExpiresSeconds = sessionExpiresSeconds
        self.minSESeconds = minSESeconds
    }
}

/// `sip.overload:` — load shedding for new calls.
public struct OverloadSettings: Sendable, Equatable {
    /// `max_active_calls`: above this, new INVITEs get 503 Service Unavailable.
    public var maxActiveCalls: Int
    /// `retry_after_seconds`: Retry-After on that 503 (RFC 3261 §21.5.4).
    public var retryAfterSeconds: Int

    /// The documented defaults.
    public init(maxActiveCalls: Int = 20000, retryAfterSeconds: Int = 5) {
        self.maxActiveCalls = maxActiveCalls
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// `rtp:` — media port range and liveness.
public struct RTPSettings: Sendable, Equatable {
    /// `port_min`: first port of the range, even (RFC 3550 §11: RTP even, RTCP = RTP + 1).
    public var portMin: UInt16
    /// `port_max`: last port of the range, inclusive (may be odd: the last RTCP port).
    public var portMax: UInt16
    /// `media_timeout_seconds`: hang up a call after this long with no RTP received.
    public var mediaTimeoutSeconds: Int
    /// `media_workers`: media threads (each owns its legs' sockets and 20 ms tick); 0 = one
    /// per online CPU.
    public var mediaWorkers: Int

    /// The documented defaults.
    public init(portMin: UInt16 = 20000, portMax: UInt16 = 39999, mediaTimeoutSeconds: Int = 30, mediaWorkers: Int = 0) {
        self.portMin = portMin
        self.portMax = portMax
        self.mediaTimeoutSeconds = mediaTimeoutSeconds
        self.mediaWorkers = mediaWorkers
    }

    /// How many RTP/RTCP port pairs the range holds.
    public var pairCount: Int { (Int(portMax) - Int(portMin) + 1) / 2 }
}

/// `admin:` — the HTTP admin API.
public struct AdminSettings: Sendable, Equatable {
    /// `listen`: address of the admin API.
    public var listen: ListenAddress

    /// Default admin address: loopback only (the API holds billing data).
    public static let defaultListen = ListenAddress(canonicalHost: "127.0.0.1", port: 8080, family: .ipv4)

    /// The documented defaults.
    public init(listen: ListenAddress = AdminSettings.defaultListen) {
        self.listen = listen
    }
}

/// `log.level`: swift-log's levels, lowest first.
public enum LogLevel: String, Sendable, Equatable, CaseIterable {
    /// Everything, including per-packet detail.
    case trace
    /// Developer detail.
    case debug
    /// Normal operation (default).
    case info
    /// Notable but normal events.
    case notice
    /// Something unexpected that the daemon handled.
    case warning
    /// A failed operation.
    case error
    /// The daemon cannot go on.
    case critical
}

/// `log.format`: how log lines are written.
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// One human-readable line per event.
    case text
    /// One JSON object per line, for log shippers.
    case json
}

/// `log:` — logging.
public struct LogSettings: Sendable, Equatable {
    /// `level`: lowest level written.
    public var level: LogLevel
    /// `format`: text or json.
    public var format: LogFormat

    /// The documented defaults.
    public init(level: LogLevel = .info, format: LogFormat = .text) {
        self.level = level
        self.format = format
    }
}

/// `calls:` — call lifetime limits.
public struct CallSettings: Sendable, Equatable {
    /// `max_duration_seconds`: hard cap on one call's length (1-86400).
    public var maxDurationSeconds: Int
    /// `drain_seconds`: on shutdown, how long active calls may finish before being hung up.
    public var drainSeconds: Int
    /// `ring_seconds`: how long to send 180 Ringing before answering; 0 answers at once.
    public var ringSeconds: Int
    /// `callback_connect_timeout_seconds`: connecting to a voice app (voice-actions.md §4: 3 s).
    public var callbackConnectTimeoutSeconds: Int
    /// `callback_timeout_seconds`: a voice app's whole response (voice-actions.md §4: 10 s).
    public var callbackTimeoutSeconds: Int

    /// The documented defaults.
    public init(maxDurationSeconds: Int = 14400, drainSeconds: Int = 30, ringSeconds: Int = 0,
                callbackConnectTimeoutSeconds: Int = 3, callbackTimeoutSeconds: Int = 10) {
        self.maxDurationSeconds = maxDurationSeconds
        self.drainSeconds = drainSeconds
        self.ringSeconds = ringSeconds
        self.callbackConnectTimeoutSeconds = callbackConnectTimeoutSeconds
        self.callbackTimeoutSeconds = callbackTimeoutSeconds
    }
}
