import Glibc
import MediaBenchKit

// MediaBench: N concurrent echo calls against the daemon on loopback; one result line.
// Phases: place calls at --cps → stream RTP (warm-up, measurement window, drain) → BYE all.
// Exit codes: 0 measured, 1 setup failure, 2 usage, 3 global timeout.

/// Progress and errors go to stderr (write(2): the C `stderr` global is not concurrency-safe).
func note(_ s: String) {
    let line = Array("MediaBench: \(s)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

func fail(_ e: BenchError, code: Int32 = 1) -> Never {
    note(e.description)
    exit(code)
}

let options: BenchOptions
do throws(BenchError) { options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) } catch {
    fail(error, code: 2)
}

// Everything is bounded: a watchdog ends the process whatever phase hangs.
let watchdogSeconds = options.effectiveTimeoutSeconds
let watchdog = BenchThread { [watchdogSeconds] in
    Posix.sleep(untilMonotonicNs: Posix.monotonicNs() + Int64(watchdogSeconds) * 1_000_000_000)
    note("mediabench.timeout: run exceeded \(watchdogSeconds) s")
    _exit(3)
}

func runBenchmark() throws(BenchError) -> RunResult {
    try watchdog.start()
    let pid = try DaemonSampler.findPID(given: options.pid, name: options.processName)
    let daemon = DaemonSampler(pid: pid)
    let ring: PayloadRing
    switch options.codec {
    case .pcmu:
        let pcm = SpeechSignal.samples(sampleRate: 8000, seconds: 1)
        ring = try PayloadRing(SpeechSignal.frames(pcm, frameSamples: 160).map(MuLaw.encode))
    case .opus:
        ring = try PayloadRing(OpusRing.packets())
    }
    try Posix.raiseDescriptorLimit(needed: options.legs + 64)
    let rssBefore = daemon.rssKB()

    var rng = SystemRandomNumberGenerator()
    let runID = String(UInt32.random(in: 0...UInt32.max, using: &rng), radix: 36)
    let sip = try SIPDriver(options: options, runID: runID)
    note("placing \(options.legs) \(options.codec.rawValue) calls at \(options.cps) cps to \(options.targetHost):\(options.targetPort) (daemon pid \(pid), RSS \(rssBefore) KB)")
    sip.placeCalls(cps: options.cps)
    let up = sip.establishedIndices
    for (why, n) in sip.failureReasons.sorted(by: { $0.value > $1.value }) { note("\(n) call(s): \(why)") }
    guard !up.isEmpty else { throw .setup("no call was answered; is the daemon listening at \(options.targetHost):\(options.targetPort)?") }
    note("\(up.count) calls up, \(sip.failedCount) failed; streaming \(options.warmupSeconds) s warm-up + \(options.seconds) s window")

    // The schedule, in 20 ms ticks from t0: warm-up, window, drain.
    let ticksPerSecond = 50
    let window = options.warmupSeconds * ticksPerSecond..<(options.warmupSeconds + options.seconds) * ticksPerSecond
    let totalTicks = window.upperBound + options.drainSeconds * ticksPerSecond
    let t0 = Posix.monotonicNs() + 100_000_000
    let windowMono = t0 + Int64(window.lowerBound) * Sender.tickNs..<t0 + Int64(window.upperBound) * Sender.tickNs
    let realOffset = Posix.realtimeNs() - Posix.monotonicNs()
    let fds = up.map { sip.rtpFDs[$0] }
    let sender = Sender(fds: fds, ring: ring, codec: options.codec, startNs: t0, totalTicks: totalTicks, window: window,
                        seed: UInt64.random(in: 0...UInt64.max, using: &rng))
    let receiver = Receiver(fds: fds, ring: ring, codec: options.codec, window: window,
                            jitterWindowReal: windowMono.lowerBound + realOffset..<windowMono.upperBound + realOffset,
                            cpuWindowMono: windowMono)
    let ep = try receiver.makeEpoll()
    let receiverThread = BenchThread { receiver.run(epoll: ep) }
    let realtime = options.realtimeSender
    let senderThread = BenchThread {
        if realtime, let refused = Posix.makeThreadRealtime() { note("--realtime refused (\(refused)); sender runs at normal priority") }
        sender.run()
    }
    try receiverThread.start()
    try senderThread.start()

    sip.service(until: windowMono.lowerBound)
    let a = try daemon.sample()
    sip.service(until: windowMono.upperBound)
    let b = try daemon.sample()
    sip.service(until: t0 + Int64(totalTicks) * Sender.tickNs)
    senderThread.join()
    sip.service(until: Posix.monotonicNs() + 500_000_000) // the last echoes
    receiver.stop.store(true, ordering: .relaxed)
    receiverThread.join()
    close(ep)

    note("window done; hanging up \(up.count) calls")
    sip.hangUpAll()
    let windowSeconds = Double(b.monotonicNs - a.monotonicNs) / 1e9
    let pct = { (ns: Int64) in Double(ns) / 1e9 / windowSeconds * 100 }
    let ticks = DaemonSampler.ticksPerSecond
    let threads = DaemonSampler.busiestThreads(a, b).map { "\($0.label) \(fixedPercent(Double($0.ticks) / Double(ticks) / windowSeconds * 100))" }
    note("daemon threads, % of one core: " + threads.joined(separator: ", "))
    if sender.sendErrors > 0 { note("\(sender.sendErrors) RTP sends failed") }
    if receiver.foreign > 0 { note("\(receiver.foreign) packets were not RTP of the offered payload type") }
    note("sender: \(sender.sentTotal) packets, max tick lateness \(Double(sender.maxLateNs) / 1e6) ms; receiver: \(receiver.received) echoes")
    return RunResult(
        codec: options.codec, legs: options.legs, failed: options.legs - up.count, windowSeconds: windowSeconds,
        daemonTicks: b.cpuTicks - a.cpuTicks, ticksPerSecond: ticks,
        daemonTopThreadPercent: Double(DaemonSampler.topThreadTicks(a, b)) / Double(ticks) / windowSeconds * 100,
        rssBeforeKB: rssBefore, rssSteadyKB: b.rssKB, sent: sender.sentInWindow, received: receiver.receivedInWindow,
        mismatched: receiver.mismatched, p99JitterNs: receiver.histogram.percentileNs(0.99),
        maxJitterNs: receiver.histogram.maxNs, generatorPercent: pct(b.generatorCPUNs - a.generatorCPUNs),
        senderPercent: pct(sender.windowCPUNs), receiverPercent: pct(receiver.windowCPUNs),
        lateTicks: sender.lateTicks, udpDrops: b.udpDrops - a.udpDrops, byeFailed: sip.byeFailed,
        machineBusyTicks: b.machineBusyTicks - a.machineBusyTicks)
}

func fixedPercent(_ x: Double) -> String { "\(Int((x * 10).rounded()) / 10).\(Int((x * 10).rounded()) % 10)%" }

do throws(BenchError) {
    let result = try runBenchmark()
    print(result.line)
    exit(0)
} catch {
    fail(error)
}
