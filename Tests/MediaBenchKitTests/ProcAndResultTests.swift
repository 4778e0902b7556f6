import Testing
@testable import MediaBenchKit

@Suite struct ProcStatTests {
    @Test func cpuTicksCountFieldsAfterTheCommandName() {
        // A name with a space and a parenthesis: fields must be counted after the LAST ')'.
        let stat = "4242 (media (1) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 9 0 100 1000000 2000 0 0"
        #expect(ProcStat.cpuTicks(stat: stat) == 1801)
        #expect(ProcStat.name(stat: stat) == "media (1) x")
        #expect(ProcStat.cpuTicks(stat: "4242 (x) S 1 2") == nil)
        #expect(ProcStat.cpuTicks(stat: "garbage") == nil)
    }

    @Test func residentSetFromStatus() {
        let status = "Name:\tsautipbx\nVmPeak:\t  900000 kB\nVmRSS:\t   25920 kB\nThreads:\t9\n"
        #expect(ProcStat.residentKB(status: status) == 25920)
        #expect(ProcStat.residentKB(status: "Name: x\n") == nil)
    }

    @Test func udpBufferErrorsFromSNMP() {
        let snmp = """
            Ip: Forwarding DefaultTTL
            Ip: 1 64
            Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
            Udp: 100 2 5 90 4 1 0 0 0
            UdpLite: InDatagrams NoPorts
            UdpLite: 0 0
            """
        #expect(ProcStat.udpBufferErrors(snmp: snmp) == 5)
        #expect(ProcStat.udpBufferErrors(snmp: "Ip: a\nIp: 1\n") == nil)
    }

    @Test func machineBusyLeavesOutIdleAndIOWait() {
        let stat = "cpu  100 5 50 9000 40 3 7 2 0 0\ncpu0 50 2 25 4500 20 1 3 1 0 0\n"
        #expect(ProcStat.machineBusyTicks(stat: stat) == 167)
        #expect(ProcStat.machineBusyTicks(stat: "intr 1 2\n") == nil)
    }
}

@Suite struct RunResultTests {
    func result() -> RunResult {
        RunResult(codec: .pcmu, legs: 1000, failed: 0, windowSeconds: 20, daemonTicks: 820, ticksPerSecond: 100,
                  daemonTopThreadPercent: 22.04, rssBeforeKB: 30000, rssSteadyKB: 42300, sent: 1_000_000, received: 999_990,
                  mismatched: 0, p99JitterNs: 410_000, maxJitterNs: 3_200_000, generatorPercent: 55.4,
                  senderPercent: 20.2, receiverPercent: 30.6, lateTicks: 0, udpDrops: 0, byeFailed: 0,
                  machineBusyTicks: 2000)
    }

    @Test func derivedFigures() {
        let r = result()
        #expect(abs(r.cpuTotalPercent - 41) < 1e-9)
        #expect(abs(r.cpuPerLegPercent - 0.041) < 1e-12)
        #expect(r.legsPerCore == 2439)
        #expect(abs(r.rssPerLegKB - 12.3) < 1e-9)
        #expect(r.lost == 10)
        // 2000 ticks / 100 / 20 s = 100 % of one core busy; 41 % daemon + 55.4 % generator.
        #expect(abs(r.otherPercent - 3.6) < 1e-9)
    }

    @Test func lineIsKeyValuePairs() {
        let line = result().line
        #expect(line.hasPrefix("codec=pcmu legs=1000 failed=0 cpu_per_leg=0.0410% cpu_total=41.0% legs_per_core=2439"))
        #expect(line.contains(" rss_per_leg=12.3KB "))
        #expect(line.contains(" sent=1000000 lost=10 mismatched=0 p99_jitter_ms=0.41 max_jitter_ms=3.20 "))
        #expect(line.hasSuffix("gen_cpu=55% gen_send=20% gen_recv=31% late_ticks=0 udp_drops=0 bye_failed=0 other_cpu=4%"))
        for pair in line.split(separator: " ") { #expect(pair.split(separator: "=").count == 2, "\(pair)") }
    }

    @Test func noLegsMeansNoDivisionByZero() {
        var r = result()
        r.failed = 1000
        #expect(r.cpuPerLegPercent == 0)
        #expect(r.legsPerCore == 0)
        #expect(r.rssPerLegKB == 0)
    }

    @Test func fixedPointFormatting() {
        #expect(fixed(0.04149, 3) == "0.041")
        #expect(fixed(2.5, 0) == "3")
        #expect(fixed(-1.005, 1) == "-1.0")
        #expect(fixed(12, 2) == "12.00")
        #expect(fixed(-0.0001, 2) == "0.00")
        #expect(fixed(.nan, 2) == "nan")
    }
}
