/// An RFC 4566 session description: the session-level lines plus its media sections.
///
/// The model keeps every line RFC 4566 defines (including e=, p=, r=, z=, k= as raw text) so that
/// `parse(serialize(x)) == x` holds for anything the parser accepted.
public struct SessionDescription: Sendable, Hashable {
    /// `v=`: protocol version; RFC 4566 §5.1 defines only 0.
    public var version: Int
    /// `o=`: originator and session identifier.
    public var origin: SDPOrigin
    /// `s=`: session name (RFC 4566 wants "-" or a space when there is none; empty is tolerated).
    public var sessionName: String
    /// `i=`: session information.
    public var info: String?
    /// `u=`: URI of description.
    public var uri: String?
    /// `e=` lines, raw.
    public var emails: [String]
    /// `p=` lines, raw.
    public var phones: [String]
    /// `c=` at session level: the default for media sections without their own.
    public var connection: SDPConnection?
    /// `b=` lines at session level.
    public var bandwidths: [SDPBandwidth]
    /// `t=` lines each with their `r=` lines.
    public var times: [SDPTiming]
    /// `z=` line, raw.
    public var timeZones: String?
    /// `k=` line at session level, raw (obsolete, kept for round trips).
    public var encryptionKey: String?
    /// `a=` lines at session level, in order.
    public var attributes: [SDPAttribute]
    /// `m=` sections, in order (their index is the RFC 3264 stream position).
    public var media: [MediaDescription]

    /// Creates a description; `times` defaults to the single unbounded `t=0 0` used by SIP.
    public init(
        version: Int = 0,
        origin: SDPOrigin,
        sessionName: String = "-",
        info: String? = nil,
        uri: String? = nil,
        emails: [String] = [],
        phones: [String] = [],
        connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [],
        times: [SDPTiming] = [SDPTiming()],
        timeZones: String? = nil,
        encryptionKey: String? = nil,
        attributes: [SDPAttribute] = [],
        media: [MediaDescription] = []
    ) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.info = info
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.times = times
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.media = media
    }

    /// The session-level direction attribute, if any.
    public var direction: MediaDirection? { MediaDirection.first(in: attributes) }

    /// Direction of media section `index`: its own attribute, else the session's, else sendrecv
    /// (RFC 3264 §5.1). Returns sendrecv for an index out of range.
    public func effectiveDirection(ofMediaAt index: Int) -> MediaDirection {
        guard media.indices.contains(index) else { return direction ?? .sendrecv }
        return media[index].direction ?? direction ?? .sendrecv
    }

    /// Connection of media section `index`: its own c=, else the session c= (RFC 4566 §5.7).
    public func effectiveConnection(ofMediaAt index: Int) -> SDPConnection? {
        guard media.indices.contains(index) else { return connection }
        return media[index].connection ?? connection
    }

    /// Values of all session-level attributes named `name` (ASCII case-insensitive).
    public func attributeValues(named name: String) -> [String] {
        attributes.values(named: name)
    }
}

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (RFC 4566 §5.2).
public struct SDPOrigin: Sendable, Hashable {
    /// User's login on the originating host, or "-".
    public var username: String
    /// Globally unique session id (numeric).
    public var sessionID: UInt64
    /// Version of this description; RFC 3264 §8 requires it to grow with each change.
    public var sessionVersion: UInt64
    /// Network type, "IN".
    public var netType: String
    /// Address type, "IP4" or "IP6".
    public var addrType: String
    /// Address of the originating host.
    public var address: String

    /// Creates an origin; ids are inputs (no clock or randomness here).
    public init(
        username: String = "-",
        sessionID: UInt64,
        sessionVersion: UInt64,
        netType: String = "IN",
        addrType: String = "IP4",
        address: String
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.netType = netType
        self.addrType = addrType
        self.address = address
    }

    /// The same origin with the version increased by one, for the next offer or answer in the
    /// dialog (RFC 3264 §8: "the version number MUST be incremented"). At `UInt64.max` the
    /// version stays put rather than wrapping to a smaller number.
    public func nextVersion() -> SDPOrigin {
        var next = self
        if sessionVersion < UInt64.max { next.sessionVersion = sessionVersion + 1 }
        return next
    }

    /// True when `self` describes the same session as `previous` with a changed version
    /// (RFC 3264 §8: an unchanged version means the SDP itself is unchanged).
    public func isNewVersion(of previous: SDPOrigin) -> Bool {
        username == previous.username && sessionID == previous.sessionID
            && netType == previous.netType && addrType == previous.addrType
            && address == previous.address && sessionVersion != previous.sessionVersion
    }
}

/// `c=<nettype> <addrtype> <connection-address>` (RFC 4566 §5.7).
public struct SDPConnection: Sendable, Hashable {
    /// Network type, "IN".
    public var netType: String
    /// Address type, "IP4" or "IP6".
    public var addrType: String
    /// Address as written, possibly with multicast `/ttl[/count]` suffixes.
    public var address: String

    /// Creates a connection line.
    public init(netType: String = "IN", addrType: String, address: String) {
        self.netType = netType
        self.addrType = addrType
        self.address = address
    }

    /// Creates an IN connection, picking IP6 when the address contains a colon.
    public init(address: String) {
        self.init(netType: "IN", addrType: address.utf8.contains(UInt8(ascii: ":")) ? "IP6" : "IP4",
                  address: address)
    }

    /// The address without multicast `/ttl` or `/count` suffixes.
    public var host: String {
        guard let slash = address.utf8.firstIndex(of: UInt8(ascii: "/")) else { return address }
        return String(address[..<slash])
    }

    /// True for the RFC 2543 hold address 0.0.0.0 (RFC 3264 §8.4), or its IPv6 twin "::".
    public var isUnspecifiedAddress: Bool {
        let h = host
        return h == "0.0.0.0" || h == "::"
    }
}

/// `b=<bwtype>:<bandwidth>` (RFC 4566 §5.8).
public struct SDPBandwidth: Sendable, Hashable {
    /// Bandwidth type, e.g. "AS", "CT", "TIAS".
    public var type: String
    /// Value (kbit/s for AS and CT, bit/s for TIAS).
    public var value: UInt64

    /// Creates a bandwidth line.
    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }
}

/// `t=<start-time> <stop-time>` plus its `r=` lines (RFC 4566 §5.9, §5.10).
public struct SDPTiming: Sendable, Hashable {
    /// NTP start time; 0 means unbounded.
    public var start: UInt64
    /// NTP stop time; 0 means unbounded.
    public var stop: UInt64
    /// `r=` lines, raw.
    public var repeats: [String]

    /// Creates a timing; the default is `t=0 0`, what SIP uses (RFC 3264 §5).
    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }
}

/// `a=<name>` or `a=<name>:<value>` (RFC 4566 §5.13).
public struct SDPAttribute: Sendable, Hashable {
    /// Attribute name.
    public var name: String
    /// Value after the first colon; nil for property attributes like `a=sendrecv`.
    public var value: String?

    /// Creates an attribute.
    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// True when the name equals `other` ignoring ASCII case.
    public func hasName(_ other: String) -> Bool {
        ASCII.equalsIgnoringCase(name, other)
    }
}

extension Array where Element == SDPAttribute {
    /// Values of attributes named `name` (ASCII case-insensitive); property attributes give "".
    func values(named name: String) -> [String] {
        var out: [String] = []
        for attribute in self where attribute.hasName(name) { out.append(attribute.value ?? "") }
        return out
    }
}
