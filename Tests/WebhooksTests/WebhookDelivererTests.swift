import Foundation
import Testing

@testable import Webhooks

/// The deliverer against real HTTP receivers (Python subprocesses on 127.0.0.1). Serialized so
/// the timeout-based checks are not competing with each other for the two cores.
@Suite(.serialized, .enabled(if: ReceiverProcess.available, "needs python3 and integration/webhook_receiver.py"))
struct WebhookDelivererTests {
    let secret = "whsec_0123456789abcdef"

    /// Runs a deliverer for `body`, then shuts it down gracefully whatever happens.
    func withDeliverer(
        _ configuration: DelivererConfiguration = DelivererConfiguration(pollInterval: .milliseconds(50)),
        jitter: Double = 0,
        _ body: (WebhookDeliverer, InMemoryOutbox, ManualClock) async throws -> Void
    ) async throws {
        let outbox = InMemoryOutbox()
        let clock = ManualClock()
        let deliverer = WebhookDeliverer(
            outbox: outbox, configuration: configuration, now: { clock.now }, jitter: { jitter })
        let running = Task { await deliverer.run() }
        do {
            try await body(deliverer, outbox, clock)
        } catch {
            await deliverer.shutdown()
            await running.value
            throw error
        }
        await deliverer.shutdown()
        await running.value
    }

    func delivery(_ id: String, event: String, url: String, secrets: [String], at: Int64, attempts: Int = 0) -> PendingDelivery {
        PendingDelivery(
            deliveryID: id, eventID: event, attempts: attempts, firstAttemptAt: at, url: url,
            body: eventBody(id: event), secrets: secrets)
    }

    @Test func retriesAfter500UntilDeliveredAndReceiverVerifiesSignature() async throws {
        let temp = try TempDirectory()
        defer { temp.cleanup() }
        let receiver = try ReceiverProcess([secret, "2", temp.path("accepted.jsonl")])
        defer { receiver.stop() }

        try await withDeliverer { deliverer, outbox, clock in
            let t0 = clock.now
            await outbox.add(delivery("dlv_1", event: "evt_1", url: receiver.url(), secrets: [secret], at: t0), dueAt: t0)
            deliverer.wake()

            var records = try await outbox.waitForRecords(1)
            #expect(records[0].deliveryID == "dlv_1")
            #expect(records[0].at == t0)
            #expect(records[0].statusCode == 500)
            #expect(records[0].error == "http_500")
            #expect(records[0].nextAttemptAt == t0 + 10_000)
            #expect(records[0].durationMs >= 0)

            clock.advance(to: t0 + 10_000)
            deliverer.wake()
            records = try await outbox.waitForRecords(2)
            #expect(records[1].at == t0 + 10_000)
            #expect(records[1].statusCode == 500)
            #expect(records[1].nextAttemptAt == t0 + 40_000)  // second rung: 30 s

            clock.advance(to: t0 + 40_000)
            deliverer.wake()
            records = try await outbox.waitForRecords(3)
            #expect(records[2].statusCode == 200)
            #expect(records[2].error == nil)
            #expect(records[2].nextAttemptAt == nil)
            #expect(records.count == 3)

            #expect(await outbox.status(of: "dlv_1") == .delivered)
            #expect(await outbox.attempts(of: "dlv_1") == 3)
            #expect(await deliverer.stats == DeliveryStats(delivered: 1, failedAttempts: 2, givenUp: 0))
        }
        let accepted = try acceptedEvents(temp.path("accepted.jsonl"))
        try #require(accepted.count == 1)
        #expect(accepted[0]["id"] as? String == "evt_1")
        #expect(accepted[0]["event_id_header"] as? String == "evt_1")
        #expect(accepted[0]["content_type"] as? String == "application/json")
        #expect(accepted[0]["user_agent"] as? String == "SautiPBX-Webhooks/1")
        #expect(accepted[0]["attempt"] as? Int == 3)
    }

