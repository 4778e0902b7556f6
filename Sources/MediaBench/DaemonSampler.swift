import Glibc
import MediaBenchKit

/// Samples the daemon from /proc (proc(5)): process CPU ticks, per-thread CPU ticks, VmRSS,
/// and the machine's UDP buffer drops.
struct DaemonSampler {
    let pid: Int32

    struct Sample {
        var monotonicNs: Int64
        var cpuTicks: Int
        var threadTicks: [String: Int]
        var threadNames: [String: String]
        var rssKB: Int
        var udpDrops: Int
        var generatorCPUNs: Int64
        var machineBusyTicks: Int
    }

    /// The daemon's pid: the given one (checked to exist), or the only process named `name`.
    static func findPID(given: Int32?, name: String) throws(BenchError) -> Int32 {
        if let p = given {
            guard Posix.readFile("/proc/\(p)/stat") != nil else { throw .setup("no process with pid \(p)") }
            return p
        }
        let matches = Posix.listDirectory("/proc").compactMap(Int32.init).filter { p in
            Posix.readFile("/proc/\(p)/comm").map { $0.split(separator: "\n").first.map(String.init) == name } ?? false
        }
        guard let p = matches.first else { throw .setup("no process named \(name) is running; start the daemon or pass --pid") }
        guard matches.count == 1 else { throw .setup("\(matches.count) processes are named \(name); pass --pid") }
        return p
    }

    static var ticksPerSecond: Int { max(1, sysconf(Int32(_SC_CLK_TCK))) }

    func rssKB() -> Int { Posix.readFile("/proc/\(pid)/status").flatMap(ProcStat.residentKB(status:)) ?? 0 }

    func sample() throws(BenchError) -> Sample {
        guard let stat = Posix.readFile("/proc/\(pid)/stat"), let ticks = ProcStat.cpuTicks(stat: stat) else {
            throw .setup("the daemon (pid \(pid)) is gone")
        }
        var threads: [String: Int] = [:]
        var names: [String: String] = [:]
        for tid in Posix.listDirectory("/proc/\(pid)/task") {
            if let s = Posix.readFile("/proc/\(pid)/task/\(tid)/stat"), let t = ProcStat.cpuTicks(stat: s) {
                threads[tid] = t
                names[tid] = ProcStat.name(stat: s)
            }
        }
        return Sample(monotonicNs: Posix.monotonicNs(), cpuTicks: ticks, threadTicks: threads, threadNames: names, rssKB: rssKB(),
                      udpDrops: Posix.readFile("/proc/net/snmp").flatMap(ProcStat.udpBufferErrors(snmp:)) ?? 0,
                      generatorCPUNs: Posix.cpuNs(thread: false),
                      machineBusyTicks: Posix.readFile("/proc/stat").flatMap(ProcStat.machineBusyTicks(stat:)) ?? 0)
    }

    /// The daemon's busiest threads between two samples: "name(tid) ticks" strings, busiest first.
    static func busiestThreads(_ a: Sample, _ b: Sample, count: Int = 6) -> [(label: String, ticks: Int)] {
        b.threadTicks.map { tid, t in ("\(b.threadNames[tid] ?? "?")(\(tid))", t - (a.threadTicks[tid] ?? t)) }
            .sorted { $0.1 > $1.1 }.prefix(count).map { (label: $0.0, ticks: $0.1) }
    }

    /// Busiest daemon thread between two samples, in clock ticks.
    static func topThreadTicks(_ a: Sample, _ b: Sample) -> Int {
        b.threadTicks.reduce(0) { best, kv in max(best, kv.value - (a.threadTicks[kv.key] ?? kv.value)) }
    }
}
