import Testing
import SIPSyntax
@testable import SIPTransaction

/// Every transaction ends in `terminated` and is removed; every timer it started is either
/// fired or cancelled. Thousands of mixed exchanges, some lossy, leave nothing behind.
@Suite struct BoundedMemoryTests {
    @Test func thousandsOfTransactionsLeaveNothingBehind() throws {
        let uacAddress = TransportAddress(host: "10.0.0.1", port: 5060)
        let uasAddress = TransportAddress(host: "10.0.0.2", port: 5060)
        let nowhere = TransportAddress(host: "192.0.2.99", port: 5060) // no node: every send is lost
        let sim = Sim(layers: [TransactionLayer(), TransactionLayer()], addresses: [uacAddress, uasAddress])
        // Lose every 7th client and every 5th server transmission.
        sim.shouldDrop = { node, _, index in node == 0 ? index % 7 == 3 : index % 5 == 2 }
        let uac = ScriptedUAC(peer: uasAddress)
        let uas = ScriptedUAS()
        uas.finalFor = { req in
            switch req.callID?.split(separator: "-").first {
            case "busy": 486
            case "ring": nil
            default: 200
            }
        }
        uac.install(on: sim, node: 0)
        uas.install(on: sim, node: 1)

        var started = 0
        var keys: [String: [TransactionKey]] = [:]
        for i in 0..<800 {
            sim.advance(to: .milliseconds(Int64(i) * 5))
            for kind in ["opt", "ok", "busy", "ring", "lost"] {
                let method = kind == "opt" ? "OPTIONS" : "INVITE"
                let req = try Fx.request(method, branch: "z9hG4bK-\(kind)-\(i)", sentBy: "10.0.0.1:5060", rport: true,
                                         callID: "\(kind)-\(i)", uri: "sip:bob@10.0.0.2")
                keys[kind, default: []].append(try Fx.clientKey(req))
                if kind == "lost" {
                    sim.handle(on: 0, .sendRequest(req, to: nowhere))
                } else {
                    uac.send(req, sim: sim, node: 0)
                }
                if kind == "ring" {
                    // The TU gives up after 2 s with a CANCEL (§9.1).
                    sim.schedule(after: .seconds(2)) { sim in
                        guard let cancel = try? Fx.request("CANCEL", branch: "z9hG4bK-ring-\(i)", sentBy: "10.0.0.1:5060",
                                                           rport: true, callID: "ring-\(i)", uri: "sip:bob@10.0.0.2") else { return }
                        uac.send(cancel, sim: sim, node: 0)
                    }
                }
                started += 1
            }
            // RFC 2543 requests straight into the server layer, answered and never ACKed.
            let legacy = try Fx.request("INVITE", branch: nil, callID: "legacy-\(i)")
            sim.handle(on: 1, .requestReceived(legacy, from: TransportAddress(host: "10.0.0.7", port: 5060)))
        }
        #expect(started == 4000)
        #expect(sim.layers[0].count > 0)
        #expect(sim.layers[1].count > 0)
        // Long enough for the UAS's 60 s no-answer timeout plus Timers G/H/L.
        sim.advance(by: .seconds(200))

        #expect(sim.layers[0].count == 0)
        #expect(sim.layers[1].count == 0)
        #expect(sim.pendingTimers == 0)
        // Outcomes: the unreachable ones timed out, the rest got their finals despite the losses.
        let timedOut = Set(uac.timeouts)
        func outcomes(_ kind: String) -> [String] {
            (keys[kind] ?? []).map { k in timedOut.contains(k) ? "timeout" : uac.finalCode(k).map(String.init) ?? "none" }
        }
        #expect(outcomes("lost") == Array(repeating: "timeout", count: 800))
        #expect(outcomes("opt") == Array(repeating: "200", count: 800))
        #expect(outcomes("ok") == Array(repeating: "200", count: 800))
        #expect(outcomes("busy") == Array(repeating: "486", count: 800))
        // A CANCEL can overtake a lost INVITE (481); §9.1 then times the INVITE out 64*T1 later.
        let ring = outcomes("ring")
        #expect(ring.allSatisfy { $0 == "487" || $0 == "timeout" })
        #expect(ring.filter { $0 == "487" }.count > 700)
        // Every legacy INVITE got the scripted 200, went Accepted and was removed by Timer L.
        #expect(uas.requests.filter { $0.callID?.hasPrefix("legacy-") == true }.count == 800)
    }
}
