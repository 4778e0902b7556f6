import Foundation
import Testing
@testable import Billing
import GRDB

@Suite struct StoreSchemaTests {
    @Test func migratesANewFileAndReopensIdempotently() throws {
        try withStore { store, temp in
            #expect(FileManager.default.fileExists(atPath: temp.path))  // parent directory was created
            #expect(try store.appliedMigrations() == ["v1", "v2"])
            #expect(try store.strings("PRAGMA journal_mode") == ["wal"])
            #expect(try store.scalar("PRAGMA foreign_keys") == 1)
            let ws = try store.createWorkspace(name: "Acme")

            let reopened = try temp.reopen()
            #expect(try reopened.appliedMigrations() == ["v1", "v2"])
            #expect(try reopened.strings("PRAGMA journal_mode") == ["wal"])
            #expect(try reopened.workspace(id: ws.id) == ws)
            #expect(try reopened.wallet(workspaceID: ws.id).balanceMinor == 0)
        }
    }

    /// A file written by the first release (schema v1 only) gains the `play` allow-list
    /// column on open, keeping its rows; the new column starts as "any host".
    @Test func v1FileUpgradesToV2() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        let pool = try DatabasePool(path: path)
        try StoreSchema.migrator.migrate(pool, upTo: "v1")
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO workspaces (id, name, currency, inbound_rate_minor, outbound_rate_minor, billing_increment_seconds,
                  low_balance_threshold_minor, signing_secret, recording_retention_days, created_at)
                VALUES ('ws-old', 'Old', 'KES', 0, 300, 60, 10000, 'whsec_x', 90, 1)
                """)
        }
        try pool.close()
        let store = try Store(path: path)
        #expect(try store.appliedMigrations() == ["v1", "v2"])
        let ws = try store.workspace(id: "ws-old")
        #expect(ws.name == "Old" && ws.playHosts == nil)
        #expect(try store.setPlayAllowedHosts(workspaceID: "ws-old", hosts: ["A.example", "a.example"]).playHosts == ["a.example"])
        #expect(throws: StoreError.invalid(field: "play_allowed_hosts[0]",
                                           message: "a host name such as media.example.com, *.example.com, or an IP address")) {
            try store.setPlayAllowedHosts(workspaceID: "ws-old", hosts: ["bad host"])
        }
    }

    @Test func workspaceDefaultsWalletAndSecret() throws {
        try withStore { store, temp in
            let ws = try store.createWorkspace(name: "  Acme  ")
            #expect(ws.name == "Acme" && ws.currency == "KES")
            #expect(ws.inboundRateMinor == 0 && ws.outboundRateMinor == 300 && ws.billingIncrementSeconds == 60)
            #expect(ws.lowBalanceThresholdMinor == 10_000 && ws.recordingRetentionDays == 90 && ws.createdAt == TempStore.t0)
            #expect(ws.signingSecret.hasPrefix("whsec_") && ws.signingSecret.utf8.count == 6 + 64)
            #expect(ws.signingSecret.dropFirst(6).allSatisfy { $0.isHexDigit && !$0.isUppercase })
            let other = try store.createWorkspace(name: "Other", inboundRateMinor: 50, billingIncrementSeconds: 1)
            #expect(other.signingSecret != ws.signingSecret)
            #expect(store.tariff(for: other) == Tariff(inboundPerMinuteMinor: 50, outboundPerMinuteMinor: 300, incrementSeconds: 1))
            #expect(try store.workspaces().map(\.id) == [ws.id, other.id].sorted())
            #expect(try store.wallet(workspaceID: other.id) == WalletRecord(
                workspaceID: other.id, balanceMinor: 0, currency: "KES", lowBalanceThresholdMinor: 10_000, updatedAt: TempStore.t0))
            #expect(throws: StoreError.notFound("workspaces.not_found")) { try store.workspace(id: "nope") }
            #expect(throws: StoreError.notFound("workspaces.not_found")) { try store.wallet(workspaceID: "nope") }
            #expect((try? store.createWorkspace(name: " ")) == nil)
            #expect(StoreError.notFound("workspaces.not_found").code == "workspaces.not_found")
            #expect(StoreError.invalid(field: "x", message: "y").code == "validation.bad_request")
            _ = temp
        }
    }

    @Test func rfc3339MatchesFoundationOnKnownAndRandomInstants() {
        #expect(RFC3339.format(ms: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(ms: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(RFC3339.format(ms: TempStore.t0 + 250) == "2023-11-14T22:13:20.250Z")
        #expect(RFC3339.format(ms: -1) == "1969-12-31T23:59:59.999Z")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var state: UInt64 = 7
        for _ in 0..<500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let ms = Int64(state >> 24) % 4_102_444_800_000  // 1970 ... 2100
            let date = Date(timeIntervalSince1970: Double(ms / 1000))
            let expected = formatter.string(from: date).replacingOccurrences(of: ".000Z", with: "")
            let ours = RFC3339.format(ms: ms)
            #expect(ours.hasPrefix(expected), "\(ms)")
            #expect(ours.hasSuffix(String(format: ".%03dZ", Int(ms % 1000))))
        }
    }
}
