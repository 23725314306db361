import CommandHandling
import EventStore
import Foundation
import Logging
import PostgresClient
import ProgramViews
import Projections
import ShidoDomain
import Testing
import TestSupport

/// Read-your-writes, and questions about the past.
@Suite("Read your writes, as of, known at")
struct PastTests {
    @Test("a query right after a write sees it, 1000 times in a row")
    func readYourWrites() async throws {
        let fixture = try await ProgramFixture.make("past_ryw")
        try await fixture.record(try SeedCases.commands(for: SeedCases.cases[0]))
        let engagement = try EngagementID("case-a")
        var misses = 0
        for index in 0..<1_000 {
            let session = GuidanceSessionLogged(
                sessionID: try SessionID("ryw-\(index)"), date: try CalendarDate("2012-07-01"), hours: 1, topic: "확인 \(index)")
            let position = try await fixture.record([.logSession(engagement, session)])
            let summary = try await fixture.summary(minPosition: position)
            if summary["sessions"] != String(index + 3) { misses += 1 }
        }
        await fixture.close()
        #expect(misses == 0)
    }

    @Test("known-at and as-of answers match projections built from scratch on the truncated history")
    func knownAtMatchesTruncatedHistory() async throws {
        let fixture = try await ProgramFixture.make("past_known_at")
        try await SeedFixture.record(into: fixture)
        let log = try await fixture.store.read(from: 1, limit: 10_000)
        // Cut-offs: mid-seed, just before the corrections, and mid-corrections.
        for cutoff in [Int64(30), Int64(log.count - 6), Int64(log.count - 4)] {
            let truncated = try await ProgramFixture.make("past_truncated_\(cutoff)")
            try await truncated.store.restore(Array(log.prefix(Int(cutoff))))
            for view in ViewName.allCases {
                for asOf in [nil, "2014-06-30"] {
                    var past = ViewRequest(view: view)
                    past.knownAt = .position(cutoff)
                    past.asOf = asOf
                    var scratch = ViewRequest(view: view)
                    scratch.asOf = asOf
                    let replayed = try await fixture.reader.answer(past)
                    let rebuilt = try await truncated.reader.answer(scratch, minPosition: cutoff)
                    #expect(replayed.position == cutoff)
                    #expect(replayed.rowsJSON == rebuilt.rowsJSON, "view \(view) known at \(cutoff) as of \(asOf ?? "-")")
                }
            }
            await truncated.close()
        }
        // A time cut-off means the last position recorded by then.
        let at = log[19].recordedAtMicros
        var byTime = ViewRequest(view: .summary)
        byTime.knownAt = .recordedAt(at)
        let answer = try await fixture.reader.answer(byTime)
        let expected = Int64(log.lastIndex { $0.recordedAtMicros <= at }! + 1)
        await fixture.close()
        #expect(answer.position == expected)
    }
}
