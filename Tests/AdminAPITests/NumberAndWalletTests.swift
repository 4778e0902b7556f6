import Foundation
import AdminAPI
import Billing
import Testing

/// Numbers (claim, route, release), idempotent creates, cursors, the wallet.
@Suite(.serialized) struct NumberAndWalletTests {
    @Test func claimRouteAndReleaseANumber() async throws {
        let h = try await APIHarness()
        let claim = #"{"e164":"+254 711 000 001","voice_callback_url":"https://app.example/voice","fallback_url":"https://app.example/fb"}"#
        let c = try await h.send(.POST, "/v1/numbers", json: claim)
        #expect(c.status == 201 && c["number.e164"] as? String == "+254711000001" && c["number.status"] as? String == "active")
        let id = try #require(c["number.id"] as? String)
        let again = try await h.send(.POST, "/v1/numbers", json: claim)
        #expect(again.status == 409 && again.errorCode == "numbers.already_claimed")
        let badNumber = try await h.send(.POST, "/v1/numbers", json: #"{"e164":"0711","voice_callback_url":"https://a/b"}"#)
        #expect(badNumber.status == 400 && badNumber.errorCode == "validation.bad_request" && badNumber.errorMessage.hasPrefix("e164"))
        let badURL = try await h.send(.POST, "/v1/numbers", json: #"{"e164":"+254711000002","voice_callback_url":"ftp://x"}"#)
        #expect(badURL.status == 400 && badURL.errorCode == "numbers.invalid_routing_url")

        let patched = try await h.send(.PATCH, "/v1/numbers/\(id)", json: #"{"fallback_url":null,"events_url":"https://app.example/ev"}"#)
        #expect(patched.status == 200 && patched["number.fallback_url"] is NSNullLike && patched["number.events_url"] as? String == "https://app.example/ev")
        #expect(try await h.send(.PATCH, "/v1/numbers/\(id)", json: #"{"voice_callback_url":null}"#).errorCode == "validation.bad_request")
        #expect(try await h.send(.GET, "/v1/numbers/\(id)")["number.voice_callback_url"] as? String == "https://app.example/voice")
        #expect(try await h.send(.GET, "/v1/numbers/nope").errorCode == "numbers.not_found")
        // Another tenant cannot even learn that the id exists.
        let other = try h.store.createWorkspace(name: "Other")
        let otherKey = try h.store.createAPIKey(workspaceID: other.id, name: "o", scopes: ["numbers.read", "numbers.write"]).secret
        #expect(try await h.send(.GET, "/v1/numbers/\(id)", key: otherKey).errorCode == "numbers.not_found")
        #expect(try await h.send(.DELETE, "/v1/numbers/\(id)", key: otherKey).errorCode == "numbers.not_found")

        let released = try await h.send(.DELETE, "/v1/numbers/\(id)")
        #expect(released.status == 200 && released["number.status"] as? String == "retired")
        #expect(try await h.send(.DELETE, "/v1/numbers/\(id)").errorCode == "numbers.not_assigned")
        // A released number can be claimed again; the store now routes it to the new claim.
        #expect(try await h.send(.POST, "/v1/numbers", json: claim).status == 201)
        await h.close()
    }

    @Test func idempotencyReplaysTheFirstAnswerAndRefusesAnotherBody() async throws {
        let h = try await APIHarness()
        let body = #"{"amount_minor":5000,"reference":"mpesa-1"}"#
        let first = try await h.send(.POST, "/v1/wallet/topups", json: body, headers: [("Idempotency-Key", "k-1")])
        let replay = try await h.send(.POST, "/v1/wallet/topups", json: body, headers: [("Idempotency-Key", "k-1")])
        #expect(first.status == 201 && replay.status == 201 && first.bytes == replay.bytes)
        #expect(replay.headers.first(name: "Idempotent-Replayed") == "true")
        let conflict = try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":9000}"#, headers: [("Idempotency-Key", "k-1")])
        #expect(conflict.status == 409 && conflict.errorCode == "idempotency.conflict")
        // Credited once.
        #expect(try await h.send(.GET, "/v1/wallet")["wallet.balance_minor"] as? Int == 5000)
        await h.close()
    }

    @Test func walletTopUpsAndLedgerPages() async throws {
        let h = try await APIHarness()
        for (amount, code) in [("0", "wallet.invalid_amount"), ("-5", "wallet.invalid_amount"), ("1000000000000", "wallet.invalid_amount")] {
            let r = try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":\#(amount)}"#)
            #expect(r.status == 400 && r.errorCode == code)
        }
        for i in 1...5 {
            h.clock.advance(ms: 1000)
            #expect(try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":\#(i * 100)}"#).status == 201)
        }
        let w = try await h.send(.GET, "/v1/wallet")
        #expect(w["wallet.balance_minor"] as? Int == 1500 && w["wallet.currency"] as? String == "KES")
        // Pages of 2, newest first, no gaps or repeats.
        var seen: [Int] = []
        var cursor: String? = nil
        repeat {
            let page = try await h.send(.GET, "/v1/wallet/ledger?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            seen += (page["data"] as? [[String: Any]] ?? []).compactMap { $0["amount_minor"] as? Int }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(seen == [500, 400, 300, 200, 100])
        await h.close()
    }

    @Test func tamperedOrForeignCursorsAreRefused() async throws {
        let h = try await APIHarness()
        for i in 1...3 { _ = try await h.send(.POST, "/v1/wallet/topups", json: #"{"amount_minor":\#(i)}"#); h.clock.advance(ms: 10) }
        let page = try await h.send(.GET, "/v1/wallet/ledger?limit=1")
        let cursor = try #require(page["next_cursor"] as? String)
        var tampered = Array(cursor)
        tampered[2] = tampered[2] == "A" ? "B" : "A"
        let bad = try await h.send(.GET, "/v1/wallet/ledger?limit=1&cursor=\(String(tampered))")
        #expect(bad.status == 400 && bad.errorCode == "validation.invalid_cursor")
        // A ledger cursor is not a calls cursor.
        let foreign = try await h.send(.GET, "/v1/calls?cursor=\(cursor)")
        #expect(foreign.errorCode == "validation.invalid_cursor")
        #expect(try await h.send(.GET, "/v1/wallet/ledger?cursor=garbage!").errorCode == "validation.invalid_cursor")
        #expect(try await h.send(.GET, "/v1/wallet/ledger?limit=0").errorCode == "validation.bad_request")
        #expect(try await h.send(.GET, "/v1/wallet/ledger?limit=101").errorCode == "validation.bad_request")
        await h.close()
    }

    @Test func workspacesAndKeys() async throws {
        let h = try await APIHarness()
        let w = try await h.send(.POST, "/v1/workspaces", json: #"{"name":"Beta","outbound_rate_per_minute_minor":450}"#)
        #expect(w.status == 201 && w["workspace.outbound_rate_per_minute_minor"] as? Int == 450 && w["workspace.currency"] as? String == "KES")
        let id = try #require(w["workspace.id"] as? String)
        #expect(try await h.send(.GET, "/v1/workspaces/\(id)")["workspace.name"] as? String == "Beta")
        #expect(try await h.send(.GET, "/v1/workspaces/none").errorCode == "workspaces.not_found")
        #expect(try await h.send(.POST, "/v1/workspaces", json: #"{"name":""}"#).errorCode == "validation.bad_request")
        let k = try await h.send(.POST, "/v1/api-keys", json: #"{"name":"ops","scopes":["calls.read","wallet.read"],"workspace_id":"\#(id)"}"#)
        #expect(k.status == 201 && (k["secret"] as? String)?.hasPrefix("sk_") == true)
        let secret = try #require(k["secret"] as? String)
        // The new key works for its own workspace and sees its wallet, not Acme's.
        let wallet = try await h.send(.GET, "/v1/wallet", key: secret)
        #expect(wallet["wallet.workspace_id"] as? String == id)
        #expect(try await h.send(.POST, "/v1/api-keys", json: #"{"name":"x","scopes":["root"]}"#).errorCode == "validation.bad_request")
        let list = try await h.send(.GET, "/v1/api-keys")
        #expect(!String(decoding: list.bytes, as: UTF8.self).contains(h.adminKey))  // secrets are never listed
        await h.close()
    }

    @Test func playHostAllowListIsSetClearedAndValidated() async throws {
        let h = try await APIHarness()
        let w = try await h.send(.POST, "/v1/workspaces", json: #"{"name":"Media","play_allowed_hosts":[" Media.Example.com","*.cdn.example","media.example.com"]}"#)
        #expect(w.status == 201)
        #expect(w["workspace.play_allowed_hosts"] as? [String] == ["media.example.com", "*.cdn.example"])
        let id = try #require(w["workspace.id"] as? String)
        let bad = try await h.send(.PATCH, "/v1/workspaces/\(id)", json: #"{"play_allowed_hosts":["ok.example","-bad-"]}"#)
        #expect(bad.status == 400 && bad.errorCode == "validation.bad_request")
        #expect((bad["error.message"] as? String)?.hasPrefix("play_allowed_hosts[1]:") == true)
        let set = try await h.send(.PATCH, "/v1/workspaces/\(id)", json: #"{"play_allowed_hosts":["[::1]","127.0.0.1"]}"#)
        #expect(set.status == 200 && set["workspace.play_allowed_hosts"] as? [String] == ["[::1]", "127.0.0.1"])
        #expect(try await h.send(.PATCH, "/v1/workspaces/\(id)", json: "{}")["workspace.play_allowed_hosts"] as? [String] == ["[::1]", "127.0.0.1"])
        let cleared = try await h.send(.PATCH, "/v1/workspaces/\(id)", json: #"{"play_allowed_hosts":null}"#)
        #expect(cleared.status == 200 && cleared["workspace.play_allowed_hosts"] is NSNull)
        #expect(try await h.send(.GET, "/v1/workspaces/\(id)")["workspace.play_allowed_hosts"] is NSNull)
        #expect(try await h.send(.PATCH, "/v1/workspaces/none", json: "{}").errorCode == "workspaces.not_found")
        let many = "[" + (0...50).map { "\"h\($0).example\"" }.joined(separator: ",") + "]"
        #expect(try await h.send(.PATCH, "/v1/workspaces/\(id)", json: #"{"play_allowed_hosts":\#(many)}"#).errorCode == "validation.bad_request")
        await h.close()
    }
}

/// JSON null as JSONSerialization returns it.
typealias NSNullLike = NSNull
