import EventStore
import Foundation
import Logging
import PostgresClient
import ProgramViews
import Projections
import ShidoJSON
import Synchronization
import Testing
import TestSupport

/// Rebuilds without downtime, code-version rebuilds, and two daemons on one database.
@Suite("Rebuilds and standby")
struct RebuildTests {
    @Test("rebuild while a query loop runs: no query fails, answers never go backwards, the new generation takes over")
    func rebuildUnderQueries() async throws {
        let fixture = try await ProgramFixture.make("rebuild_queries", start: false)
        try await Backlog.write(to: fixture.store, engagements: 30, entries: 20_000)
        fixture.service.start()
        let head = try await fixture.head()
        _ = try await fixture.summary(minPosition: head)
        let stop = Atomic<Bool>(false)
        let duringRebuild = Atomic<Int>(0)
        let queries = Task {
            var answered = 0
            var failures: [String] = []
            var lastSessions = 0
            var wentBackwards = false
            while !stop.load(ordering: .relaxed) {
                do {
                    let rebuilding = fixture.service.board.status("engagements")?.rebuildGeneration != nil
                    let sessions = Int(try await fixture.summary()["sessions"] ?? "0") ?? 0
                    if rebuilding { duringRebuild.add(1, ordering: .relaxed) }
                    wentBackwards = wentBackwards || sessions < lastSessions
                    lastSessions = sessions
                    answered += 1
                } catch {
                    failures.append("\(error)")
                }
            }
            return (answered, failures, wentBackwards)
        }
        // The projector runs on its own thread; on a loaded machine the query loop (on the
        // cooperative pool) can miss a short rebuild's whole window: then rebuild again.
        var generation = 1
        var swapped = false
        for attempt in 0..<4 where duringRebuild.load(ordering: .relaxed) == 0 {
            let requester = try PostgresConnection(fixture.superuser.assuming(role: "shido_app"))
            #expect(try ProjectionService.requestRebuild("engagements", on: requester))
            requester.close()
            generation += 1
            // Appends keep coming during the rebuild.
            let entries = 20_000 + 2_000 * attempt
            try await Backlog.appendEntries(to: fixture.store, engagements: 30, range: entries..<(entries + 2_000))
            let expected = generation
            swapped = try await RuntimeTests.eventually(.seconds(60)) {
                let status = fixture.service.board.status("engagements")
                return status?.generation == expected && status?.rebuildGeneration == nil
            }
            if !swapped { break }
        }
        let newHead = try await fixture.head()
        let (views, log) = try await RuntimeTests.counts(fixture, minPosition: newHead)
        stop.store(true, ordering: .relaxed)
        let (answered, failures, wentBackwards) = await queries.value
        let registry = try fixture.scalar("SELECT generation FROM shido.projections WHERE name = 'engagements'")
        await fixture.close()
        #expect(swapped)
        #expect(registry == generation)
        #expect(answered > 0)
        #expect(duringRebuild.load(ordering: .relaxed) > 0, "queries were answered while the rebuild ran")
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(!wentBackwards)
        #expect(views == log)
    }

    @Test("a new code version rebuilds on start-up, and the old generation answers meanwhile")
    func codeVersionRebuild() async throws {
        let fixture = try await ProgramFixture.make("rebuild_version", start: true)
        try await Backlog.write(to: fixture.store, engagements: 10, entries: 5_000)
        let head = try await fixture.head()
        let before = try await fixture.summary(minPosition: head)
        await fixture.service.stop()

        let settings = fixture.superuser.assuming(role: "shido_app")
        let revised: [any Projection] = [DirectoryProjection(), RevisedProjection(codeVersion: EngagementsProjection().codeVersion + 1)]
        let service = ProjectionService(settings: settings, projections: revised, logger: Logger(label: "test"))
        let reader = ViewReader(settings: settings, board: service.board)
        service.start()
        let meanwhile = try await reader.answer(ViewRequest(view: .summary))
        let rebuilt = try await RuntimeTests.eventually {
            try fixture.scalar("SELECT code_version FROM shido.projections WHERE name = 'engagements'") == EngagementsProjection().codeVersion + 1
        }
        let after = try await reader.answer(ViewRequest(view: .summary), minPosition: head)
        let generation = try fixture.scalar("SELECT generation FROM shido.projections WHERE name = 'engagements'")
        await service.stop()
        reader.shutdown()
        await fixture.close()
        #expect(meanwhile.position == head)
        #expect(rebuilt)
        #expect(generation == 2)
        let afterSessions = try JSONParser.parse(after.rowsJSON).arrayValue?.first { $0["measure"]?.stringValue == "sessions" }?["value"]
        #expect(afterSessions?.textForm == before["sessions"])
    }

