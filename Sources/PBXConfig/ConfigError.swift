/// A configuration problem: which file, which key, what is wrong, so an operator can fix it.
///
/// There is deliberately no error code: every configuration error has one fix, "edit the file",
/// and the message names the key path (`sip.listen[1]`) and the problem.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the configuration came from (a file path, or a label given to `parse`).
    public let source: String
    /// The key path the problem is about (`rtp.port_min`, `numbers[2].number`), if it has one.
    public let keyPath: String?
    /// The full message, starting with the key path when there is one.
    public let message: String
    /// The 1-based YAML line the problem was found on, when known.
    public let line: Int?

    /// Creates an error; `message` should already name the key path.
    public init(source: String, keyPath: String?, message: String, line: Int?) {
        self.source = source
        self.keyPath = keyPath
        self.message = message
        self.line = line
    }

    /// "<source>: <message>", ready to print to an operator.
    public var description: String { "\(source): \(message)" }
}

/// A problem found while decoding, before the source name is attached.
struct ConfigIssue: Error, Sendable {
    let keyPath: String?
    let message: String
    let line: Int?

    /// A problem with the value at `keyPath`: the message becomes "<keyPath>: <problem>".
    init(at keyPath: String, _ problem: String, line: Int?) {
        self.keyPath = keyPath
        self.message = keyPath.isEmpty ? problem : "\(keyPath): \(problem)"
        self.line = line
    }

    /// A problem whose message is already complete (unknown keys, YAML syntax).
    init(keyPath: String?, message: String, line: Int?) {
        self.keyPath = keyPath
        self.message = message
        self.line = line
    }

    func attaching(source: String) -> ConfigError {
        ConfigError(source: source, keyPath: keyPath, message: message, line: line)
    }
}