    @Test func dedupeRotationAndWrongSecret() async throws {
        let temp = try TempDirectory()
        defer { temp.cleanup() }
        // The receiver still holds the previous secret: rotation overlap.
        let receiver = try ReceiverProcess(["whsec_previous", "0", temp.path("accepted.jsonl")])
        defer { receiver.stop() }

        try await withDeliverer { deliverer, outbox, clock in
            let t0 = clock.now
            let url = receiver.url()
            // Two deliveries of the same event (a replay, or two subscriptions to one URL).
            await outbox.add(delivery("dlv_a", event: "evt_1", url: url, secrets: ["whsec_new", "whsec_previous"], at: t0), dueAt: t0)
            await outbox.add(delivery("dlv_b", event: "evt_1", url: url, secrets: ["whsec_previous"], at: t0), dueAt: t0)
            await outbox.add(delivery("dlv_c", event: "evt_2", url: url, secrets: ["whsec_wrong"], at: t0), dueAt: t0)
            deliverer.wake()
            _ = try await outbox.waitForRecords(3)

            #expect(await outbox.records(for: "dlv_a").map(\.statusCode) == [200])
            #expect(await outbox.records(for: "dlv_b").map(\.statusCode) == [200])
            let rejected = await outbox.records(for: "dlv_c")
            #expect(rejected.map(\.statusCode) == [401])
            #expect(rejected.first?.error == "http_401")
            #expect(rejected.first?.nextAttemptAt == t0 + 10_000)
            #expect(await outbox.status(of: "dlv_c") == .pending)
            #expect(await deliverer.stats == DeliveryStats(delivered: 2, failedAttempts: 1, givenUp: 0))
        }
        let accepted = try acceptedEvents(temp.path("accepted.jsonl"))
        #expect(accepted.count == 1)  // evt_1 recorded once although delivered twice
        #expect(accepted.first?["id"] as? String == "evt_1")
    }

    @Test func hangingReceiverDoesNotDelayOthers() async throws {
        let temp = try TempDirectory()
        defer { temp.cleanup() }
        let hanging = try ReceiverProcess(["--hang"])
        defer { hanging.stop() }
        let healthy = try ReceiverProcess([secret, "0", temp.path("accepted.jsonl")])
        defer { healthy.stop() }

        // Three slots; the hanging receiver may hold two of them, so one slot keeps serving the
        // healthy receiver. (Without the per-receiver cap, three hanging requests would take
        // every slot and the healthy deliveries would wait for the timeout.)
        let configuration = DelivererConfiguration(
            pollInterval: .milliseconds(50), concurrency: 3, perReceiverConcurrency: 2, requestTimeout: .seconds(3))
        try await withDeliverer(configuration) { deliverer, outbox, clock in
            let t0 = clock.now
            // The hanging receiver's deliveries are the oldest, so they are offered first.
            for n in 1...3 {
                await outbox.add(delivery("hang_\(n)", event: "evt_h\(n)", url: hanging.url(), secrets: [secret], at: t0 - 2_000), dueAt: t0 - 2_000)
            }
            for n in 1...3 {
                await outbox.add(delivery("ok_\(n)", event: "evt_ok\(n)", url: healthy.url(), secrets: [secret], at: t0 - 1_000), dueAt: t0 - 1_000)
            }
            deliverer.wake()

            // All three healthy deliveries complete while the hanging requests are still open
            // (none of those can end before its 3 s timeout).
            let first = try await outbox.waitForRecords(3).prefix(3)
            #expect(Set(first.map(\.deliveryID)) == ["ok_1", "ok_2", "ok_3"])
            #expect(first.allSatisfy { $0.statusCode == 200 })

            // Then hang_1 and hang_2 time out, and hang_3 gets its turn and times out too.
            let all = try await outbox.waitForRecords(6)
            let timedOut = all.dropFirst(3)
            #expect(Set(timedOut.prefix(2).map(\.deliveryID)) == ["hang_1", "hang_2"])
            #expect(timedOut.last?.deliveryID == "hang_3")
            for result in timedOut {
                #expect(result.statusCode == nil)
                #expect(result.error == "timeout")
                #expect(result.durationMs >= 3_000)
                #expect(result.nextAttemptAt == t0 + 10_000)
            }
            #expect(await deliverer.stats == DeliveryStats(delivered: 3, failedAttempts: 3, givenUp: 0))
        }
        #expect(try acceptedEvents(temp.path("accepted.jsonl")).count == 3)
    }

