/// Parsing of the Linux /proc files the benchmark samples (proc(5)). Pure functions on the
/// text so they are testable; the driver reads the files.
public enum ProcStat {
    /// utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks. The command name
    /// (field 2) may contain spaces and parentheses, so fields are counted after the last ')'.
    public static func cpuTicks(stat: String) -> Int? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); utime is field 14 → index 11, stime → index 12.
        guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return nil }
        return u + s
    }

    /// The command name (field 2) of a /proc/PID/stat or /proc/PID/task/TID/stat line.
    public static func name(stat: String) -> String? {
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close else { return nil }
        return String(stat[stat.index(after: open)..<close])
    }

    /// VmRSS from /proc/PID/status, in KiB.
    public static func residentKB(status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let f = line.dropFirst(6).split(omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
            return f.first.flatMap { Int($0) }
        }
        return nil
    }

    /// Udp RcvbufErrors + SndbufErrors from /proc/net/snmp: datagrams the kernel dropped
    /// because a socket buffer was full (on loopback, the only place a packet can be lost).
    public static func udpBufferErrors(snmp: String) -> Int? {
        let lines = snmp.split(separator: "\n").filter { $0.hasPrefix("Udp:") }
        guard lines.count >= 2 else { return nil }
        let names = lines[0].split(separator: " ")
        let values = lines[1].split(separator: " ")
        guard names.count == values.count else { return nil }
        var total = 0
        var found = false
        for (n, v) in zip(names, values) where n == "RcvbufErrors" || n == "SndbufErrors" {
            guard let x = Int(v) else { return nil }
            total += x
            found = true
        }
        return found ? total : nil
    }

    /// Busy clock ticks of the whole machine (all CPUs) from the first line of /proc/stat:
    /// user + nice + system + irq + softirq + steal (idle and iowait left out).
    public static func machineBusyTicks(stat: String) -> Int? {
        guard let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let f = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard f.count >= 8 else { return nil }
        return f[0] + f[1] + f[2] + f[5] + f[6] + f[7]
    }
}
