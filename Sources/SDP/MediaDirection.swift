/// The RFC 3264 §5.1 / RFC 4566 §6 direction attributes, seen from the side that wrote them.
public enum MediaDirection: String, Sendable, Hashable, CaseIterable {
    /// Send and receive (the default when no attribute is present).
    case sendrecv
    /// Send only: the writer will not receive (e.g. it holds the peer with music).
    case sendonly
    /// Receive only: the writer will not send.
    case recvonly
    /// Neither send nor receive.
    case inactive

    /// Builds a direction from the two capabilities.
    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// Whether the writer sends media.
    public var sends: Bool { self == .sendrecv || self == .sendonly }

    /// Whether the writer receives media.
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The same stream seen from the other end: sendonly ↔ recvonly (RFC 3264 §6.1).
    public var reversed: MediaDirection { MediaDirection(sends: receives, receives: sends) }

    /// What both allow, e.g. sendrecv ∩ sendonly = sendonly, sendonly ∩ recvonly = inactive.
    public func intersection(_ other: MediaDirection) -> MediaDirection {
        MediaDirection(sends: sends && other.sends, receives: receives && other.receives)
    }

    /// The attribute written into SDP, e.g. `a=sendonly`.
    public var attribute: SDPAttribute { SDPAttribute(rawValue) }

    /// The direction named by an attribute, if it is one of the four (ASCII case-insensitive).
    public init?(attribute: SDPAttribute) {
        guard attribute.value == nil else { return nil }
        for candidate in MediaDirection.allCases where attribute.hasName(candidate.rawValue) {
            self = candidate
            return
        }
        return nil
    }

    /// The first direction attribute in a list; a repeated one is ignored (RFC 3264 allows one).
    static func first(in attributes: [SDPAttribute]) -> MediaDirection? {
        for attribute in attributes {
            if let d = MediaDirection(attribute: attribute) { return d }
        }
        return nil
    }
}