    @Test func brokenReceiversBecomeRecordedFailures() async throws {
        let temp = try TempDirectory()
        defer { temp.cleanup() }
        let garbage = try ReceiverProcess(["--garbage"])
        defer { garbage.stop() }
        let reset = try ReceiverProcess(["--reset"])
        defer { reset.stop() }
        let busy = try ReceiverProcess([secret, "1", temp.path("accepted.jsonl"), "--fail-status", "503", "--retry-after", "120"])
        defer { busy.stop() }
        let gone = try ReceiverProcess(["--hang"])
        let refusedURL = gone.url()
        gone.stop()  // nothing listens on that port any more

        try await withDeliverer(DelivererConfiguration(pollInterval: .milliseconds(50), requestTimeout: .seconds(5))) {
            deliverer, outbox, clock in
            let t0 = clock.now
            await outbox.add(delivery("garbage", event: "e1", url: garbage.url(), secrets: [secret], at: t0), dueAt: t0)
            await outbox.add(delivery("reset", event: "e2", url: reset.url(), secrets: [secret], at: t0), dueAt: t0)
            await outbox.add(delivery("refused", event: "e3", url: refusedURL, secrets: [secret], at: t0), dueAt: t0)
            await outbox.add(delivery("busy", event: "e4", url: busy.url(), secrets: [secret], at: t0), dueAt: t0)
            await outbox.add(delivery("badurl", event: "e5", url: "ftp://127.0.0.1/x", secrets: [secret], at: t0), dueAt: t0)
            // 14 attempts made, created almost 24 h ago: Retry-After 120 s would pass the horizon.
            let old = t0 - 86_400_000 + 60_000
            await outbox.add(delivery("old", event: "e6", url: busy.url(), secrets: [secret], at: old, attempts: 14), dueAt: t0)
            deliverer.wake()
            _ = try await outbox.waitForRecords(6)

            func only(_ id: String) async throws -> AttemptResult {
                let results = await outbox.records(for: id)
                try #require(results.count == 1, "\(id): \(results)")
                return results[0]
            }
            let garbageResult = try await only("garbage")
            #expect(garbageResult.statusCode == nil)
            #expect(garbageResult.error == "bad_response")
            #expect(garbageResult.nextAttemptAt == t0 + 10_000)

            let resetResult = try await only("reset")
            #expect(resetResult.statusCode == nil)
            // RST after reading the request: always "connection_reset" here; "connection_closed"
            // would be the other honest reading of the same event.
            #expect(resetResult.error == "connection_reset" || resetResult.error == "connection_closed", "\(resetResult)")
            #expect(resetResult.nextAttemptAt == t0 + 10_000)

            let refusedResult = try await only("refused")
            #expect(refusedResult.statusCode == nil)
            #expect(refusedResult.error == "connect_failed: refused")
            #expect(refusedResult.nextAttemptAt == t0 + 10_000)

            let busyResult = try await only("busy")
            #expect(busyResult.statusCode == 503)
            #expect(busyResult.error == "http_503")
            #expect(busyResult.nextAttemptAt == t0 + 120_000)  // Retry-After beats the 10 s rung

            let badURL = try await only("badurl")
            #expect(badURL.error == "invalid_url")
            #expect(badURL.nextAttemptAt == nil)
            #expect(await outbox.status(of: "badurl") == .failed)

            let oldResult = try await only("old")
            #expect(oldResult.statusCode == 503)
            #expect(oldResult.nextAttemptAt == nil)
            #expect(await outbox.status(of: "old") == .failed)

            #expect(await deliverer.stats == DeliveryStats(delivered: 0, failedAttempts: 6, givenUp: 2))

            // The busy receiver recovers: the retry goes through once its time comes (the
            // other failures are due again too by then, and fail again; not checked here).
            clock.advance(to: t0 + 120_000)
            deliverer.wake()
            let busyRecords = try await outbox.waitForRecords(2, of: "busy")
            #expect(busyRecords.map(\.statusCode) == [503, 200])
            #expect(await outbox.status(of: "busy") == .delivered)
        }
    }

    @Test func responseBodiesAreCappedAndNeverHoldTheSlot() async throws {
        let big = try ReceiverProcess(["--big"])
        defer { big.stop() }
        let trickle = try ReceiverProcess(["--trickle"])
        defer { trickle.stop() }

        let configuration = DelivererConfiguration(pollInterval: .milliseconds(50), requestTimeout: .seconds(2))
        try await withDeliverer(configuration) { deliverer, outbox, clock in
            let t0 = clock.now
            await outbox.add(delivery("big", event: "e1", url: big.url(), secrets: [secret], at: t0), dueAt: t0)
            await outbox.add(delivery("trickle", event: "e2", url: trickle.url(), secrets: [secret], at: t0), dueAt: t0)
            deliverer.wake()
            _ = try await outbox.waitForRecords(2)
            // A 2xx head is a delivery whatever the body does afterwards.
            #expect(await outbox.records(for: "big").map(\.statusCode) == [200])
            let trickled = await outbox.records(for: "trickle")
            #expect(trickled.map(\.statusCode) == [200])
            #expect(trickled.first?.error == nil)
            // The endless body was cut off at the request timeout.
            #expect((trickled.first?.durationMs ?? 0) >= 2_000)
            #expect(await deliverer.stats == DeliveryStats(delivered: 2, failedAttempts: 0, givenUp: 0))
        }
    }
}

