import Testing
@testable import SIPDialog

@Suite struct SessionTimerHeaderTests {
    @Test func parsesSessionExpires() throws {
        #expect(try SessionExpires.parse("1800;refresher=uac") == SessionExpires(interval: 1800, refresher: .uac))
        #expect(try SessionExpires.parse(" 4000 ; Refresher = UAS ;foo=bar; baz") == SessionExpires(interval: 4000, refresher: .uas))
        #expect(try SessionExpires.parse("90") == SessionExpires(interval: 90))
        #expect(try SessionExpires.parse("1800;x-note=\"a;b\\\"c\"") == SessionExpires(interval: 1800))
        #expect(try SessionExpires.parse("4294967295").interval == UInt32.max)
    }

    @Test func rejectsGarbageSessionExpires() {
        for garbage in [
            "", "abc", "-5", "1800 x", "1800;refresher=both", "1800;refresher", "1800;refresher=uac;refresher=uas",
            "1800;=x", "1800;a=\"unterminated", "4294967296", "1800,3600", "1800;a=",
        ] {
            #expect(throws: SessionTimerError.self, "\(garbage)") { try SessionExpires.parse(garbage) }
        }
        #expect(throws: SessionTimerError.malformed(header: "Session-Expires", reason: "refresher must be uac or uas")) {
            try SessionExpires.parse("1800;refresher=both")
        }
        let error = SessionTimerError.malformed(header: "Min-SE", reason: "expected delta-seconds")
        #expect(error.code == "session_timer.malformed")
        #expect(error.message == "malformed Min-SE header: expected delta-seconds")
    }

    @Test func parsesMinSE() throws {
        #expect(try MinSE.parse("90") == MinSE(interval: 90))
        #expect(try MinSE.parse(" 120 ;foo=1") == MinSE(interval: 120))
        #expect(throws: SessionTimerError.malformed(header: "Min-SE", reason: "expected delta-seconds")) {
            try MinSE.parse("ninety")
        }
    }

    @Test func serializes() {
        #expect(SessionExpires(interval: 1800, refresher: .uas).headerValue == "1800;refresher=uas")
        #expect(SessionExpires(interval: 1800).headerValue == "1800")
        #expect(MinSE(interval: 90).headerValue == "90")
    }
}

@Suite struct SessionTimerUASTests {
    let policy = SessionTimerPolicy(enabled: true, sessionExpires: 1800, minSE: 90)

    @Test func policyClampsToTheRFCFloor() {
        let p = SessionTimerPolicy(sessionExpires: 60, minSE: 30)
        #expect(p.minSE == 90)
        #expect(p.sessionExpires == 90)
        #expect(SessionTimerPolicy(sessionExpires: 100, minSE: 300).sessionExpires == 300)
    }

