import Billing
import Crypto
import Foundation

/// Opaque, tamper-evident list cursors (admin-api.md "Lists"): the position (sort time and
/// id of the last item) and the list it belongs to, MACed with the daemon's secret so a
/// client can neither forge a position nor reuse one cursor on another list or workspace.
public struct CursorCodec: Sendable {
    private let key: SymmetricKey

    public init(secret: [UInt8]) { key = SymmetricKey(data: secret) }

    /// `scope` names the list and its owner, e.g. "calls:<workspace>".
    public func encode(_ k: PageKey, scope: String) -> String {
        let payload = Array("\(k.at)|\(k.id)".utf8)
        return Self.base64url(payload) + "." + Self.base64url(mac(payload, scope: scope))
    }

    /// The position, or `validation.invalid_cursor` for anything this codec did not issue
    /// for `scope`.
    public func decode(_ text: String, scope: String) throws(APIError) -> PageKey {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 512,
              let payload = Self.unbase64url(parts[0]), let tag = Self.unbase64url(parts[1]),
              tag.count == 16, Self.constantTimeEqual(tag, mac(payload, scope: scope)) else { throw .invalidCursor }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        guard fields.count == 2, let at = Int64(fields[0]) else { throw .invalidCursor }
        return PageKey(at: at, id: String(fields[1]))
    }

    func mac(_ payload: [UInt8], scope: String) -> [UInt8] {
        var h = HMAC<SHA256>(key: key)
        h.update(data: Array(scope.utf8) + [0] + payload)
        return Array(h.finalize()).prefix(16).map { $0 }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// RFC 4648 §5 base64url without padding.
    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ s: Substring) -> [UInt8]? {
        guard s.utf8.allSatisfy({ b in
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 95
        }) else { return nil }
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.utf8.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t).map { Array($0) }
    }
}
