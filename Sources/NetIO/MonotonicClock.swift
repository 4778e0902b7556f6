#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The drivers' only clock: CLOCK_MONOTONIC in nanoseconds. Pure layers never call it; they
/// receive `now` from a driver (ARCHITECTURE: clock and ids are inputs).
public enum MonotonicClock {
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

extension Duration {
    /// Whole nanoseconds (saturating), for the Int64 clocks used by the drivers.
    public var nanoseconds: Int64 {
        let (s, atto) = components
        let (ns, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : ns &+ atto / 1_000_000_000
    }
}

/// Returns freed heap memory to the kernel. glibc keeps freed chunks for reuse, so after a
/// burst of calls the daemon's RSS would stay at its high-water mark for ever; the driver
/// calls this every 30 s so RSS follows the live call count back down.
public enum MemoryTrim {
    @discardableResult
    public static func trim() -> Bool {
        #if canImport(Glibc)
        return glibcMallocTrim(0) == 1
        #else
        return false
        #endif
    }
}

#if canImport(Glibc)
/// glibc's malloc_trim (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
