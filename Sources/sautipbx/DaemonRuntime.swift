import AdminAPI
import CallControl

/// The admin API's view of the running PBX: each question hops onto the signalling queue,
/// where call state lives, and back.
struct DaemonRuntime: CallRuntime {
    let driver: SignallingDriver

    func hangup(callID: String) async -> Bool {
        await withCheckedContinuation { cont in
            driver.queue.async { cont.resume(returning: driver.hangup(recordID: callID)) }
        }
    }

    func snapshot() async -> RuntimeSnapshot {
        await withCheckedContinuation { cont in
            driver.queue.async {
                let s = driver.control.stats
                var snap = RuntimeSnapshot(
                    sipListening: driver.listening, activeCalls: driver.activeCalls, callsOffered: s.offered,
                    callsAnswered: s.answered, rtpPacketsReceived: driver.rtpTotals.received, rtpPacketsLost: driver.rtpTotals.lost)
                snap.voiceCalls = driver.control.activeVoiceCalls
                snap.callbackLatency = driver.voice?.callbackLatency ?? LatencyHistogram()
                snap.callbackExchange = driver.voice?.callbackExchange ?? LatencyHistogram()
                snap.callbackFailures = driver.voice?.callbackFailures ?? 0
                cont.resume(returning: snap)
            }
        }
    }
}
