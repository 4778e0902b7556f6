import Testing
@testable import Billing

@Suite struct CallQueryTests {
    /// 40 calls over 40 minutes, every fourth pair sharing a start time (ties break by id).
    private func seed(_ store: Store, _ ws: Workspace, t: Int64) throws -> [CallRecord] {
        var ids: [String] = []
        for i in 0..<40 {
            let started = t + Int64(i / 2) * 120_000
            let remote = i == 7 ? "+25471150%0" : (i == 8 ? "+254711500" : "+2547110000\(i % 10)")
            let id = try store.placeCall(ws, id: "c\(String(i + 100))", direction: i % 3 == 0 ? "inbound" : "outbound",
                                         remote: remote, session: i == 9 ? "sess_x" : "sess-\(i)", startedAt: started,
                                         answerAfterMs: i % 5 == 0 ? nil : 1_000)
            let status = i % 5 == 0 ? "no_answer" : (i % 4 == 0 ? "failed" : "completed")
            if i < 38 { _ = try store.endCall(CallEnd(id: id, at: started + 1_000 + Int64(i) * 10_000, status: status)) }
            ids.append(id)
        }
        return try ids.map { try store.call(workspaceID: ws.id, idOrSessionID: $0).0 }
    }

    private func newestFirst(_ calls: [CallRecord]) -> [String] {
        calls.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }.map(\.id)
    }

    @Test func filters() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let other = try store.createWorkspace(name: "B")
            let t = temp.clock.now
            let all = try seed(store, ws, t: t)
            _ = try store.placeCall(other, startedAt: t)
            func ids(_ filter: CallFilter) throws -> [String] {
                try store.calls(workspaceID: ws.id, filter: filter, limit: 100).items.map(\.id)
            }
            #expect(try ids(CallFilter()) == newestFirst(all))
            #expect(try ids(CallFilter(statuses: ["failed", "no_answer"])) == newestFirst(all.filter { ["failed", "no_answer"].contains($0.status) }))
            #expect(try ids(CallFilter(statuses: ["in_progress"])) == newestFirst(all.filter { $0.status == "in_progress" }))
            #expect(try ids(CallFilter(statuses: ["in_progress"])).count == 2)
            #expect(try ids(CallFilter(direction: "inbound")) == newestFirst(all.filter { $0.direction == "inbound" }))
            // "%" and "_" are literal: "50%" matches only +25471150%0, not +254711500.
            #expect(try ids(CallFilter(q: "50%")) == ["c107"])
            #expect(try ids(CallFilter(q: "1500")) == ["c108"])
            #expect(try ids(CallFilter(q: "s_x")) == ["c109"])
            #expect(try ids(CallFilter(q: "sess-1")).count == 11)  // sess-1, sess-10...sess-19
            #expect(try ids(CallFilter(sessionID: "sess-12")) == ["c112"])
            let window = CallFilter(from: t + 240_000, to: t + 480_000)  // starts at minutes 4 and 6: calls 4-7
            #expect(try ids(window) == newestFirst(all.filter { (4...7).contains(Int($0.id.dropFirst())! - 100) }))
            #expect(try ids(CallFilter(statuses: ["completed"], direction: "outbound", from: t, to: t + 240_000))
                    == newestFirst(all.filter { $0.status == "completed" && $0.direction == "outbound" && $0.startedAt < t + 240_000 }))
            #expect(throws: StoreError.self) { try ids(CallFilter(statuses: ["hung_up"])) }
            #expect(throws: StoreError.self) { try ids(CallFilter(direction: "both")) }
        }
    }

    @Test func pagingHasNoDuplicatesOrGapsEvenWhileCallsArrive() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let t = temp.clock.now
            let all = try seed(store, ws, t: t)
            var seen: [String] = []
            var after: PageKey?
            var pages = 0
            repeat {
                let page = try store.calls(workspaceID: ws.id, after: after, limit: 7)
                seen += page.items.map(\.id)
                after = page.next
                pages += 1
                if pages == 2 { _ = try store.placeCall(ws, id: "newer", startedAt: t + 10_000_000) }  // lands before the cursor
                #expect(page.items.count == 7 || page.next == nil)
            } while after != nil && pages < 20
            #expect(pages == 6)
            #expect(seen == newestFirst(all))
            #expect(Set(seen).count == 40)
            let filtered = try store.calls(workspaceID: ws.id, filter: CallFilter(direction: "inbound"), limit: 5)
            let rest = try store.calls(workspaceID: ws.id, filter: CallFilter(direction: "inbound"), after: filtered.next, limit: 50)
            #expect(filtered.items.map(\.id) + rest.items.map(\.id) == newestFirst(all.filter { $0.direction == "inbound" }))
            #expect(rest.next == nil)
        }
    }

    @Test func statsAndBuckets() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "A")
            let day: Int64 = 86_400_000
            let t = (temp.clock.now / day) * day  // midnight UTC
            // Bucket 0: 61 s (2 min, 600) completed + unanswered failed. Bucket 2: 3600 s completed (60 min, 18000).
            let a = try store.placeCall(ws, startedAt: t + 1_000)
            _ = try store.endCall(CallEnd(id: a, at: t + 2_000 + 61_000, status: "completed"))
            let b = try store.placeCall(ws, startedAt: t + 5_000, answerAfterMs: nil)
            _ = try store.endCall(CallEnd(id: b, at: t + 9_000, status: "failed", failureCode: "callee.unreachable"))
            let c = try store.placeCall(ws, startedAt: t + 2 * 3_600_000 + 5)
            _ = try store.endCall(CallEnd(id: c, at: t + 2 * 3_600_000 + 5 + 1_000 + 3_600_000, status: "completed"))
            _ = try store.placeCall(ws, startedAt: t - 1)  // before `since`: not counted
            temp.clock.set(t + 3 * 3_600_000 + 10)

            let totals = try store.callStats(workspaceID: ws.id, since: t)
            #expect(totals == CallStats(total: 3, failed: 1, minutesTotal: 62, spendMinor: 18_600, currency: "KES", series: nil))
            let hourly = try store.callStats(workspaceID: ws.id, since: t, bucketSeconds: 3_600)
            #expect(hourly.series == [
                StatsBucket(start: t, total: 2, failed: 1, minutes: 2, spendMinor: 600),
                StatsBucket(start: t + 3_600_000, total: 0, failed: 0, minutes: 0, spendMinor: 0),
                StatsBucket(start: t + 7_200_000, total: 1, failed: 0, minutes: 60, spendMinor: 18_000),
                StatsBucket(start: t + 10_800_000, total: 0, failed: 0, minutes: 0, spendMinor: 0),
            ])
            let daily = try store.callStats(workspaceID: ws.id, since: t, bucketSeconds: 86_400)
            #expect(daily.series == [StatsBucket(start: t, total: 3, failed: 1, minutes: 62, spendMinor: 18_600)])
            let empty = try store.callStats(workspaceID: ws.id, since: t + 5 * day)
            #expect(empty.total == 0 && empty.minutesTotal == 0 && empty.spendMinor == 0)
            #expect(throws: StoreError.self) { try store.callStats(workspaceID: ws.id, since: t, bucketSeconds: 0) }
            #expect(throws: StoreError.notFound("workspaces.not_found")) { try store.callStats(workspaceID: "nope", since: t) }
        }
    }
}
