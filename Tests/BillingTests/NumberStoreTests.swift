import Testing
@testable import Billing

@Suite struct NumberStoreTests {
    @Test func claimDuplicateReleaseReclaim() throws {
        try withStore { store, temp in
            let a = try store.createWorkspace(name: "A")
            let b = try store.createWorkspace(name: "B")
            let n = try store.claimNumber(workspaceID: a.id, e164: "+254711000001", route: "callback",
                                          voiceCallbackURL: "https://a.example/voice", eventsURL: "https://a.example/events")
            #expect(n.status == "active" && n.workspaceID == a.id && n.createdAt == TempStore.t0 && n.fallbackURL == nil)
            #expect(try store.number(workspaceID: a.id, id: n.id) == n)
            #expect(throws: StoreError.alreadyClaimed) { try store.claimNumber(workspaceID: b.id, e164: "+254711000001") }
            #expect(throws: StoreError.alreadyClaimed) { try store.claimNumber(workspaceID: a.id, e164: "+254711000001") }
            #expect(throws: StoreError.notFound("numbers.not_found")) { try store.releaseNumber(workspaceID: b.id, id: n.id) }
            #expect(throws: StoreError.notFound("numbers.not_found")) { try store.number(workspaceID: a.id, id: "nope") }
            #expect(throws: StoreError.self) { try store.claimNumber(workspaceID: a.id, e164: "0711000001") }
            #expect(throws: StoreError.self) { try store.claimNumber(workspaceID: a.id, e164: "+254711000009", route: "fax") }
            #expect(throws: StoreError.self) {
                try store.claimNumber(workspaceID: a.id, e164: "+254711000009", voiceCallbackURL: "ftp://x.example/")
            }

            temp.clock.advance(1_000)
            let released = try store.releaseNumber(workspaceID: a.id, id: n.id)
            #expect(released.status == "retired" && released.releasedAt == TempStore.t0 + 1_000)
            #expect(throws: StoreError.notAssigned) { try store.releaseNumber(workspaceID: a.id, id: n.id) }
            #expect(throws: StoreError.notAssigned) { try store.updateNumber(workspaceID: a.id, id: n.id, fallbackURL: .some(nil)) }

            let again = try store.claimNumber(workspaceID: b.id, e164: "+254711000001", route: "echo")
            #expect(again.id != n.id && again.workspaceID == b.id)
            #expect(try store.numbers(workspaceID: a.id).items.map(\.status) == ["retired"])
            #expect(try store.numbers(workspaceID: a.id, status: "active").items.isEmpty)
            #expect(try store.eventTypes(workspaceID: a.id) == ["number.provisioned", "number.released"])
            #expect(try store.eventTypes(workspaceID: b.id) == ["number.provisioned"])
        }
    }

    @Test func updateLeavesSetsAndClears() throws {
        try withStore { store, temp in
            let a = try store.createWorkspace(name: "A")
            let n = try store.claimNumber(workspaceID: a.id, e164: "+254711000002", voiceCallbackURL: "https://a.example/v",
                                          fallbackURL: "https://a.example/f", eventsURL: "https://a.example/e")
            temp.clock.advance(500)
            let u = try store.updateNumber(workspaceID: a.id, id: n.id, voiceCallbackURL: "https://a.example/v2", fallbackURL: .some(nil))
            #expect(u.voiceCallbackURL == "https://a.example/v2" && u.fallbackURL == nil && u.eventsURL == "https://a.example/e")
            #expect(u.updatedAt == TempStore.t0 + 500 && u.createdAt == TempStore.t0)
            #expect(try store.number(workspaceID: a.id, id: n.id) == u)
            let routed = try store.updateNumber(workspaceID: a.id, id: n.id, route: "app:demo")
            #expect(routed.route == "app:demo" && routed.voiceCallbackURL == "https://a.example/v2")
            #expect(throws: StoreError.self) { try store.updateNumber(workspaceID: a.id, id: n.id, eventsURL: "not a url") }
            let b = try store.createWorkspace(name: "B")
            #expect(throws: StoreError.notFound("numbers.not_found")) { try store.updateNumber(workspaceID: b.id, id: n.id, eventsURL: .some(nil)) }
        }
    }

    @Test func routeTableJoinsWorkspaceAndWallet() throws {
        try withStore { store, temp in
            let a = try store.createWorkspace(name: "A", inboundRateMinor: 50, outboundRateMinor: 450, billingIncrementSeconds: 30)
            let b = try store.createWorkspace(name: "B")
            let na = try store.claimNumber(workspaceID: a.id, e164: "+254711000003", voiceCallbackURL: "https://a.example/v",
                                           fallbackURL: "https://a.example/f", eventsURL: "https://a.example/e")
            let nb = try store.claimNumber(workspaceID: b.id, e164: "+254711000004", route: "hold")
            let gone = try store.claimNumber(workspaceID: b.id, e164: "+254711000005", route: "echo")
            _ = try store.releaseNumber(workspaceID: b.id, id: gone.id)
            // B goes negative: one answered 61 s outbound call at 300 with no funds.
            let call = try store.placeCall(b, startedAt: temp.clock.now)
            _ = try store.endCall(CallEnd(id: call, at: temp.clock.now + 62_000, status: "completed"))

            let table = try store.routeTable()
            #expect(table == [
                RouteEntry(e164: "+254711000003", numberID: na.id, workspaceID: a.id, route: "callback",
                           voiceCallbackURL: "https://a.example/v", fallbackURL: "https://a.example/f", inboundRateMinor: 50,
                           outboundRateMinor: 450, billingIncrementSeconds: 30, workspaceBlocked: false, eventsURL: "https://a.example/e",
                           signingSecret: a.signingSecret),
                RouteEntry(e164: "+254711000004", numberID: nb.id, workspaceID: b.id, route: "hold", voiceCallbackURL: nil,
                           fallbackURL: nil, inboundRateMinor: 0, outboundRateMinor: 300, billingIncrementSeconds: 60,
                           workspaceBlocked: true, signingSecret: b.signingSecret),
            ])
            #expect(table.first?.isBillable(.inbound) == true && table.last?.isBillable(.inbound) == false)
        }
    }

    @Test func seedNumbersOnlyIntoAnEmptyTable() throws {
        try withStore { store, temp in
            let entries: [(e164: String, route: String, name: String?)] = [
                ("+254700000001", "hold", "Docs example number"), ("+254709999999", "echo", nil), ("echo", "echo", "Echo test"),
            ]
            #expect(try store.seedNumbers(entries) == 3)
            let defaults = try store.workspaces().filter { $0.name == "default" }
            #expect(defaults.count == 1)
            let table = try store.routeTable()
            #expect(table.map(\.e164) == ["+254700000001", "+254709999999", "echo"])
            #expect(table.allSatisfy { $0.workspaceID == defaults.first?.id })
            #expect(try store.numbers(workspaceID: defaults[0].id).items.compactMap(\.name).sorted() == ["Docs example number", "Echo test"])
            #expect(try store.count("SELECT COUNT(*) FROM webhook_events") == 0)
            // Second start, or after the API changed numbers: nothing is seeded again.
            #expect(try store.seedNumbers(entries) == 0)
            try temp.reopen()
            #expect(try temp.store.seedNumbers([("+254700000002", "hold", nil)]) == 0)
            #expect(try temp.store.routeTable().count == 3)
            #expect(try temp.store.workspaces().count == 1)
        }
    }

    @Test func seedUsesAnExistingDefaultWorkspace() throws {
        try withStore { store, _ in
            let existing = try store.createWorkspace(name: "default")
            #expect(try store.seedNumbers([("+254700000001", "hold", nil)]) == 1)
            #expect(try store.routeTable().map(\.workspaceID) == [existing.id])
            #expect(throws: StoreError.self) { try store.seedNumbers([("+254700000009", "voicemail", nil)]) }
        }
    }
}
