/// Serializers for RTCP packets (RFC 3550 §6.4–§6.6); each appends to a caller-owned array.
public enum RTCPBuilder {
    /// Appends an SR (RFC 3550 §6.4.1).
    public static func appendSenderReport(_ sr: RTCPSenderReport, to out: inout [UInt8]) throws(RTPError) {
        guard sr.reports.count <= 31 else { throw .invalidValue("more than 31 report blocks") }
        appendHeader(count: sr.reports.count, type: RTCPPacketType.senderReport,
                     words: (24 + 24 * sr.reports.count) / 4, to: &out)
        out.append32(sr.ssrc)
        out.append32(sr.ntp.seconds)
        out.append32(sr.ntp.fraction)
        out.append32(sr.rtpTimestamp)
        out.append32(sr.packetCount)
        out.append32(sr.octetCount)
        for r in sr.reports { r.append(to: &out) }
    }

    /// Appends an RR (RFC 3550 §6.4.2).
    public static func appendReceiverReport(_ rr: RTCPReceiverReport, to out: inout [UInt8]) throws(RTPError) {
        guard rr.reports.count <= 31 else { throw .invalidValue("more than 31 report blocks") }
        appendHeader(count: rr.reports.count, type: RTCPPacketType.receiverReport,
                     words: (4 + 24 * rr.reports.count) / 4, to: &out)
        out.append32(rr.ssrc)
        for r in rr.reports { r.append(to: &out) }
    }

    /// Appends an SDES packet with one chunk carrying a CNAME item (RFC 3550 §6.5.1).
    public static func appendSDES(ssrc: UInt32, cname: String, to out: inout [UInt8]) throws(RTPError) {
        let text = Array(cname.utf8)
        guard !text.isEmpty, text.count <= 255 else { throw .invalidValue("CNAME must be 1...255 bytes") }
        // ssrc(4) + type(1) + len(1) + text + at least one null octet, padded to 32 bits.
        let chunk = (4 + 2 + text.count + 1 + 3) & ~3
        appendHeader(count: 1, type: RTCPPacketType.sourceDescription, words: chunk / 4, to: &out)
        out.append32(ssrc)
        out.append(SDESItem.cname)
        out.append(UInt8(text.count))
        out.append(contentsOf: text)
        out.append(contentsOf: repeatElement(0, count: chunk - 6 - text.count))
    }

    /// Appends a BYE (RFC 3550 §6.6).
    public static func appendBye(_ bye: RTCPBye, to out: inout [UInt8]) throws(RTPError) {
        guard bye.sources.count <= 31 else { throw .invalidValue("more than 31 BYE sources") }
        var reasonLen = 0
        if let r = bye.reason {
            guard r.count <= 255 else { throw .invalidValue("BYE reason over 255 bytes") }
            reasonLen = (1 + r.count + 3) & ~3
        }
        appendHeader(count: bye.sources.count, type: RTCPPacketType.bye,
                     words: bye.sources.count + reasonLen / 4, to: &out)
        for s in bye.sources { out.append32(s) }
        if let r = bye.reason {
            out.append(UInt8(r.count))
            out.append(contentsOf: r)
            out.append(contentsOf: repeatElement(0, count: reasonLen - 1 - r.count))
        }
    }

    /// Builds the usual compound: SR (if `senderReport` given) or RR, then SDES CNAME (RFC 3550 §6.1).
    public static func compound(senderReport: RTCPSenderReport?, ssrc: UInt32, reports: [RTCPReportBlock],
                                cname: String) throws(RTPError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(28 + 24 * reports.count + 12 + cname.utf8.count)
        if var sr = senderReport {
            sr.reports = reports
            try appendSenderReport(sr, to: &out)
        } else {
            try appendReceiverReport(RTCPReceiverReport(ssrc: ssrc, reports: reports), to: &out)
        }
        try appendSDES(ssrc: senderReport?.ssrc ?? ssrc, cname: cname, to: &out)
        return out
    }

    static func appendHeader(count: Int, type: UInt8, words: Int, to out: inout [UInt8]) {
        out.append(0x80 | UInt8(count & 0x1F))
        out.append(type)
        out.append16(UInt16(words))  // body words == total words minus one (the header)
    }
}
