import Foundation
import Testing

@testable import Webhooks

@Suite struct WebhookSignatureTests {
    let body = Array(#"{"id":"evt_1","type":"call.started"}"#.utf8)
    let t: Int64 = 1_700_000_000
    // Computed independently with Python:
    // hmac.new(b"whsec_current", b"1700000000." + body, hashlib.sha256).hexdigest()
    let currentHex = "a2e5023ad164b98520958ac66a70090b8757bfaf1d3724b2765cb77b46b645bb"
    // hmac.new(b"whsec_previous", b"1700000000." + body, hashlib.sha256).hexdigest()
    let previousHex = "33018d1e2606b46f5feacb94484d4bad4def8559f1fe2e693314de7d18e9cd08"

    @Test func knownVectorSingleSecret() {
        let header = WebhookSignature.header(body: body, secrets: ["whsec_current"], timestamp: t)
        #expect(header == "t=1700000000,v1=\(currentHex)")
        #expect(WebhookSignature.headerName == "X-Sautikit-Signature")
    }

    @Test func moreVectorsFromPython() {
        // hmac.new(b"", b"0.", hashlib.sha256).hexdigest()
        #expect(
            WebhookSignature.header(body: [], secrets: [""], timestamp: 0)
                == "t=0,v1=b849d5a581847b281957065739df36df2463d1977ea8d6e1e4e6cf33fadc68c3")
        // hmac.new("sécret".encode(), b"42." + bytes(range(256)), hashlib.sha256).hexdigest()
        let binary = (0...255).map { UInt8($0) }
        #expect(
            WebhookSignature.header(body: binary, secrets: ["sécret"], timestamp: 42)
                == "t=42,v1=813786f62bc8fcde2870b5acede87596b91217f3de2a7784f781e6a94f8b1540")
        #expect(WebhookSignature.hex([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    }

    @Test func twoSecretsCarryBothSignaturesCurrentFirst() {
        let header = WebhookSignature.header(body: body, secrets: ["whsec_current", "whsec_previous"], timestamp: t)
        #expect(header == "t=1700000000,v1=\(currentHex),v1=\(previousHex)")
        #expect(WebhookSignature.verify(header: header, body: body, secret: "whsec_current", now: t))
        #expect(WebhookSignature.verify(header: header, body: body, secret: "whsec_previous", now: t))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "whsec_other", now: t))
    }

    @Test func roundTripAndTamperRejected() {
        let header = WebhookSignature.header(body: body, secrets: ["s3cret"], timestamp: t)
        #expect(WebhookSignature.verify(header: header, body: body, secret: "s3cret", now: t + 10))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "s3cret!", now: t))
        var tampered = body
        tampered[tampered.count - 2] ^= 0x01
        #expect(!WebhookSignature.verify(header: header, body: tampered, secret: "s3cret", now: t))
        #expect(!WebhookSignature.verify(header: header, body: body + [0x20], secret: "s3cret", now: t))
        // Replaying the signature under another timestamp must fail: t is part of the MAC.
        let moved = header.replacingOccurrences(of: "t=1700000000", with: "t=1700000001")
        #expect(!WebhookSignature.verify(header: moved, body: body, secret: "s3cret", now: t))
    }

    @Test func toleranceWindowBothDirections() {
        let header = WebhookSignature.header(body: body, secrets: ["k"], timestamp: t)
        #expect(WebhookSignature.verify(header: header, body: body, secret: "k", now: t + 300))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "k", now: t + 301))
        #expect(WebhookSignature.verify(header: header, body: body, secret: "k", now: t - 300))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "k", now: t - 301))
        #expect(WebhookSignature.verify(header: header, body: body, secret: "k", now: t + 1_000, tolerance: 1_000))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "k", now: t, tolerance: -1))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "k", now: Int64.min))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "k", now: Int64.max))
        // Extreme but legal inputs do not trap.
        #expect(WebhookSignature.verify(header: header, body: body, secret: "k", now: Int64.max, tolerance: Int64.max))
    }

    @Test func lenientWhereHarmless() {
        // Upper-case hex, spaces around items, unknown schemes and an extra bad v1 still verify.
        let upper = currentHex.uppercased()
        let headers = [
            "t=1700000000,v1=\(upper)",
            " t = 1700000000 , v1 = \(currentHex) ",
            "t=1700000000,v0=abc,v2=zz,v1=\(currentHex)",
            "v1=nothex,t=1700000000,v1=\(currentHex)",
            "t=1700000000,,v1=\(currentHex),",
        ]
        for header in headers {
            #expect(WebhookSignature.verify(header: header, body: body, secret: "whsec_current", now: t), "\(header)")
        }
    }

    @Test func hostileHeadersRejectedWithoutTrapping() {
        let sig = "v1=\(currentHex)"
        let hostile = [
            "",
            ",",
            "=",
            "t",
            "t=",
            sig,  // missing t
            "t=1700000000",  // no signature at all
            "t=1700000000,t=1700000000,\(sig)",  // duplicate t
            "t=-1700000000,\(sig)",
            "t=+1700000000,\(sig)",
            "t=17000 00000,\(sig)",
            "t=1700000000x,\(sig)",
            "t=99999999999999999999999999999,\(sig)",  // would overflow Int64
            "t=9223372036854775807,\(sig)",
            "t=1700000000,v1=\(currentHex.dropLast())",  // 63 digits
            "t=1700000000,v1=\(currentHex)0",  // 65 digits
            "t=1700000000,v1=\(String(currentHex.dropLast()))g",  // bad hex digit
            "t=1700000000,v1=\(String(repeating: "0", count: 64))",
            "t=1700000000,v1=" + String(repeating: "é", count: 32),  // 64 bytes, not hex
            "t=1700000000," + String(repeating: "v1=\(previousHex),", count: 200) + sig,  // > 4 KiB
            "t=1700000000\u{0}," + sig,
        ]
        for header in hostile {
            #expect(!WebhookSignature.verify(header: header, body: body, secret: "whsec_current", now: t), "\(header.prefix(80))")
        }
    }

    @Test func onlyFirstEightSignaturesConsidered() {
        let decoys = String(repeating: "v1=\(previousHex),", count: 8)
        let header = "t=1700000000," + decoys + "v1=\(currentHex)"
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "whsec_current", now: t))
        let parsed = Array(header.utf8).withUnsafeBufferPointer { WebhookSignature.parse($0) }
        #expect(parsed?.signatures.count == 8)
        #expect(parsed?.timestamp == t)
    }

    @Test func constantTimeEqualSemantics() {
        #expect(WebhookSignature.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!WebhookSignature.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!WebhookSignature.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(WebhookSignature.constantTimeEqual([], []))
    }

    @Test func noSecretsGivesTimestampOnlyHeaderThatNeverVerifies() {
        let header = WebhookSignature.header(body: body, secrets: [], timestamp: t)
        #expect(header == "t=1700000000")
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "", now: t))
    }
}
