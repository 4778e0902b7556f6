#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Yams

/// The daemon's whole configuration, read once at start from YAML (see config/sautipbx.yaml).
///
/// Every key is optional and has the default documented on its property; unknown keys are
/// errors so that a typo ("sip.lisen") is reported instead of silently using a default.
public struct PBXConfiguration: Sendable, Equatable {
    /// `sip:` section.
    public var sip: SIPSettings
    /// `rtp:` section.
    public var rtp: RTPSettings
    /// `admin:` section.
    public var admin: AdminSettings
    /// `data_dir`: where the database, recordings and state live (default "./data").
    public var dataDirectory: String
    /// `log:` section.
    public var log: LogSettings
    /// `calls:` section.
    public var calls: CallSettings
    /// `numbers:` list, indexed for routing.
    public var numbers: NumberPlan

    /// Default `data_dir`, relative to the working directory (systemd sets it to the StateDirectory).
    public static let defaultDataDirectory = "./data"

    /// The documented defaults.
    public init(
        sip: SIPSettings = SIPSettings(),
        rtp: RTPSettings = RTPSettings(),
        admin: AdminSettings = AdminSettings(),
        dataDirectory: String = PBXConfiguration.defaultDataDirectory,
        log: LogSettings = LogSettings(),
        calls: CallSettings = CallSettings(),
        numbers: NumberPlan = NumberPlan()
    ) {
        self.sip = sip
        self.rtp = rtp
        self.admin = admin
        self.dataDirectory = dataDirectory
        self.log = log
        self.calls = calls
        self.numbers = numbers
    }

    /// The route for a Request-URI user part; "+254700000001" and "254700000001" are the same.
    public func route(forUser user: String) -> NumberRoute? {
        numbers.route(forUser: user)
    }

    /// Reads and validates the YAML file at `path`; the error's source is the path.
    public static func load(path: String) throws(ConfigError) -> PBXConfiguration {
        let bytes: [UInt8]
        switch readFile(atPath: path) {
        case .success(let contents): bytes = contents
        case .failure(let reason):
            throw ConfigError(source: path, keyPath: nil, message: "cannot read file: \(reason)", line: nil)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(source: path, keyPath: nil, message: "file is not valid UTF-8", line: nil)
        }
        return try parse(yaml: text, source: path)
    }

    /// Parses and validates YAML text; `source` names it in errors (a path or e.g. "<stdin>").
    public static func parse(yaml: String, source: String) throws(ConfigError) -> PBXConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, source: source)
        }
        // An empty file (or only comments) means "all defaults".
        guard let root else { return PBXConfiguration() }
        do {
            return try ConfigDecoder.decode(ConfigNode(node: root, path: ""))
        } catch {
            throw error.attaching(source: source)
        }
    }

    /// Turns a Yams/libyaml error into a message with the line number first.
    private static func syntaxError(_ error: any Error, source: String) -> ConfigError {
        guard let yamlError = error as? YamlError else {
            return ConfigError(source: source, keyPath: nil, message: "YAML error: \(error)", line: nil)
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error at line \(mark.line), column \(mark.column): \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return ConfigError(source: source, keyPath: nil, message: message, line: mark.line)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map(quoted).joined(separator: ", ")
            return ConfigError(source: source, keyPath: nil,
                               message: "duplicate key \(keys) in the map starting at line \(context.mark.line)",
                               line: context.mark.line)
        case let .reader(problem, offset, _, _):
            let place = offset.map { " at byte \($0)" } ?? ""
            return ConfigError(source: source, keyPath: nil,
                               message: "YAML reader error\(place): \(problem)", line: nil)
        default:
            return ConfigError(source: source, keyPath: nil, message: "YAML error: \(yamlError)", line: nil)
        }
    }
}

/// Reads a whole file; on failure returns the OS reason ("No such file or directory",
/// "Is a directory", "Permission denied") for the operator.
private func readFile(atPath path: String) -> Result<[UInt8], FileReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(FileReadError(errno: errno)) }
    defer { close(fd) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 {
            contents.append(contentsOf: chunk[0..<count])
        } else if count == 0 {
            return .success(contents)
        } else if errno != EINTR {
            return .failure(FileReadError(errno: errno))
        }
    }
}

/// An errno from reading the config file, described with strerror.
private struct FileReadError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { String(cString: strerror(errno)) }
}
