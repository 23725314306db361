import ProgramViews
import ShidoJSON
import Testing

/// Each view on the seed fixture, against figures computed by hand from the report's cases.
@Suite("Views on the seed's 12 cases")
struct ViewTests {
    @Test("summary: engagements, sessions, hours, outcomes by kind, trade by direction, patterns")
    func summary() async throws {
        let fixture = try ProgramFixture("views_summary")
        let position = try await SeedFixture.record(into: fixture)
        let summary = try await fixture.summary(minPosition: position)
        await fixture.close()
        // 12 cases; A and B completed. 2 sessions each (6 h + 2.5 h), A's second corrected to 4 h.
        #expect(summary["engagements"] == "12")
        #expect(summary["engagements active"] == "10")
        #expect(summary["engagements completed"] == "2")
        #expect(summary["companies"] == "12")
        #expect(summary["engineers"] == "12")
        #expect(summary["sessions"] == "24")
        #expect(summary["hours"] == "103.5")
        #expect(summary["outcomes"] == "12")
        #expect(summary["outcomes productivity"] == "2")
        #expect(summary["outcomes qualityStandard"] == "2")
        #expect(summary["outcomes defectRate"] == "1")
        // K→J: D E F I K at 1,000,000 and J corrected to 2,500,000. J→K: A B C G H, L retracted, D's 300,000.
        #expect(summary["trade koreaToJapan JPY"] == "7500000")
        #expect(summary["trade japanToKorea JPY"] == "5300000")
        #expect(summary["pattern productionStabilisation"] == "6")
        #expect(summary["pattern salesToJapaneseExports"] == "6")
        #expect(summary["pattern both"] == "1")
        #expect(summary["pattern neither"] == "1")
    }
}