/// Lifecycle and races, still against a real receiver.
@Suite(.serialized, .enabled(if: ReceiverProcess.available, "needs python3 and integration/webhook_receiver.py"))
struct WebhookDelivererLifecycleTests {
    let secret = "whsec_lifecycle"

    func makeDeliverer(_ outbox: InMemoryOutbox, _ clock: ManualClock, timeout: Duration = .seconds(10)) -> WebhookDeliverer {
        WebhookDeliverer(
            outbox: outbox,
            configuration: DelivererConfiguration(pollInterval: .milliseconds(20), requestTimeout: timeout),
            now: { clock.now }, jitter: { 0 })
    }

    @Test func staleDueSnapshotIsNotSentTwice() async throws {
        let temp = try TempDirectory()
        defer { temp.cleanup() }
        let receiver = try ReceiverProcess([secret, "0", temp.path("accepted.jsonl")])
        defer { receiver.stop() }
        let outbox = InMemoryOutbox()
        let clock = ManualClock()
        let deliverer = makeDeliverer(outbox, clock)
        let t0 = clock.now
        await outbox.add(
            PendingDelivery(
                deliveryID: "d1", eventID: "e1", attempts: 0, firstAttemptAt: t0, url: receiver.url(),
                body: eventBody(id: "e1"), secrets: [secret]),
            dueAt: t0)
        // The answer arrives, but the store is slow to record it; meanwhile another poll reads
        // the outbox (still showing d1 pending) and is slow to return.
        await outbox.holdRecords()
        await outbox.holdDue(afterCalls: 1)
        let running = Task { await deliverer.run() }
        try await eventually("the attempt waits in record") { await outbox.waitingInRecord == 1 }
        try await eventually("a second poll holds a stale snapshot") { await outbox.dueCalls >= 2 }
        await outbox.openRecord()
        try await eventually("the slot is released") { await deliverer.inFlightCount == 0 }
        await outbox.openDue()  // the stale snapshot [d1] reaches the deliverer now
        try await eventually("a later poll ran") { await outbox.dueCalls >= 3 }
        await deliverer.shutdown()  // waits for anything (wrongly) still in flight
        await running.value
        #expect(await outbox.records.map(\.statusCode) == [200])
        #expect(try acceptedEvents(temp.path("accepted.jsonl")).first?["attempt"] as? Int == 1)
    }

    @Test func cancellingRunAbandonsInFlightAttemptsUnrecorded() async throws {
        let hanging = try ReceiverProcess(["--hang"])
        defer { hanging.stop() }
        let outbox = InMemoryOutbox()
        let clock = ManualClock()
        let deliverer = makeDeliverer(outbox, clock, timeout: .seconds(60))
        let t0 = clock.now
        await outbox.add(
            PendingDelivery(
                deliveryID: "d1", eventID: "e1", attempts: 0, firstAttemptAt: t0, url: hanging.url(),
                body: eventBody(id: "e1"), secrets: [secret]),
            dueAt: t0)
        let running = Task { await deliverer.run() }
        try await eventually("the attempt is in flight") { await deliverer.inFlightCount == 1 }
        running.cancel()
        await running.value  // returns without waiting for the 60 s timeout
        #expect(await outbox.records.isEmpty)
        #expect(await outbox.status(of: "d1") == .pending)  // still due: sent again after restart
        #expect(await deliverer.inFlightCount == 0)
        await deliverer.shutdown()
        await deliverer.run()  // a stopped deliverer does not start again
        #expect(await outbox.records.isEmpty)
    }

    @Test func shutdownWithoutRunAndWakeAfterShutdownAreHarmless() async throws {
        let outbox = InMemoryOutbox()
        let deliverer = makeDeliverer(outbox, ManualClock())
        await deliverer.shutdown()
        deliverer.wake()
        await deliverer.run()
        await deliverer.shutdown()
        #expect(await outbox.dueCalls == 0)
        #expect(await deliverer.stats == DeliveryStats())
    }
}
