import Foundation

/// Request bodies: strict JSON into Codable structs whose CodingKeys are the wire names, so
/// every `validation.bad_request` names the field and what it should be ("amount_minor:
/// expected an integer").
enum BodyDecoding {
    /// Largest request body accepted (admin requests are small; this bounds a hostile one).
    static let maxBytes = 64 * 1024

    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(APIError) -> T {
        guard body.count <= maxBytes else { throw .badRequest("body: larger than \(maxBytes / 1024) KiB") }
        guard !body.isEmpty else { throw .badRequest("body: a JSON object is required") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let e as DecodingError {
            throw .badRequest(describe(e))
        } catch let e as APIError {
            throw e
        } catch {
            throw .badRequest("body: not valid JSON")
        }
    }

    static func path(_ p: [any CodingKey]) -> String {
        var s = ""
        for k in p {
            if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + k.stringValue }
        }
        return s.isEmpty ? "body" : s
    }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case .typeMismatch(let t, let c):
            return "\(path(c.codingPath)): expected \(typeName(t))"
        case .valueNotFound(let t, let c):
            return "\(path(c.codingPath)): expected \(typeName(t)), got null"
        case .keyNotFound(let k, let c):
            return "\(path(c.codingPath + [k])): is required"
        case .dataCorrupted(let c):
            if c.codingPath.isEmpty { return "body: not valid JSON" }
            return "\(path(c.codingPath)): \(c.debugDescription.contains("fit") ? "number out of range or not whole" : "invalid value")"
        @unknown default:
            return "body: invalid"
        }
    }

    static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type, is WholeNumber.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type: "an array of strings"
        default: t is any Collection.Type ? "an array" : (String(describing: t).hasPrefix("Dictionary") ? "an object" : "\(t)")
        }
    }
}

/// A field that may be absent, null (clear it) or a value: PATCH semantics.
enum Patch<T: Decodable & Sendable>: Decodable, Sendable {
    case absent
    case null
    case value(T)

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self = c.decodeNil() ? .null : .value(try c.decode(T.self))
    }

    /// nil = leave as is, .some(nil) = clear, .some(v) = set (the store's `String??`).
    var update: T?? {
        switch self {
        case .absent: nil
        case .null: .some(nil)
        case .value(let v): .some(v)
        }
    }
}

extension KeyedDecodingContainer {
    /// Absent and null differ for PATCH (`decodeIfPresent` would read null as absent).
    func decode<T>(_ type: Patch<T>.Type, forKey key: Key) throws -> Patch<T> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(T.self, forKey: key))
    }
}

/// An integer field. Foundation's decoder reports `1.5` for an Int64 as "not valid JSON"
/// without naming the field, so integers are read as numbers here and checked to be whole.
struct WholeNumber: Decodable, Sendable {
    var value: Int64

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int64.self) { value = i; return }
        if let d = try? c.decode(Double.self) {
            guard d.rounded() == d, abs(d) < 9.0e15 else {
                throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "does not fit: not a whole number"))
            }
            value = Int64(d)
            return
        }
        throw DecodingError.typeMismatch(Int64.self, .init(codingPath: c.codingPath, debugDescription: "not a number"))
    }
}