    @Test func uacSupportsAndLeavesRefresherOpen() {
        let d = policy.uasDecision(
            requestSessionExpires: SessionExpires(interval: 1800), requestMinSE: nil, uacSupportsTimer: true)
        #expect(d == .accept(interval: 1800, refresher: .uac, requireTimerInResponse: true))
        #expect(d.responseSessionExpires?.headerValue == "1800;refresher=uac")
        var ours = policy
        ours.uasPreferredRefresher = .uas
        #expect(ours.uasDecision(
            requestSessionExpires: SessionExpires(interval: 1800), requestMinSE: nil, uacSupportsTimer: true)
            == .accept(interval: 1800, refresher: .uas, requireTimerInResponse: true))
    }

    @Test func refresherChosenByTheUACIsKept() {
        for who in [SessionRefresher.uac, .uas] {
            let d = policy.uasDecision(
                requestSessionExpires: SessionExpires(interval: 1200, refresher: who), requestMinSE: nil,
                uacSupportsTimer: true)
            #expect(d == .accept(interval: 1200, refresher: who, requireTimerInResponse: true))
        }
    }

    @Test func tooSmallIntervalFromATimerUACGets422() {
        let d = policy.uasDecision(
            requestSessionExpires: SessionExpires(interval: 60), requestMinSE: nil, uacSupportsTimer: true)
        #expect(d == .reject422(minSE: 90))
        #expect(d.responseMinSE?.headerValue == "90")
        #expect(d.responseSessionExpires == nil)
        let strict = SessionTimerPolicy(sessionExpires: 1800, minSE: 300)
        #expect(strict.uasDecision(
            requestSessionExpires: SessionExpires(interval: 200), requestMinSE: MinSE(interval: 200), uacSupportsTimer: true)
            == .reject422(minSE: 300))
        // Exactly our minimum is fine.
        #expect(strict.uasDecision(
            requestSessionExpires: SessionExpires(interval: 300), requestMinSE: nil, uacSupportsTimer: true)
            == .accept(interval: 300, refresher: .uac, requireTimerInResponse: true))
    }

    @Test func tooSmallIntervalWithoutTimerSupportIsRaisedNotRejected() {
        // A proxy inserted Session-Expires for a UAC without the extension: a 422 would only
        // fail the call, so the UAS raises the interval and refreshes itself.
        let strict = SessionTimerPolicy(sessionExpires: 1800, minSE: 300)
        #expect(strict.uasDecision(
            requestSessionExpires: SessionExpires(interval: 200), requestMinSE: nil, uacSupportsTimer: false)
            == .accept(interval: 300, refresher: .uas, requireTimerInResponse: false))
    }

    @Test func uacWithoutTimerSupportMakesTheUASRefresh() {
        #expect(policy.uasDecision(
            requestSessionExpires: SessionExpires(interval: 1800, refresher: .uac), requestMinSE: nil, uacSupportsTimer: false)
            == .accept(interval: 1800, refresher: .uas, requireTimerInResponse: false))
        #expect(policy.uasDecision(requestSessionExpires: nil, requestMinSE: nil, uacSupportsTimer: false)
            == .accept(interval: 1800, refresher: .uas, requireTimerInResponse: false))
    }

    @Test func uacSupportsButAsksForNoTimerUASMayRequestOne() {
        #expect(policy.uasDecision(requestSessionExpires: nil, requestMinSE: nil, uacSupportsTimer: true)
            == .accept(interval: 1800, refresher: .uac, requireTimerInResponse: true))
        // Never below the request's Min-SE.
        #expect(policy.uasDecision(requestSessionExpires: nil, requestMinSE: MinSE(interval: 2400), uacSupportsTimer: true)
            == .accept(interval: 2400, refresher: .uac, requireTimerInResponse: true))
    }

    @Test func uasMayReduceButNeverIncreaseNorGoBelowMinSE() {
        func interval(_ requested: UInt32, minSE: UInt32?) -> UInt32? {
            policy.uasDecision(
                requestSessionExpires: SessionExpires(interval: requested),
                requestMinSE: minSE.map(MinSE.init(interval:)), uacSupportsTimer: true
            ).activeTimer?.interval
        }
        #expect(interval(7200, minSE: nil) == 1800)  // reduced to our preference
        #expect(interval(7200, minSE: 3600) == 3600)  // but not below the request's Min-SE
        #expect(interval(600, minSE: nil) == 600)  // never increased
        #expect(interval(600, minSE: 1000) == 600)  // inconsistent request: still never increased
    }

    @Test func disabledPolicyUsesNoTimer() {
        let off = SessionTimerPolicy(enabled: false)
        #expect(off.uasDecision(
            requestSessionExpires: SessionExpires(interval: 1800, refresher: .uac), requestMinSE: nil, uacSupportsTimer: true)
            == .none)
        #expect(off.uasDecision(requestSessionExpires: nil, requestMinSE: nil, uacSupportsTimer: false) == .none)
        #expect(SessionTimerDecision.none.activeTimer == nil)
    }
}

@Suite struct SessionTimerUACTests {
    let policy = SessionTimerPolicy(enabled: true, sessionExpires: 1800, minSE: 90)

