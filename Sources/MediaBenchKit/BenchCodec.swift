/// The two payload formats the benchmark offers, with what RTP needs to know about each.
public enum BenchCodec: String, Sendable, CaseIterable {
    /// G.711 μ-law, static payload type 0 (RFC 3551 §6).
    case pcmu
    /// Opus, dynamic payload type 111, always advertised as 48000/2 (RFC 7587 §7).
    case opus

    /// RTP payload type we offer and send.
    public var payloadType: UInt8 { self == .pcmu ? 0 : 111 }
    /// RTP timestamp rate.
    public var clockRate: Int { self == .pcmu ? 8000 : 48000 }
    /// Timestamp increment per 20 ms packet.
    public var samplesPerPacket: Int { clockRate / 50 }
    /// Telephone-event payload type offered next to the codec (RFC 4733).
    public var telephoneEventPayloadType: UInt8 { 101 }

    /// The media lines of our SDP offer (RFC 4566, RFC 3264 §5).
    func mediaAttributes(port: Int) -> String {
        let te = telephoneEventPayloadType
        switch self {
        case .pcmu:
            return "m=audio \(port) RTP/AVP 0 \(te)\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:\(te) telephone-event/8000\r\na=fmtp:\(te) 0-16\r\n"
        case .opus:
            // RFC 7587 §7: the rtpmap is opus/48000/2 whatever is really sent;
            // telephone-event runs at the Opus clock (RFC 4733 §2.5.1.5 allows any rate).
            return "m=audio \(port) RTP/AVP 111 \(te)\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n"
                + "a=rtpmap:\(te) telephone-event/48000\r\na=fmtp:\(te) 0-16\r\n"
        }
    }
}

/// Our SDP offer and what we take from the answer.
public enum BenchSDP {
    /// An offer for one audio stream at `address`:`port` (RFC 4566 §5; RFC 3264 §5).
    public static func offer(codec: BenchCodec, address: String, port: Int, sessionID: UInt64) -> String {
        "v=0\r\n"
            + "o=mediabench \(sessionID) \(sessionID) IN IP4 \(address)\r\n"
            + "s=-\r\n"
            + "c=IN IP4 \(address)\r\n"
            + "t=0 0\r\n"
            + codec.mediaAttributes(port: port)
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n"
    }

    /// Where the answerer wants our RTP, and the payload type it chose. RFC 3264 §6.1: the
    /// answer's first format on the m= line is the one it will send; a media-level c= wins
    /// over the session-level one (RFC 4566 §5.7).
    public static func parseAnswer(_ body: [UInt8], codec: BenchCodec) throws(BenchError) -> RemoteMedia {
        var sessionAddress: String?
        var mediaAddress: String?
        var port: Int?
        var formats: [Substring] = []
        var inAudio = false
        for raw in body.split(separator: 0x0A) {
            var line = raw
            if line.last == 0x0D { line = line.dropLast() }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("m=") {
                let f = text.dropFirst(2).split(separator: " ")
                inAudio = f.first == "audio" && port == nil
                if inAudio, f.count >= 4, let p = Int(f[1]) {
                    port = p
                    formats = Array(f[3...])
                }
            } else if text.hasPrefix("c=") {
                let f = text.dropFirst(2).split(separator: " ")
                guard f.count >= 3, f[0] == "IN", f[1] == "IP4" else { continue }
                let host = String(f[2].split(separator: "/").first ?? "")
                if port == nil { sessionAddress = host } else if inAudio { mediaAddress = host }
            }
        }
        guard let p = port else { throw .malformed("SDP answer has no audio m= line") }
        guard (0...65535).contains(p), p != 0 else { throw .malformed("SDP answer rejected the audio stream (port \(p))") }
        guard let host = mediaAddress ?? sessionAddress, !host.isEmpty else {
            throw .malformed("SDP answer has no IPv4 c= line")
        }
        guard let first = formats.first, let pt = UInt8(first) else { throw .malformed("SDP answer m= line has no formats") }
        guard pt == codec.payloadType else {
            throw .malformed("answer chose payload type \(pt), offered \(codec.payloadType) (\(codec.rawValue))")
        }
        return RemoteMedia(address: host, port: p, payloadType: pt)
    }
}

/// The answerer's RTP destination and chosen payload type.
public struct RemoteMedia: Sendable, Equatable {
    public var address: String
    public var port: Int
    public var payloadType: UInt8
    public init(address: String, port: Int, payloadType: UInt8) {
        self.address = address
        self.port = port
        self.payloadType = payloadType
    }
}
