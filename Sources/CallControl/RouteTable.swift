import PBXConfig

/// A number the PBX answers, as call control needs it at INVITE time: what runs the call and
/// whose wallet pays. The table lives in memory (a snapshot of the store's numbers, replaced
/// whenever numbers or wallets change) so routing an INVITE never waits on the database.
public struct RoutedNumber: Sendable, Equatable {
    /// What runs the call once answered.
    public enum Handler: Sendable, Equatable {
        /// A built-in route (hold, echo, the demo app).
        case builtin(NumberRoute)
        /// The developer's voice app (issue 5); until it runs, the call is answered and silent.
        case callback(url: String, fallbackURL: String?)
    }

    /// The workspace that owns the number: calls to it are recorded and billed there.
    public struct Account: Sendable, Equatable {
        public var workspaceID: String
        public var numberID: String
        /// The workspace's inbound rate at call time, fixed on the call record.
        public var inboundRateMinor: Int64
        /// The wallet is negative: billable calls are refused (admin-api.md "Billing").
        public var blocked: Bool
        /// Signs the voice app's callback requests (`X-Sautikit-Signature`).
        public var signingSecret: String?
        /// Hosts `play` may fetch from; nil = any (the workspace's allow-list).
        public var playAllowedHosts: [String]?

        public init(workspaceID: String, numberID: String, inboundRateMinor: Int64, blocked: Bool, signingSecret: String? = nil,
                    playAllowedHosts: [String]? = nil) {
            self.signingSecret = signingSecret
            self.playAllowedHosts = playAllowedHosts
            self.workspaceID = workspaceID
            self.numberID = numberID
            self.inboundRateMinor = inboundRateMinor
            self.blocked = blocked
        }
    }

    /// Normalized: "+" and digits, or a plain SIP user.
    public var number: String
    public var handler: Handler
    /// Nil for numbers known only from the config file (no store): not recorded, not billed.
    public var account: Account?

    public init(number: String, handler: Handler, account: Account?) {
        self.number = number
        self.handler = handler
        self.account = account
    }

    /// The route's name in logs: the YAML word of a built-in route, or "callback".
    public var routeName: String {
        switch handler {
        case .builtin(let r): r.rawValue
        case .callback: "callback"
        }
    }

    /// The built-in route, if any (echo needs the media engine to loop audio back).
    public var builtinRoute: NumberRoute? {
        if case .builtin(let r) = handler { return r }
        return nil
    }
}

/// The numbers call control routes, indexed by Request-URI user part with or without "+".
public struct RouteTable: Sendable, Equatable {
    private var byKey: [Substring: RoutedNumber] = [:]

    public init() {}

    /// Later entries with the same match key replace earlier ones (the store guarantees
    /// uniqueness among active numbers; the config parser rejects duplicates).
    public init(_ numbers: [RoutedNumber]) {
        byKey.reserveCapacity(numbers.count)
        for n in numbers { byKey[NumberEntry.matchKey(forUser: n.number)] = n }
    }

    /// The config file's numbers, unowned (used without a store: tools and tests).
    public init(plan: NumberPlan) {
        self.init(plan.entries.map { RoutedNumber(number: $0.number, handler: .builtin($0.route), account: nil) })
    }

    public var count: Int { byKey.count }

    /// The number for a Request-URI user part ("+254700000001", "254700000001" or "echo").
    public func lookup(user: String) -> RoutedNumber? {
        byKey[NumberEntry.matchKey(forUser: user)]
    }
}
