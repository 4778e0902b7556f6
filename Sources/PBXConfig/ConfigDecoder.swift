/// Maps the YAML tree onto `PBXConfiguration`, checking types, ranges and cross-key rules.
///
/// Each section lists its allowed keys once; `ConfigNode.map(allowedKeys:)` rejects the rest.
enum ConfigDecoder {
    static func decode(_ root: ConfigNode) throws(ConfigIssue) -> PBXConfiguration {
        let map = try root.map(allowedKeys: ["sip", "rtp", "admin", "data_dir", "log", "calls", "numbers"])
        var config = PBXConfiguration()
        if let node = map["sip"] { config.sip = try sip(node) }
        if let node = map["rtp"] { config.rtp = try rtp(node) }
        if let node = map["admin"] { config.admin = try admin(node) }
        if let node = map["data_dir"] {
            let directory = try node.nonEmptyString()
            guard !directory.utf8.contains(0) else { throw node.issue("must not contain NUL bytes") }
            config.dataDirectory = directory
        }
        if let node = map["log"] { config.log = try log(node) }
        if let node = map["calls"] { config.calls = try calls(node) }
        if let node = map["numbers"] { config.numbers = try numbers(node) }
        return config
    }

    // MARK: sip

    static func sip(_ node: ConfigNode) throws(ConfigIssue) -> SIPSettings {
        let map = try node.map(allowedKeys: ["listen", "public_address", "user_agent",
                                             "max_message_bytes", "session_timer", "overload"])
        var sip = SIPSettings()
        if let listNode = map["listen"] {
            let items = try listNode.list()
            guard !items.isEmpty else { throw listNode.issue("must list at least one host:port") }
            var addresses: [ListenAddress] = []
            for item in items {
                let address = try listenAddress(item)
                if let earlier = addresses.firstIndex(of: address) {
                    throw item.issue("duplicate of \(listNode.path)[\(earlier)]")
                }
                addresses.append(address)
            }
            sip.listen = addresses
        }
        if let hostNode = map["public_address"], !hostNode.isNull {
            let text = try hostNode.string()
            guard let host = PublicHost(text) else {
                throw hostNode.issue("\(quoted(text)) is not an IP address or DNS hostname (no port here)")
            }
            sip.publicAddress = host
        }
        if let agentNode = map["user_agent"] {
            let agent = try agentNode.nonEmptyString()
            // A control character (CR/LF above all) would end the header early: header injection.
            guard !agent.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw agentNode.issue("must not contain control characters")
            }
            sip.userAgent = agent
        }
        // RFC 3261 §18.1.1 needs 1300+ bytes for a normal INVITE; 65535 is the UDP maximum.
        sip.maxMessageBytes = try map.int("max_message_bytes", default: sip.maxMessageBytes, in: 1024...65535)
        if let timerNode = map["session_timer"] { sip.sessionTimer = try sessionTimer(timerNode) }
        if let overloadNode = map["overload"] { sip.overload = try overload(overloadNode) }
        return sip
    }

    static func listenAddress(_ node: ConfigNode) throws(ConfigIssue) -> ListenAddress {
        let text = try node.string()
        switch ListenAddress.parse(text) {
        case .success(let address): return address
        case .failure(let reason): throw node.issue("\(quoted(text)) is not host:port (\(reason))")
        }
    }

    static func sessionTimer(_ node: ConfigNode) throws(ConfigIssue) -> SessionTimerSettings {
        let map = try node.map(allowedKeys: ["enabled", "session_expires_seconds", "min_se_seconds"])
        var timer = SessionTimerSettings()
        timer.enabled = try map.bool("enabled", default: timer.enabled)
        // RFC 4028 §5: Min-SE MUST NOT be below 90 seconds; Session-Expires below Min-SE would
        // be answered with 422 by every compliant peer.
        timer.sessionExpiresSeconds = try map.int("session_expires_seconds", default: timer.sessionExpiresSeconds,
                                                  in: 90...86400)
        timer.minSESeconds = try map.int("min_se_seconds", default: timer.minSESeconds, in: 90...86400)
        if timer.sessionExpiresSeconds < timer.minSESeconds {
            let culprit = map["session_expires_seconds"] ?? map["min_se_seconds"] ?? node
            throw ConfigIssue(at: "\(node.path).session_expires_seconds",
                              "must be at least min_se_seconds (\(timer.minSESeconds)), got \(timer.sessionExpiresSeconds)",
                              line: culprit.line)
        }
        return timer
    }

    static func overload(_ node: ConfigNode) throws(ConfigIssue) -> OverloadSettings {
        let map = try node.map(allowedKeys: ["max_active_calls", "retry_after_seconds"])
        var overload = OverloadSettings()
        overload.maxActiveCalls = try map.int("max_active_calls", default: overload.maxActiveCalls, in: 1...10_000_000)
        overload.retryAfterSeconds = try map.int("retry_after_seconds", default: overload.retryAfterSeconds,
                                                 in: 1...3600)
        return overload
    }

    // MARK: rtp, admin, log, calls

    static func rtp(_ node: ConfigNode) throws(ConfigIssue) -> RTPSettings {
        let map = try node.map(allowedKeys: ["port_min", "port_max", "media_timeout_seconds", "media_workers"])
        var rtp = RTPSettings()
        let portMin = try map.int("port_min", default: Int(rtp.portMin), in: 1024...65535)
        // RFC 3550 §11: RTP uses an even port and RTCP the next (odd) one.
        if portMin % 2 != 0 {
            throw ConfigIssue(at: "\(node.path).port_min", "must be even, got \(portMin)", line: map["port_min"]?.line)
        }
        let portMax = try map.int("port_max", default: Int(rtp.portMax), in: 1024...65535)
        if portMin >= portMax {
            throw ConfigIssue(at: "\(node.path).port_max", "must be greater than port_min (\(portMin)), got \(portMax)",
                              line: (map["port_max"] ?? map["port_min"])?.line)
        }
        rtp.portMin = UInt16(portMin)
        rtp.portMax = UInt16(portMax)
        rtp.mediaTimeoutSeconds = try map.int("media_timeout_seconds", default: rtp.mediaTimeoutSeconds, in: 1...3600)
        rtp.mediaWorkers = try map.int("media_workers", default: rtp.mediaWorkers, in: 0...256)
        return rtp
    }

    static func admin(_ node: ConfigNode) throws(ConfigIssue) -> AdminSettings {
        let map = try node.map(allowedKeys: ["listen"])
        var admin = AdminSettings()
        if let listenNode = map["listen"] { admin.listen = try listenAddress(listenNode) }
        return admin
    }

    static func log(_ node: ConfigNode) throws(ConfigIssue) -> LogSettings {
        let map = try node.map(allowedKeys: ["level", "format"])
        var log = LogSettings()
        log.level = try map.choice("level", default: log.level)
        log.format = try map.choice("format", default: log.format)
        return log
    }

    static func calls(_ node: ConfigNode) throws(ConfigIssue) -> CallSettings {
        let map = try node.map(allowedKeys: ["max_duration_seconds", "drain_seconds", "ring_seconds",
                                             "callback_connect_timeout_seconds", "callback_timeout_seconds"])
        var calls = CallSettings()
        calls.maxDurationSeconds = try map.int("max_duration_seconds", default: calls.maxDurationSeconds, in: 1...86400)
        calls.drainSeconds = try map.int("drain_seconds", default: calls.drainSeconds, in: 0...3600)
        calls.ringSeconds = try map.int("ring_seconds", default: calls.ringSeconds, in: 0...60)
        calls.callbackConnectTimeoutSeconds = try map.int("callback_connect_timeout_seconds",
                                                          default: calls.callbackConnectTimeoutSeconds, in: 1...60)
        calls.callbackTimeoutSeconds = try map.int("callback_timeout_seconds", default: calls.callbackTimeoutSeconds, in: 1...120)
        return calls
    }

    // MARK: numbers

    static func numbers(_ node: ConfigNode) throws(ConfigIssue) -> NumberPlan {
        var entries: [NumberEntry] = []
        let items = try node.list()
        for item in items {
            entries.append(try numberEntry(item))
        }
        switch NumberPlan.build(entries) {
        case .success(let plan):
            return plan
        case .failure(let conflict):
            let line = items.indices.contains(conflict.duplicate) ? items[conflict.duplicate].line : node.line
            throw ConfigIssue(at: "\(node.path)[\(conflict.duplicate)].number",
                              "duplicate of \(node.path)[\(conflict.first)]", line: line)
        }
    }

    static func numberEntry(_ node: ConfigNode) throws(ConfigIssue) -> NumberEntry {
        let map = try node.map(allowedKeys: ["number", "route", "name"])
        let numberNode = try map.required("number")
        let text = try numberNode.string()
        let routeNode = try map.required("route")
        let route = try routeNode.choice(NumberRoute.self)
        var name: String?
        if let nameNode = map["name"], !nameNode.isNull { name = try nameNode.string() }
        guard let entry = NumberEntry(number: text, route: route, name: name) else {
            throw numberNode.issue("\(quoted(text)) is neither E.164 (\"+\" then 1-15 digits) "
                                   + "nor a SIP user ([A-Za-z0-9._-]+)")
        }
        return entry
    }
}