    @Test func initialRequestHeaders() {
        let r = policy.uacInitialRequest()
        #expect(r.supportedTimer)
        #expect(r.sessionExpires?.headerValue == "1800")
        #expect(r.minSE == nil)  // 90 is what its absence means
        let stricter = SessionTimerPolicy(sessionExpires: 3600, minSE: 120).uacInitialRequest(refresher: .uac)
        #expect(stricter.sessionExpires?.headerValue == "3600;refresher=uac")
        #expect(stricter.minSE == MinSE(interval: 120))
        #expect(SessionTimerPolicy(enabled: false).uacInitialRequest()
            == SessionTimerRequest(sessionExpires: nil, minSE: nil, supportedTimer: false))
    }

    @Test func retryAfter422RaisesToTheResponseMinSE() throws {
        let first = SessionTimerRequest(sessionExpires: SessionExpires(interval: 100, refresher: .uac), minSE: nil, supportedTimer: true)
        let retry = try #require(policy.uacRetryAfter422(previous: first, responseMinSE: MinSE(interval: 300)))
        #expect(retry.sessionExpires == SessionExpires(interval: 300, refresher: .uac))
        #expect(retry.minSE == MinSE(interval: 300))
        #expect(retry.supportedTimer)
        // A second 422 with a larger minimum keeps climbing; Min-SE is the largest seen.
        let again = try #require(policy.uacRetryAfter422(previous: retry, responseMinSE: MinSE(interval: 600)))
        #expect(again.sessionExpires?.interval == 600)
        #expect(again.minSE == MinSE(interval: 600))
    }

    @Test func retryAfter422RefusesWhenItCannotHelp() {
        let first = policy.uacInitialRequest()
        #expect(policy.uacRetryAfter422(previous: first, responseMinSE: nil) == nil)
        #expect(policy.uacRetryAfter422(previous: first, responseMinSE: MinSE(interval: 1800)) == nil)
        #expect(policy.uacRetryAfter422(previous: first, responseMinSE: MinSE(interval: 60)) == nil)
    }

    @Test func interpretsThe2xx() throws {
        let ours = try #require(policy.uacOutcome(responseSessionExpires: try SessionExpires.parse("1200;refresher=uac")))
        #expect(ours == ActiveSessionTimer(interval: 1200, refresher: .uac))
        #expect(ours.isLocalRefresher(localRole: .uac))
        let theirs = try #require(policy.uacOutcome(responseSessionExpires: SessionExpires(interval: 1200, refresher: .uas)))
        #expect(!theirs.isLocalRefresher(localRole: .uac))
        #expect(policy.uacOutcome(responseSessionExpires: nil) == nil)
        // A 2xx without refresher: someone must refresh, so we do.
        #expect(policy.uacOutcome(responseSessionExpires: SessionExpires(interval: 900))?.refresher == .uac)
        // Without the extension we never become refresher, but we honour a UAS that refreshes.
        let off = SessionTimerPolicy(enabled: false)
        #expect(off.uacOutcome(responseSessionExpires: SessionExpires(interval: 900, refresher: .uac)) == nil)
        #expect(off.uacOutcome(responseSessionExpires: SessionExpires(interval: 900, refresher: .uas))?.refresher == .uas)
    }

    @Test func refreshRequestKeepsTheRoleWithTheSender() {
        let active = ActiveSessionTimer(interval: 1200, refresher: .uas)
        let r = policy.refreshRequest(current: active, senderIsRefresher: true)
        #expect(r.sessionExpires == SessionExpires(interval: 1200, refresher: .uac))
        #expect(r.supportedTimer)
        #expect(policy.refreshRequest(current: active, senderIsRefresher: false).sessionExpires?.refresher == .uas)
    }

    @Test func backToBackNegotiationWith422() throws {
        let uac = SessionTimerPolicy(sessionExpires: 120, minSE: 90)
        let uas = SessionTimerPolicy(sessionExpires: 1800, minSE: 600, uasPreferredRefresher: .uas)
        var request = uac.uacInitialRequest()
        var decision = uas.uasDecision(
            requestSessionExpires: try request.sessionExpires.map { se throws(SessionTimerError) in try SessionExpires.parse(se.headerValue) },
            requestMinSE: request.minSE, uacSupportsTimer: request.supportedTimer)
        #expect(decision == .reject422(minSE: 600))
        request = try #require(uac.uacRetryAfter422(
            previous: request, responseMinSE: try decision.responseMinSE.map { m throws(SessionTimerError) in try MinSE.parse(m.headerValue) }))
        decision = uas.uasDecision(
            requestSessionExpires: request.sessionExpires, requestMinSE: request.minSE, uacSupportsTimer: true)
        #expect(decision == .accept(interval: 600, refresher: .uas, requireTimerInResponse: true))
        let wire = try #require(decision.responseSessionExpires?.headerValue)
        let atUAC = try #require(uac.uacOutcome(responseSessionExpires: try SessionExpires.parse(wire)))
        #expect(atUAC == decision.activeTimer)
        #expect(!atUAC.isLocalRefresher(localRole: .uac))
        #expect(try #require(decision.activeTimer).isLocalRefresher(localRole: .uas))
    }
}

@Suite struct SessionTimerScheduleTests {
    @Test func refresherRefreshesAtHalfTheInterval() {
        #expect(ActiveSessionTimer(interval: 1800, refresher: .uac).refreshDelay == .seconds(900))
        #expect(ActiveSessionTimer(interval: 91, refresher: .uac).refreshDelay == .milliseconds(45_500))
    }

    @Test func otherSideSendsByeBeforeExpiry() {
        // interval - min(32, interval/3)
        #expect(ActiveSessionTimer(interval: 1800, refresher: .uac).expiryDelay == .seconds(1768))
        #expect(ActiveSessionTimer(interval: 99, refresher: .uac).expiryDelay == .seconds(67))
        #expect(ActiveSessionTimer(interval: 96, refresher: .uac).expiryDelay == .seconds(64))
        #expect(ActiveSessionTimer(interval: 90, refresher: .uac).expiryDelay == .seconds(60))
    }
}
