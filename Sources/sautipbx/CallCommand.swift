import ArgumentParser
import CallControl
import Dispatch
import Foundation
import Logging
import NetIO
import PBXConfig
import SDP
import SIPDialog
import SIPSyntax

/// `sautipbx call URI`: places one call with the daemon's own SIP stack (UAC), prints its
/// signalling events, holds it, hangs up. For trying trunks and for tests against real peers.
struct PlaceCallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "call", abstract: "Place a test call (UAC) and print what happens.")

    @Argument(help: "Target SIP URI with an IP host, e.g. sip:+254700000001@127.0.0.1:5060")
    var uri: String
    @Option(help: "Caller ID (From user).") var from: String = "sautipbx"
    @Option(help: "Local address to bind, host:port (port 0 = any).") var bind: String = "127.0.0.1:0"
    @Option(help: "Seconds to stay connected before hanging up.") var hold: Double = 1
    @Option(help: "Seconds to wait for an answer before cancelling.") var ringTimeout: Double = 30
    @Option(help: "Digest username for 401/407.") var user: String?
    @Option(help: "Digest password for 401/407.") var password: String?

    func run() throws {
        let target: SIPURI
        do { target = try SIPURI.parse(uri) } catch { throw ValidationError("bad URI: \(error.reason)") }
        guard let (bindHost, bindPort) = try? SIPURI.parseHostPort(Substring(bind)), let port = bindPort,
              SocketAddress.isIPLiteral(bindHost) else { throw ValidationError("--bind: not ip:port") }
        let listen = TransportAddress(host: bindHost, port: port)
        var c = PBXConfiguration()
        c.log.level = .warning
        var ua = UserAgentConfig()
        ua.idPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 36) + "."
        let logger = Logger(label: "sautipbx.call")
        let control = CallControl(settings: CallControl.Settings(configuration: c, mediaAddress: listen.host),
                                  ports: PortPool(lower: Int(c.rtp.portMin), upper: Int(c.rtp.portMax)))
        let driver = SignallingDriver(stack: SIPStack(config: ua), control: control, maxMessageBytes: 65535, logger: logger)
        guard let local = try driver.bind([listen]).first else { throw ExitCode(1) }
        // The stack needs its real address (port) for Via and Contact.
        if local.isIPv6 { ua.localIPv6 = local } else { ua.localIPv4 = local }
        driver.replaceStack(SIPStack(config: ua))
        let media = LocalMediaCapabilities(address: local.host, port: UInt16(c.rtp.portMin))
        let creds = user.map { OutgoingCall.Credentials(username: $0, password: password ?? "") }
        let session = TestCallSession(driver: driver, hold: hold, ringTimeout: ringTimeout)
        driver.start()
        driver.queue.async {
            session.start(OutgoingCall(target: target, fromUser: from, media: media, credentials: creds), local: local)
        }
        dispatchMain()
    }
}

/// The state of the one call `sautipbx call` places; touched only on the driver's queue.
/// `Softphone` (`sautipbx phone`) extends it with media.
class TestCallSession: @unchecked Sendable {
    let driver: SignallingDriver
    let hold: Double
    let ringTimeout: Double
    let started = Date()
    var answered = false
    var ref: CallRef?

    init(driver: SignallingDriver, hold: Double, ringTimeout: Double) {
        self.driver = driver
        self.hold = hold
        self.ringTimeout = ringTimeout
    }

    /// One line of the call's transcript, stamped with seconds since the start.
    func say(_ s: String) {
        let line = String(format: "%7.3f ", Date().timeIntervalSince(started)) + s + "\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    func start(_ call: OutgoingCall, local: TransportAddress) {
        say("calling \(call.target) from \(local)")
        driver.observer = { [self] e in event(e) }
        let ref = driver.placeCall(call)
        self.ref = ref
        driver.queue.asyncAfter(deadline: .now() + ringTimeout) { [self] in
            if !answered { say("no answer after \(ringTimeout) s: cancelling"); driver.command(.hangup(ref)) }
        }
    }

    func event(_ e: CallEvent) {
        switch e {
        case .progress(_, let code): say("progress \(code)")
        case .established(let ref, let m):
            answered = true
            established(ref, m)
            driver.queue.asyncAfter(deadline: .now() + hold) { [self] in say("hanging up"); driver.command(.hangup(ref)) }
        case .ended(let ref, let reason):
            say("ended \(reason)")
            ended(ref, ok: answered && (reason == .localBye || reason == .remoteBye))
        default:
            break
        }
    }

    /// The call was answered (`m`: what SDP negotiated).
    func established(_ ref: CallRef, _ m: NegotiatedAudio?) {
        say("answered" + (m.map { " codec=\($0.codec.codec.name)/\($0.codec.payloadType) remote=\($0.remoteAddress):\($0.remotePort)" } ?? ""))
    }

    /// The call is over: exit 0 when it was answered and ended by BYE.
    func ended(_ ref: CallRef, ok: Bool) {
        driver.queue.asyncAfter(deadline: .now() + 0.3) { Foundation.exit(ok ? 0 : 1) }
    }
}
