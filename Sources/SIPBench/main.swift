// Pure signalling cost per call, without sockets or Dispatch: parse → SIPStack → CallControl →
// serialize for INVITE/ACK/BYE from a scripted caller, timers fired on a virtual clock.
// Prints microseconds of CPU per call. Usage: swift run -c release SIPBench [calls]
import CallControl
import Foundation
import NetIO
import PBXConfig
import SIPDialog
import SIPSyntax

let calls = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 50_000 : 50_000
var ua = UserAgentConfig()
ua.localIPv4 = TransportAddress(host: "127.0.0.1", port: 5060)
ua.idPrefix = "b."
var stack = SIPStack(config: ua)
let config = try PBXConfiguration.parse(yaml: """
sip: { overload: { max_active_calls: 1000000 } }
rtp: { port_min: 10000, port_max: 65000 }
numbers:
  - { number: "+254700000001", route: hold }
""", source: "bench")
var control = CallControl(settings: .init(configuration: config, mediaAddress: "127.0.0.1"), ports: PortPool(lower: 10000, upper: 65000))
var timers = TimerQueue<SIPStack.Timer>()
var now: Int64 = 0
let parser = SIPParser()
let peer = TransportAddress(host: "127.0.0.1", port: 5061)
var bytesOut = 0
var toTag = ""

@MainActor func perform(_ outs: [SIPStack.Output]) {
    for o in outs {
        switch o {
        case .transmit(let m, _):
            let b = SIPSerializer.serialize(m)
            bytesOut += b.count
            if case .response(let r) = m, r.statusCode == 200, r.cseq?.method == .invite { toTag = r.to?.tag ?? "" }
        case .startTimer(let t, let after): timers.schedule(t, at: now + after.nanoseconds)
        case .cancelTimer(let t): timers.cancel(t)
        case .event(let e):
            for a in control.handle(e) { if case .command(let c) = a { perform(stack.command(c)) } }
        }
    }
}

@MainActor func deliver(_ text: String) {
    let bytes = Array(text.utf8)
    guard case .success(let m) = parser.parse(bytes) else { fatalError("bench message does not parse") }
    perform(stack.receive(m, from: peer))
}

let sdp = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
func message(_ method: String, _ n: Int, cseq: Int, branch: String, tag: String?, body: String = "") -> String {
    var s = "\(method) sip:+254700000001@127.0.0.1:5060 SIP/2.0\r\n"
    s += "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-\(n)-\(branch)\r\n"
    s += "From: sipp <sip:sipp@127.0.0.1:5061>;tag=\(n)SIPpTag00\(n)\r\n"
    s += "To: +254700000001 <sip:+254700000001@127.0.0.1:5060>" + (tag.map { ";tag=\($0)" } ?? "") + "\r\n"
    s += "Call-ID: \(n)-4242@127.0.0.1\r\nCSeq: \(cseq) \(method)\r\nContact: sip:sipp@127.0.0.1:5061\r\n"
    s += "Max-Forwards: 70\r\nSubject: Performance Test\r\n"
    if !body.isEmpty { s += "Content-Type: application/sdp\r\n" }
    s += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    return s
}

let start = ProcessInfo.processInfo.systemUptime
for n in 0..<calls {
    now += 1_000_000 // one call per ms of virtual time
    deliver(message("INVITE", n, cseq: 1, branch: "0", tag: nil, body: sdp))
    deliver(message("ACK", n, cseq: 1, branch: "4", tag: toTag))
    deliver(message("BYE", n, cseq: 2, branch: "6", tag: toTag))
    for t in timers.popExpired(now: now) { perform(stack.fire(t)) }
}
now += 40_000_000_000
for t in timers.popExpired(now: now) { perform(stack.fire(t)) }
let elapsed = ProcessInfo.processInfo.systemUptime - start
print(String(format: "%d calls: %.1f us per call (parse + stack + call control + serialize), %d bytes sent, %d transactions left",
             calls, elapsed / Double(calls) * 1e6, bytesOut, stack.transactions.count))
