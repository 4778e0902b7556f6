import SIPSyntax
/// One `auth-param` of a challenge or of credentials (RFC 3261 §25.1, RFC 7235 §2.1).
public struct AuthParam: Sendable, Equatable {
    /// Parameter name, lower-cased: auth-param names compare case-insensitively.
    public var name: String
    /// Value with the surrounding quotes removed and quoted-pairs unescaped.
    public var value: String
    /// Whether the value was a quoted-string on the wire.
    public var wasQuoted: Bool

    /// Creates a parameter.
    public init(name: String, value: String, wasQuoted: Bool) {
        self.name = name
        self.value = value
        self.wasQuoted = wasQuoted
    }
}

/// Splits `scheme LWS auth-param *(COMMA auth-param)` header values (WWW-Authenticate,
/// Proxy-Authenticate, Authorization, Proxy-Authorization) into a scheme and its parameters.
/// Works on the UTF-8 bytes; bounded so a hostile peer cannot make it do unbounded work.
enum AuthParamsTokenizer {
    /// Longest header value accepted, in bytes.
    static let maxBytes = 8 * 1024
    /// Most parameters accepted in one value.
    static let maxParams = 64

    /// Returns the scheme as written and the parameters in wire order.
    static func tokenize(_ value: String) throws(DigestError) -> (scheme: String, params: [AuthParam]) {
        let length = value.utf8.count
        guard length <= maxBytes else { throw .tooLong(length) }
        var copy = value
        let result = copy.withUTF8 { bytes in
            var cursor = Cursor(bytes: bytes)
            return Result { () throws(DigestError) in try cursor.scan() }
        }
        return try result.get()
    }

    /// Appends `text` as a quoted-string (RFC 3261 §25.1): `"` and `\` become quoted-pairs and
    /// control characters are dropped, so peer- or user-supplied text can never end the header
    /// line early (CR/LF) or break out of the quotes.
    static func appendQuoted(_ text: String, to out: inout String) {
        out.append("\"")
        var needsWork = false
        for byte in text.utf8 where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F {
            needsWork = true
            break
        }
        if !needsWork {
            out.append(text)
        } else {
            var escaped: [UInt8] = []
            escaped.reserveCapacity(text.utf8.count + 8)
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    escaped.append(UInt8(ascii: "\\"))
                    escaped.append(byte)
                } else if byte >= 0x20 && byte != 0x7F {
                    escaped.append(byte)
                }
            }
            out.append(String(decoding: escaped, as: UTF8.self))
        }
        out.append("\"")
    }

    /// RFC 3261 §25.1 `token` characters (the one table lives in SIPSyntax).
    @inline(__always)
    static func isTokenByte(_ b: UInt8) -> Bool { HeaderText.isTokenByte(b) }

    /// A read position over the value's bytes.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        /// RFC 3261 §25.1 LWS/SWS: spaces, tabs, and line folding (tolerated if the caller did
        /// not unfold).
        @inline(__always)
        static func isWhitespace(_ b: UInt8) -> Bool {
            b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A
        }

        mutating func skipWhitespace() {
            while index < bytes.count, Cursor.isWhitespace(bytes[index]) { index += 1 }
        }

        mutating func token() -> Range<Int>? {
            let start = index
            while index < bytes.count, AuthParamsTokenizer.isTokenByte(bytes[index]) { index += 1 }
            return start < index ? start..<index : nil
        }

        func string(_ range: Range<Int>, lowercased: Bool = false) -> String {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            guard lowercased else { return String(decoding: slice, as: UTF8.self) }
            return String(decoding: slice.lazy.map { b in
                (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) ? b | 0x20 : b
            }, as: UTF8.self)
        }

        mutating func scan() throws(DigestError) -> (scheme: String, params: [AuthParam]) {
            skipWhitespace()
            guard let schemeRange = token() else {
                throw .malformed("the value does not start with an auth scheme")
            }
            let scheme = string(schemeRange)
            var params: [AuthParam] = []
            guard index < bytes.count else { return (scheme, params) }
            // RFC 7235 §2.1: the scheme is separated from its parameters by whitespace.
            guard Cursor.isWhitespace(bytes[index]) else {
                throw .malformed("expected a space after the auth scheme '\(scheme)'")
            }
            while true {
                skipWhitespace()
                guard index < bytes.count else { break }
                // RFC 7230 §7: empty list elements (",,") are tolerated.
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard let nameRange = token() else {
                    throw .malformed("expected a parameter name at byte \(index)")
                }
                let name = string(nameRange, lowercased: true)
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                    throw .malformed("parameter '\(name)' has no '=' and value")
                }
                index += 1
                skipWhitespace()
                let param: AuthParam
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    param = AuthParam(name: name, value: try quotedString(for: name), wasQuoted: true)
                } else {
                    // Lenient on purpose: some servers send base64 nonces ('/', '=') unquoted.
                    let start = index
                    while index < bytes.count {
                        let b = bytes[index]
                        if Cursor.isWhitespace(b) || b == UInt8(ascii: ",") || b == UInt8(ascii: "\"")
                            || b < 0x20 || b == 0x7F
                        {
                            break
                        }
                        index += 1
                    }
                    guard start < index else { throw .malformed("parameter '\(name)' has an empty value") }
                    param = AuthParam(name: name, value: string(start..<index), wasQuoted: false)
                }
                params.append(param)
                guard params.count <= AuthParamsTokenizer.maxParams else { throw .tooManyParameters }
                skipWhitespace()
                guard index < bytes.count else { break }
                guard bytes[index] == UInt8(ascii: ",") else {
                    throw .malformed("expected ',' after parameter '\(name)'")
                }
                index += 1
            }
            return (scheme, params)
        }

        /// Reads a quoted-string starting at the opening quote; unescapes quoted-pairs.
        mutating func quotedString(for name: String) throws(DigestError) -> String {
            index += 1  // opening quote
            let start = index
            var unescaped: [UInt8]? = nil
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    let text = unescaped.map { String(decoding: $0, as: UTF8.self) } ?? string(start..<index)
                    index += 1
                    return text
                }
                if b == UInt8(ascii: "\\") {
                    // RFC 3261 §25.1 quoted-pair: "\" followed by any byte except CR/LF.
                    guard index + 1 < bytes.count else { break }
                    let next = bytes[index + 1]
                    guard next != 0x0D, next != 0x0A else {
                        throw .malformed("bad escape in quoted value of '\(name)'")
                    }
                    if unescaped == nil { unescaped = Array(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                    unescaped?.append(next)
                    index += 2
                    continue
                }
                // Controls would let a value echoed into our own header break the line.
                if (b < 0x20 && b != 0x09) || b == 0x7F {
                    throw .malformed("control character in quoted value of '\(name)'")
                }
                unescaped?.append(b)
                index += 1
            }
            throw .unterminatedQuote(name)
        }
    }
}
