import ShidoDomain
import Testing
import TestSupport

@Suite("Derived facts: patterns, hours, corrections honoured")
struct FactsTests {
    @Test("the seed's 12 cases: pattern 1 for D E F I J K, pattern 2 for A B C G H L")
    func seedPatterns() throws {
        var harness = DomainHarness()
        for command in try SeedCases.commands() { try harness.accept(command) }
        var pattern1: [String] = []
        var pattern2: [String] = []
        for seed in SeedCases.cases {
            let facts = EngagementFacts(harness.engagement("case-\(seed.code.lowercased())"))
            if facts.patterns.contains(.productionStabilisation) { pattern1.append(seed.code) }
            if facts.patterns.contains(.salesToJapaneseExports) { pattern2.append(seed.code) }
            #expect(facts.sessionCount == 2 && facts.hours == 8.5)
            #expect(facts.evidence(for: facts.patterns.first!).flows.count == 1)
            #expect(facts.evidence(for: facts.patterns.first!).outcomes.map(\.description) == [seed.outcome.1])
        }
        #expect(pattern1 == ["D", "E", "F", "I", "J", "K"])
        #expect(pattern2 == ["A", "B", "C", "G", "H", "L"])
    }

    @Test("replayed in any interleaving of engagements, the facts are the same")
    func interleavingDoesNotMatter() throws {
        var ordered = DomainHarness()
        for command in try SeedCases.commands() { try ordered.accept(command) }
        var random = SeededRandom(seed: 7)
        var queues = try SeedCases.cases.map { try SeedCases.commands(for: $0) }
        var shuffled = DomainHarness()
        while queues.contains(where: { !$0.isEmpty }) {
            let pick = queues.indices.filter { !queues[$0].isEmpty }.randomElement(using: &random)!
            try shuffled.accept(queues[pick].removeFirst())
        }
        for seed in SeedCases.cases {
            let id = "case-\(seed.code.lowercased())"
            #expect(EngagementFacts(ordered.engagement(id)) == EngagementFacts(shuffled.engagement(id)))
        }
    }

    @Test("a correction replaces an entry's content; a retraction removes it from every fact")
    func correctionsAndRetractions() throws {
        var fixture = try Fixture()
        try fixture.harness.accept(.recordExport(fixture.engagement, try Fixture.trade("t2", direction: .japanToKorea)))
        let state = { fixture.harness.engagement("case-j") }
        #expect(EngagementFacts(state()).patterns == [.productionStabilisation, .salesToJapaneseExports])

        try fixture.harness.accept(.correctEntry(fixture.engagement, EntryCorrected(correctedEventID: "e4", reason: "시간 오기", session: try Fixture.session("s1", hours: 4))))
        #expect(EngagementFacts(state()).hours == 4)
        #expect(state().entry(eventID: "e4")?.original != state().entry(eventID: "e4")?.current, "history keeps the original")

        try fixture.harness.accept(.retractEntry(fixture.engagement, EntryRetracted(retractedEventID: "e6", reason: "잘못 입력")))
        #expect(EngagementFacts(state()).patterns == [.salesToJapaneseExports], "a retracted flow counts nowhere")
        let retraction = fixture.harness.lastEventID

        guard case .failure(let rejection) = fixture.harness.execute(.correctEntry(fixture.engagement,
            EntryCorrected(correctedEventID: retraction, reason: "x", trade: try Fixture.trade()))) else { Issue.record("accepted"); return }
        #expect(rejection.rule == .cannotCorrectThis, "a retraction cannot be corrected")
    }

    @Test("a correction must point into the same engagement and keep the entry's id")
    func correctionTargets() throws {
        var fixture = try Fixture()
        var other = try Fixture.start()
        other.engagementID = try EngagementID("case-k")
        try fixture.harness.accept(.startEngagement(other))
        try fixture.harness.accept(.logSession(try EngagementID("case-k"), try Fixture.session("k1")))
        let foreign = fixture.harness.lastEventID
        guard case .failure(let wrongEngagement) = fixture.harness.execute(.correctEntry(fixture.engagement,
            EntryCorrected(correctedEventID: foreign, reason: "x", session: try Fixture.session("k1")))) else { Issue.record("accepted"); return }
        #expect(wrongEngagement.rule == .unknownEntry)
        guard case .failure(let changedID) = fixture.harness.execute(.correctEntry(fixture.engagement,
            EntryCorrected(correctedEventID: "e4", reason: "x", session: try Fixture.session("s7")))) else { Issue.record("accepted"); return }
        #expect(changedID.rule == .replacementMismatch && changedID.field == "/session/sessionID")
        guard case .failure(let badContent) = fixture.harness.execute(.correctEntry(fixture.engagement,
            EntryCorrected(correctedEventID: "e4", reason: "x", session: try Fixture.session("s1", hours: 0)))) else { Issue.record("accepted"); return }
        #expect(badContent.rule == .hoursOutOfRange && badContent.field == "/session/hours")
    }

    @Test("metric improvement knows which way is better", arguments: [
        (OutcomeKind.defectRate, 5.0, 2.0, 0.6), (.costReduction, 1000, 900, 0.1), (.salesGrowth, 100, 120, 0.2), (.productivity, 10, 8, -0.2),
    ])
    func improvement(kind: OutcomeKind, before: Double, after: Double, expected: Double) throws {
        let outcome = OutcomeReported(outcomeID: try OutcomeID("o"), date: try CalendarDate("2015-01-01"), kind: kind,
                                      metric: Metric(name: "m", unit: "u", before: before, after: after), description: "d")
        #expect(abs(outcome.improvement! - expected) < 1e-9)
    }
}
