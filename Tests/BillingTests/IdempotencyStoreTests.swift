import Testing
@testable import Billing

@Suite struct IdempotencyStoreTests {
    @Test func missReplayConflictExpiry() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let other = try store.createWorkspace(name: "B")
            let mp = "POST /v1/numbers"
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h1") == .miss)
            let body: [UInt8] = Array("{\"id\":\"n1\"}".utf8) + [0, 255]
            try store.idempotencySave(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h1", status: 201, body: body)
            // A racing duplicate does not overwrite the first response.
            try store.idempotencySave(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h2", status: 500, body: [1])
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h1") == .replay(status: 201, body: body))
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h2") == .conflict)
            // Scoped by workspace and by method + path.
            #expect(try store.idempotencyLookup(workspaceID: other.id, key: "k1", methodPath: mp, requestHash: "h2") == .miss)
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: "POST /v1/webhooks", requestHash: "h2") == .miss)

            temp.clock.advance(Store.idempotencyWindowMs - 1)
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h1") == .replay(status: 201, body: body))
            temp.clock.advance(1)
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h2") == .miss)
            #expect(try store.count("SELECT COUNT(*) FROM idempotency_keys") == 0)
            try store.idempotencySave(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h2", status: 200, body: [])
            #expect(try store.idempotencyLookup(workspaceID: ws.id, key: "k1", methodPath: mp, requestHash: "h2") == .replay(status: 200, body: []))

            temp.clock.advance(1_000)
            try store.idempotencySave(workspaceID: ws.id, key: "k2", methodPath: mp, requestHash: "h", status: 200, body: [])
            #expect(try store.purgeExpiredIdempotencyKeys(now: temp.clock.now + Store.idempotencyWindowMs - 500) == 1)
            #expect(try store.count("SELECT COUNT(*) FROM idempotency_keys") == 1)
            #expect(throws: StoreError.self) {
                try store.idempotencySave(workspaceID: ws.id, key: "", methodPath: mp, requestHash: "h", status: 200, body: [])
            }
        }
    }
}
