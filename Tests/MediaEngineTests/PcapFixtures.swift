import Foundation
import PBXTestSupport
import RTP

/// Loads the project's pcap fixtures (repo root/pcap-fixtures, made by
/// scripts/make-pcap-fixtures.sh) and SIPp's shipped captures as parsed RTP packets.
enum PcapFixtures {
    /// Repo root/pcap-fixtures, found from this file's path (Tests/MediaEngineTests/…).
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("pcap-fixtures").path

    /// Where Debian's sip-tester package installs SIPp's example pcaps.
    static let sippDirectory = "/usr/share/sip-tester"

    /// SIPp's per-key RFC 2833 captures, in the order a scenario would play "0123456789*#".
    static let sippDTMFFiles: [(key: Character, file: String)] =
        (0...9).map { (Character(String($0)), "dtmf_2833_\($0).pcap") } + [("*", "dtmf_2833_star.pcap"), ("#", "dtmf_2833_pound.pcap")]

    static var sippDTMFAvailable: Bool {
        sippDTMFFiles.allSatisfy { FileManager.default.fileExists(atPath: "\(sippDirectory)/\($0.file)") }
    }

    /// One RTP packet from a capture: arrival in ms since the capture's first RTP packet.
    struct Packet {
        var arrivalMs: Int64
        var header: RTPHeader
        var payload: [UInt8]
        var datagram: [UInt8]
        var source: PcapEndpoint
    }

    /// The RTP packets of fixture `name`, in capture order.
    static func rtp(_ name: String) throws -> [Packet] {
        try rtp(path: "\(directory)/\(name)")
    }

    /// The RTP packets of the capture at `path`, in capture order.
    static func rtp(path: String) throws -> [Packet] {
        let udp = try PcapReader.udpPackets(path: path).rtpPackets()
        guard let origin = udp.first?.timeUs else { return [] }
        return try udp.map { p in
            let view = try RTPPacketView.parse(p.payload)
            return Packet(arrivalMs: p.milliseconds(since: origin), header: view.header,
                          payload: Array(p.payload[view.payloadRange]), datagram: p.payload, source: p.source)
        }
    }

    /// Feeds telephone-event packets of payload type `pt` to a fresh receiver, then flushes.
    static func telephoneEvents(_ packets: [Packet], pt: UInt8, clockRate: Int,
                                into receiver: inout TelephoneEventReceiver) -> [TelephoneEventReport] {
        var reports: [TelephoneEventReport] = []
        for p in packets where p.header.payloadType == pt {
            reports += receiver.receive(header: p.header, payload: p.payload, clockRate: clockRate)
        }
        return reports
    }
}