    @Test("a new code version with other tables leaves the old generation as it stands, answering every view, until its rebuild takes over")
    func reshapedRebuild() async throws {
        let fixture = try await ProgramFixture.make("rebuild_reshaped", start: true)
        try await Backlog.write(to: fixture.store, engagements: 6, entries: 600)
        let head = try await fixture.head()
        var before: [ViewName: String] = [:]
        for view in ViewName.allCases { before[view] = try await fixture.reader.answer(ViewRequest(view: view), minPosition: head).rowsJSON }
        await fixture.service.stop()

        let settings = fixture.superuser.assuming(role: "shido_app")
        let gate = try PostgresConnection(settings)
        try gate.execute("SELECT pg_advisory_lock(\(ReshapedProjection.gate))")
        let service = ProjectionService(settings: settings, projections: [DirectoryProjection(), ReshapedProjection()], logger: Logger(label: "test"))
        let reader = ViewReader(settings: settings, board: service.board)
        service.start()
        let upgrading = try await RuntimeTests.eventually { service.board.status("engagements")?.state == .upgrading }
        // Appends while the rebuild runs: the new code must not write them into the old tables.
        try await Backlog.appendEntries(to: fixture.store, engagements: 6, range: 600..<650)
        var meanwhile: [ViewName: ViewAnswer] = [:]
        for view in ViewName.allCases { meanwhile[view] = try await reader.answer(ViewRequest(view: view)) }
        let stillUpgrading = service.board.status("engagements")?.state == .upgrading
        try gate.execute("SELECT pg_advisory_unlock(\(ReshapedProjection.gate))")
        gate.close()
        let swapped = try await RuntimeTests.eventually { service.board.status("engagements")?.generation == 2 }
        let newHead = try await fixture.head()
        let after = try await reader.answer(ViewRequest(view: .summary), minPosition: newHead)
        let failures = try fixture.scalar("SELECT count(*) FROM shido.projections WHERE failure IS NOT NULL")
        let state = service.board.status("engagements")?.state
        await service.stop()
        reader.shutdown()
        await fixture.close()
        #expect(upgrading)
        #expect(stillUpgrading, "the rebuild was still running while the views were asked")
        for view in ViewName.allCases {
            #expect(meanwhile[view]?.position == head, "\(view) answered from the old generation as it stood")
            #expect(try meanwhile[view].map { try JSONParser.parse($0.rowsJSON) } == JSONParser.parse(before[view] ?? ""), "\(view)")
        }
        #expect(swapped)
        #expect(failures == 0, "the old generation was never written by the new code")
        #expect(state == .live)
        #expect(after.position == newHead)
    }

    @Test("a second daemon on the same database stands by, and takes over when the first stops")
    func standby() async throws {
        let first = try await ProgramFixture.make("rebuild_standby")
        try await Backlog.write(to: first.store, engagements: 3, entries: 300)
        let head = try await first.head()
        _ = try await first.summary(minPosition: head)
        let second = ProjectionService(settings: first.superuser.assuming(role: "shido_app"), logger: Logger(label: "second"))
        second.start()
        let stoodBy = try await RuntimeTests.eventually { second.board.statuses.allSatisfy { $0.state == .standby } }
        await first.service.stop()
        try await Backlog.appendEntries(to: first.store, engagements: 3, range: 300..<600)
        let newHead = try await first.head()
        let tookOver = try await RuntimeTests.eventually { second.board.statuses.allSatisfy { $0.position == newHead && $0.state == .live } }
        await second.stop()
        await first.close()
        #expect(stoodBy)
        #expect(tookOver)
    }
}
