/// Why a benchmark run could not be set up or measured. Each case has a stable code for
/// scripts and a message that says what to fix.
public enum BenchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A command-line option is missing, unknown or out of range.
    case usage(String)
    /// The run could not start (sockets, limits, daemon not found, test signal).
    case setup(String)
    /// A peer message could not be understood (kept as a value, never a crash).
    case malformed(String)

    /// Stable code, e.g. "mediabench.usage".
    public var code: String {
        switch self {
        case .usage: "mediabench.usage"
        case .setup: "mediabench.setup"
        case .malformed: "mediabench.malformed"
        }
    }

    public var description: String {
        switch self {
        case .usage(let m), .setup(let m), .malformed(let m): "\(code): \(m)"
        }
    }
}
