import Crypto
import Testing
@testable import Billing

@Suite struct APIKeyStoreTests {
    @Test func createAuthenticateRevoke() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "Acme")
            let (key, secret) = try store.createAPIKey(workspaceID: ws.id, name: "ci", scopes: ["calls.read", "calls.write", "calls.read"])
            #expect(secret.hasPrefix("sk_") && secret.utf8.count == 43)
            #expect(secret.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            #expect(key.prefix == String(secret.prefix(11)))
            #expect(key.scopes == ["calls.read", "calls.write"] && key.lastUsedAt == nil && key.revokedAt == nil)
            #expect(key.allows("calls.write") && !key.allows("wallet.write"))

            // Only the SHA-256 is stored.
            let stored = try store.strings("SELECT key_hash FROM api_keys WHERE id = ?", [key.id])
            #expect(stored.count == 1 && stored.first != secret && !(stored.first ?? "").contains(secret))
            let expected = SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(stored == [expected])

            guard case .valid(let seen) = try store.authenticate(secret: secret) else { Issue.record("expected valid"); return }
            #expect(seen.id == key.id && seen.lastUsedAt == TempStore.t0)
            temp.clock.advance(30_000)  // within the minute: no write
            guard case .valid(let again) = try store.authenticate(secret: secret) else { Issue.record("expected valid"); return }
            #expect(again.lastUsedAt == TempStore.t0)
            temp.clock.advance(31_000)
            guard case .valid(let later) = try store.authenticate(secret: secret) else { Issue.record("expected valid"); return }
            #expect(later.lastUsedAt == TempStore.t0 + 61_000)
            #expect(try store.apiKeys(workspaceID: ws.id).items.first?.lastUsedAt == TempStore.t0 + 61_000)

            #expect(try store.authenticate(secret: "sk_" + String(repeating: "A", count: 40)) == .unknown)
            #expect(try store.authenticate(secret: String(repeating: "x", count: 100_000)) == .unknown)

            let revoked = try store.revokeAPIKey(workspaceID: ws.id, id: key.id)
            #expect(revoked.revokedAt == temp.clock.now)
            temp.clock.advance(5_000)
            #expect(try store.revokeAPIKey(workspaceID: ws.id, id: key.id) == revoked)  // idempotent
            #expect(try store.authenticate(secret: secret) == .revoked)
            let other = try store.createWorkspace(name: "Other")
            #expect(throws: StoreError.notFound("not_found")) { try store.revokeAPIKey(workspaceID: other.id, id: key.id) }
        }
    }

    @Test func scopesAreValidatedAndKeysPage() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "Acme")
            #expect(throws: StoreError.self) { try store.createAPIKey(workspaceID: ws.id, name: "x", scopes: ["calls.delete"]) }
            #expect(throws: StoreError.self) { try store.createAPIKey(workspaceID: ws.id, name: "x", scopes: []) }
            do {
                _ = try store.createAPIKey(workspaceID: ws.id, name: "x", scopes: ["root"])
            } catch let error as StoreError {
                guard case .invalid(let field, _) = error else { Issue.record("wrong error \(error)"); return }
                #expect(field == "scopes")
            }
            #expect(throws: StoreError.notFound("workspaces.not_found")) { try store.createAPIKey(workspaceID: "nope", name: "x", scopes: ["admin"]) }
            var made: [String] = []
            for i in 0..<5 {
                made.append(try store.createAPIKey(workspaceID: ws.id, name: "k\(i)", scopes: APIKey.allScopes).key.id)
                temp.clock.advance(1)
            }
            let first = try store.apiKeys(workspaceID: ws.id, limit: 3)
            #expect(first.items.map(\.id) == Array(made.reversed().prefix(3)))
            let second = try store.apiKeys(workspaceID: ws.id, after: first.next, limit: 3)
            #expect(second.items.map(\.id) == Array(made.reversed().suffix(2)) && second.next == nil)
        }
    }
}
