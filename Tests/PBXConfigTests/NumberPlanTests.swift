import Testing
@testable import PBXConfig

@Suite struct NumberPlanTests {
    @Test func normalizesE164AndPlainUsers() {
        #expect(NumberEntry.normalize("+254 700 000 001") == "+254700000001")
        #expect(NumberEntry.normalize("+254700000001") == "+254700000001")
        #expect(NumberEntry.normalize("echo") == "echo")
        #expect(NumberEntry.normalize("support.desk_2-b") == "support.desk_2-b")
        #expect(NumberEntry.normalize("254700000001") == "254700000001")
        #expect(NumberEntry.normalize("+123456789012345") == "+123456789012345")
    }

    @Test func rejectsMalformedNumbers() {
        for bad in ["", "+", "+ ", "+0254700000001", "+1234567890123456", "+2547-000", "echo test",
                    "ech@o", "sip:echo", "+254a"] {
            #expect(NumberEntry.normalize(bad) == nil, "\(bad)")
        }
    }

    @Test func routesWithOrWithoutPlus() throws {
        let entries = [
            try #require(NumberEntry(number: "+254700000001", route: .hold)),
            try #require(NumberEntry(number: "echo", route: .echo, name: "Echo")),
            try #require(NumberEntry(number: "+1 555 0100", route: .appDemo)),
        ]
        let plan = try NumberPlan.build(entries).get()
        #expect(plan.route(forUser: "+254700000001") == .hold)
        #expect(plan.route(forUser: "254700000001") == .hold)
        #expect(plan.route(forUser: "15550100") == .appDemo)
        #expect(plan.entry(forUser: "echo")?.name == "Echo")
        #expect(plan.route(forUser: "ECHO") == nil)
        #expect(plan.route(forUser: "") == nil)
        #expect(plan.route(forUser: "+") == nil)
    }

    @Test func plusAndPlainDigitsAreTheSameNumber() throws {
        let entries = [
            try #require(NumberEntry(number: "+254700000001", route: .hold)),
            try #require(NumberEntry(number: "echo", route: .echo)),
            try #require(NumberEntry(number: "254700000001", route: .echo)),
        ]
        #expect(throws: NumberPlanConflict(first: 0, duplicate: 2)) { try NumberPlan.build(entries).get() }
    }

    @Test func routeRawValuesAreTheYAMLWords() {
        #expect(NumberRoute.allCases.map(\.rawValue) == ["hold", "echo", "app:demo"])
        #expect(NumberRoute(rawValue: "app:demo") == .appDemo)
    }
}
