import CommandHandling
import EventStore
import Foundation
import Logging
import PostgresClient
import ProgramViews
import Projections
import ShidoDomain
import ShidoJSON
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

/// Moments the past cannot answer, or answers with nothing.
@Suite("Bad moments")
struct BadMomentTests {
    @Test("known-at beyond the head is refused with the head; before the first event and before the program began, views are empty")
    func badMoments() async throws {
        let fixture = try await ProgramFixture.make("past_bad_moments")
        let head = try await SeedFixture.record(into: fixture)
        var beyond = ViewRequest(view: .summary)
        beyond.knownAt = .position(head + 1)
        await #expect(throws: ViewError.self) { _ = try await fixture.reader.answer(beyond) }
        do {
            _ = try await fixture.reader.answer(beyond)
        } catch ViewError.beyondHead(let knownAt, let reported) {
            #expect(knownAt == head + 1 && reported == head)
        }
        for view in ViewName.allCases {
            var before = ViewRequest(view: view)
            before.knownAt = .recordedAt(0)
            let early = try await fixture.reader.answer(before)
            #expect(early.position == 0)
            var prehistoric = ViewRequest(view: view)
            prehistoric.asOf = "1999-12-31"
            let old = try await fixture.reader.answer(prehistoric, minPosition: head)
            for answer in [early, old] {
                let rows = try JSONParser.parse(answer.rowsJSON).arrayValue ?? []
                switch view {
                case .summary: #expect(rows.allSatisfy { $0["value"]?.textForm == "0" }, "\(view)")
                case .patterns: #expect(rows.allSatisfy { $0["engagements"]?.textForm == "0" }, "\(view)")
                case .engineers, .companies:
                    // The directory has no business date: as of a date before the program, it lists who is registered, with nothing done.
                    #expect(answer.position == 0 ? rows.isEmpty : rows.allSatisfy { $0["engagements"]?.textForm == "0" }, "\(view)")
                default: #expect(rows.isEmpty, "\(view)")
                }
            }
        }
        await fixture.close()
    }

    @Test("the SQL upcast agrees with the Swift upcaster, and refuses what it does not know")
    func upcastAgrees() async throws {
        let fixture = try await ProgramFixture.make("past_upcast", start: false)
        let v1: JSONValue = [
            "engagementID": "case-x", "companyCode": "X", "engineerID": "yamada-t", "guidanceFields": ["금형"], "goal": "newProduct",
            "startDate": "2014-04-01", "programYear": 2014,
        ]
        let samples: [(String, Int, JSONValue)] = [
            ("EngagementStarted", 1, v1),
            ("EngagementStarted", 2, try Upcaster.upcast(type: "EngagementStarted", schemaVersion: 1, data: v1)),
            ("GuidanceSessionLogged", 1, ["date": "2014-05-10", "hours": .number(JSONNumber(literal: "2.5")!), "topic": "냉각", "sessionID": "s1"]),
        ]
        for (type, version, data) in samples {
            let swift = try Upcaster.upcast(type: type, schemaVersion: version, data: data)
            let sql = try fixture.text("SELECT shido.upcast('\(type)', \(version), '\(data.canonicalText)'::jsonb)::text")
            #expect(try JSONParser.parse(Array(sql.utf8)) == swift, "\(type) v\(version)")
        }
        #expect(throws: (any Error).self) { _ = try fixture.text("SELECT shido.upcast('EngagementStarted', 3, '{}')::text") }
        #expect(throws: (any Error).self) { _ = try fixture.text("SELECT shido.upcast('Unheard', 1, '{}')::text") }
        await fixture.close()
    }
}
