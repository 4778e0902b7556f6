import Billing
import PBXTestSupport
import Testing

@Suite struct WalletTests {
    @Test func aCallIsDebitedAtMostOnceWhateverIsReplayed() throws {
        var w = Wallet(balanceMinor: 10_000)
        guard case .debited(let e, false) = w.debit(callID: "c1", costMinor: 600) else { Issue.record("expected a debit"); return }
        #expect(e.amountMinor == -600 && e.balanceAfterMinor == 9_400 && e.kind == .callDebit)
        #expect(w.debit(callID: "c1", costMinor: 600) == .alreadyDebited(e))
        #expect(w.debit(callID: "c1", costMinor: 9_999) == .alreadyDebited(e))  // a replay with other figures changes nothing
        #expect(w.balanceMinor == 9_400 && w.ledger.count == 1)
        #expect(w.debit(callID: "unanswered", costMinor: 0) == .free)
        #expect(w.ledger.count == 1)
    }

    @Test func shortFundsGoNegativeOnceThenBlockNewBillableCalls() throws {
        var w = Wallet(balanceMinor: 500)
        #expect(w.acceptsBillableCalls)
        _ = w.debit(callID: "long-call", costMinor: 1_800)  // the call completes and is billed in full
        #expect(w.balanceMinor == -1_300)
        #expect(!w.acceptsBillableCalls)
        _ = try w.topUp(amountMinor: 1_300, reference: "mpesa-1")
        #expect(w.balanceMinor == 0 && w.acceptsBillableCalls)
        #expect(throws: Wallet.TopUpError.invalidAmount) { try w.topUp(amountMinor: 0, reference: "x") }
        #expect(throws: Wallet.TopUpError.invalidAmount) { try w.topUp(amountMinor: -5, reference: "x") }
    }

    @Test func lowBalanceFiresOnlyWhenCrossingDownward() {
        var w = Wallet(balanceMinor: 1_000, lowBalanceThresholdMinor: 500)
        var fired: [String] = []
        for (id, cost) in [("a", 300), ("b", 300), ("c", 300), ("d", 300)] as [(String, Int64)] {
            if case .debited(_, true) = w.debit(callID: id, costMinor: cost) { fired.append(id) }
        }
        #expect(fired == ["b"])  // 1000 → 700 → 400 (crossed) → 100 → -200
    }

    @Test func thousandCallsEndingInAnyOrderKeepBalanceEqualToLedgerAndCosts() {
        var rng = SplitMix64(seed: 42)
        let tariff = Tariff()
        var durations: [(String, Int64)] = (0..<1000).map { ("call-\($0)", Int64.random(in: 0...3600, using: &rng)) }
        durations.shuffle(using: &rng)
        var w = Wallet(balanceMinor: 100_000_000)
        var expected: Int64 = 0
        for (id, seconds) in durations {
            let cost = tariff.costMinor(durationSeconds: seconds, ratePerMinuteMinor: 300)
            expected += cost
            _ = w.debit(callID: id, costMinor: cost)
            _ = w.debit(callID: id, costMinor: cost)  // every hangup reported twice
        }
        #expect(w.balanceMinor == 100_000_000 + w.ledgerSum())
        #expect(-w.ledgerSum() == expected)
        #expect(Set(w.ledger.map(\.reference)).count == w.ledger.count)
    }

    @Test func oneDebitAndTopUpRuleSharedWithTheStore() throws {
        #expect(Wallet.debitRule(balance: 10_200, threshold: 10_000, cost: 300) == (9_900, true))
        #expect(Wallet.debitRule(balance: 10_000, threshold: 10_000, cost: 300) == (9_700, true))
        #expect(Wallet.debitRule(balance: 9_900, threshold: 10_000, cost: 300) == (9_600, false))
        #expect(Wallet.debitRule(balance: Int64.min + 5, threshold: 0, cost: 10) == (Int64.min, false))  // saturates
        #expect(try Wallet.topUpRule(balance: -300, amount: 500) == 200)
        #expect(throws: Wallet.TopUpError.invalidAmount) { try Wallet.topUpRule(balance: Int64.max - 1, amount: 5) }
        #expect(throws: Wallet.TopUpError.invalidAmount) { try Wallet.topUpRule(balance: 0, amount: 1_000_000_000_000) }
    }
}
