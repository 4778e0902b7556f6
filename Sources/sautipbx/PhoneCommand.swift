import ArgumentParser
import CallControl
import Dispatch
import Foundation
import Logging
import MediaEngine
import NetIO
import PBXConfig
import SDP
import SIPDialog
import SIPSyntax

/// `sautipbx phone URI`: a command-line softphone on the project's own SIP UAC and media
/// engine. It calls, sends keys at given times (RFC 4733), saves what it hears to a WAV,
/// prints the signalling as it happens and, given an API key, the daemon's call events.
/// Developers try voice flows with it; the integration tests use it as a caller.
struct PhoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phone", abstract: "Call a URI with audio: press keys, record what you hear, print the call's events.")

    @Argument(help: "Target SIP URI with an IP host, e.g. sip:+254700000001@127.0.0.1:5060")
    var uri: String
    @Option(help: "Caller ID (From user).") var from: String = "+254711000001"
    @Option(help: "Local SIP address, host:port (port 0 = any).") var bind: String = "127.0.0.1:0"
    @Option(help: "Local RTP port (even; 0 = a free one).") var rtpPort: Int = 0
    @Option(name: .customLong("press"), help: "Send a key at a time after answer, e.g. 1@3s or #@2.5s; repeatable.")
    var presses: [String] = []
    @Option(help: "Save what the phone hears to this WAV file (8 kHz mono for G.711).") var record: String?
    @Option(help: "Hang up this many seconds after answer unless the far end hangs up first.") var hangupAfter: Double = 30
    @Option(help: "Seconds to wait for an answer before cancelling.") var ringTimeout: Double = 30
    @Option(help: "Codec to offer: pcmu, pcma or opus.") var codec: String = "pcmu"
    @Option(help: "How keys are sent: rfc4733 (telephone-event) or inband (tones in the audio; no telephone-event offered).")
    var dtmf: String = "rfc4733"
    @Option(help: "Admin API base URL, to print the daemon's call events at the end.") var api: String?
    @Option(help: "Admin API key for --api.") var apiKey: String?

    func run() throws {
        let target: SIPURI
        do { target = try SIPURI.parse(uri) } catch { throw ValidationError("bad URI: \(error.reason)") }
        guard let (bindHost, bindPort) = try? SIPURI.parseHostPort(Substring(bind)), let port = bindPort,
              SocketAddress.isIPLiteral(bindHost) else { throw ValidationError("--bind: not ip:port") }
        let keys = try presses.map(Self.parsePress)
        let offered: AudioCodec = switch codec.lowercased() {
        case "pcma": .pcma
        case "opus": .opus
        case "pcmu": .pcmu
        default: throw ValidationError("--codec: pcmu, pcma or opus")
        }
        var c = PBXConfiguration()
        c.log.level = .warning
        var ua = UserAgentConfig()
        ua.idPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 36) + "."
        let logger = Logger(label: "sautipbx.phone")
        let control = CallControl(settings: CallControl.Settings(configuration: c, mediaAddress: bindHost),
                                  ports: PortPool(lower: Int(c.rtp.portMin), upper: Int(c.rtp.portMax)))
        let driver = SignallingDriver(stack: SIPStack(config: ua), control: control, maxMessageBytes: 65535, logger: logger)
        guard let local = try driver.bind([TransportAddress(host: bindHost, port: port)]).first else { throw ExitCode(1) }
        if local.isIPv6 { ua.localIPv6 = local } else { ua.localIPv4 = local }
        driver.replaceStack(SIPStack(config: ua))
        let media = try MediaEngine(workers: 1, bindAddress: bindHost)
        let rtp = rtpPort > 0 ? rtpPort : try Self.freeEvenPort(host: bindHost)
        guard dtmf == "rfc4733" || dtmf == "inband" else { throw ValidationError("--dtmf: rfc4733 or inband") }
        let caps = LocalMediaCapabilities(codecs: [offered], telephoneEvent: dtmf == "rfc4733", address: local.host, port: UInt16(rtp))
        let phone = Softphone(driver: driver, media: media, rtpPort: rtp, keys: keys, recordPath: record,
                              hangupAfter: hangupAfter, ringTimeout: ringTimeout, api: api, apiKey: apiKey, from: from)
        driver.start()
        driver.queue.async { phone.start(OutgoingCall(target: target, fromUser: from, media: caps), local: local) }
        dispatchMain()
    }

    /// `1@3s`, `#@2.5`, `*@500ms`: a key and when to send it after answer.
    static func parsePress(_ s: String) throws -> (key: Character, atMs: Int) {
        let parts = s.split(separator: "@", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 1, let key = parts[0].first, "0123456789*#ABCD".contains(key) else {
            throw ValidationError("--press \(s): expected KEY@TIME such as 1@3s")
        }
        var t = String(parts[1])
        var scale = 1000.0
        if t.hasSuffix("ms") { t.removeLast(2); scale = 1 } else if t.hasSuffix("s") { t.removeLast() }
        guard let v = Double(t), v >= 0, v < 86_400 else { throw ValidationError("--press \(s): bad time") }
        return (key, Int(v * scale))
    }

    /// An even UDP port with its odd neighbour free, from the ephemeral range.
    static func freeEvenPort(host: String) throws -> Int {
        for _ in 0..<50 {
            let p = Int.random(in: 20_000...29_999) & ~1
            if let a = try? UDPSocket(bind: TransportAddress(host: host, port: p)),
               let b = try? UDPSocket(bind: TransportAddress(host: host, port: p + 1)) {
                a.close()
                b.close()
                return p
            }
        }
        throw ValidationError("no free RTP port pair")
    }
}
