#if canImport(Glibc)
import Glibc
#endif
import Logging

/// One JSON object per line on stderr (`log.format: json`), for log shippers.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        emit(level: event.level, message: event.message, metadata: event.metadata)
    }

    func emit(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?) {
        var fields: [(String, String)] = [("level", level.rawValue), ("logger", label), ("msg", "\(message)")]
        for (k, v) in metadata.merging(extra ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            fields.append((k, "\(v)"))
        }
        var s = "{"
        for (i, (k, v)) in fields.enumerated() {
            if i > 0 { s += "," }
            s += Self.quote(k) + ":" + Self.quote(v)
        }
        s += "}\n"
        // write(2) directly: the C `stderr` global is not concurrency-safe in Swift 6.
        var line = s
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
