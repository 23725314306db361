import CommandHandling
import EventStore
import Foundation
import Logging
import PostgresClient
import ProgramViews
@testable import Projections
import ShidoDomain
import ShidoJSON
import Synchronization
import Testing
import TestSupport

/// The projection runtime: never skips, never applies twice, survives kills, failures,
/// rebuilds and a second daemon.
@Suite("Projection runtime")
struct RuntimeTests {
    /// Sessions and flows the views count, next to the log's own counts.
    static func counts(_ fixture: ProgramFixture, minPosition: Int64) async throws -> (views: [String?], log: [String?]) {
        let summary = try await fixture.summary(minPosition: minPosition)
        let sessions = try fixture.scalar("SELECT count(*) FROM shido.events WHERE type = 'GuidanceSessionLogged'")
        let flows = try fixture.scalar("SELECT count(*) FROM shido.events WHERE type = 'ExportRecorded'")
        return ([summary["sessions"], summary["trade koreaToJapan JPY"]], [String(sessions), String(flows * 1000)])
    }

    @Test("the same fixture recorded in a random interleaving gives the same views")
    func interleaving() async throws {
        let ordered = try await ProgramFixture.make("runtime_ordered")
        let shuffled = try await ProgramFixture.make("runtime_shuffled")
        var random = SeededRandom(seed: 20261125)
        let first = try await SeedFixture.record(into: ordered)
        let second = try await SeedFixture.record(into: shuffled, order: try Self.interleave(SeedCases.cases, using: &random))
        for view in ViewName.allCases {
            let a = try await ordered.reader.answer(ViewRequest(view: view), minPosition: first)
            let b = try await shuffled.reader.answer(ViewRequest(view: view), minPosition: second)
            #expect(a.rowsJSON == b.rowsJSON, "view \(view)")
        }
        await ordered.close()
        await shuffled.close()
    }

    /// Every case's commands in their own order, the cases interleaved at random.
    static func interleave(_ cases: [SeedCases.Case], using random: inout SeededRandom) throws -> [Command] {
        var queues = try cases.map { try SeedCases.commands(for: $0) }
        var order: [Command] = []
        while !queues.isEmpty {
            let pick = Int(random.next() % UInt64(queues.count))
            order.append(queues[pick].removeFirst())
            if queues[pick].isEmpty { queues.remove(at: pick) }
        }
        return order
    }

    @Test("connections killed again and again during catch-up: nothing skipped, nothing applied twice")
    func killedMidBatch() async throws {
        let fixture = try await ProgramFixture.make("runtime_killed", start: false)
        try await Backlog.write(to: fixture.store, engagements: 40, entries: 20_000)
        let head = try await fixture.head()
        fixture.service.start()
        let killer = try PostgresConnection(fixture.superuser)
        var killsDuringCatchUp = 0
        // Kill first, then sleep: on a loaded machine one sleep can outlast the whole catch-up.
        for _ in 0..<40 {
            if (fixture.service.board.status("engagements")?.position ?? 0) >= head { break }
            _ = try killer.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            killsDuringCatchUp += 1
            try await Task.sleep(for: .milliseconds(40))
        }
        killer.close()
        let (views, log) = try await Self.counts(fixture, minPosition: head)
        await fixture.close()
        #expect(killsDuringCatchUp > 0)
        #expect(views == log)
    }

    @Test("appends while the projections catch up are all counted")
    func appendsDuringCatchUp() async throws {
        let fixture = try await ProgramFixture.make("runtime_concurrent", start: false)
        try await Backlog.write(to: fixture.store, engagements: 20, entries: 10_000)
        fixture.service.start()
        try await Backlog.appendEntries(to: fixture.store, engagements: 20, range: 10_000..<15_000)
        let head = try await fixture.head()
        let (views, log) = try await Self.counts(fixture, minPosition: head)
        await fixture.close()
        #expect(views == log)
        #expect(log[0] == "13500", "nine in ten entries are sessions")
    }

    @Test("a projection that fails stops at the event, the others carry on, a fixed build resumes")
    func failureStopsAtTheEvent() async throws {
        let setup = try await ProgramFixture.make("runtime_failure", start: false)
        try await Backlog.write(to: setup.store, engagements: 5, entries: 3_000)
        let poison = try await setup.store.read(from: 2_000, limit: 1)[0]
        let head = try await setup.head()
        let broken = ProjectionService(
            settings: setup.superuser.assuming(role: "shido_app"),
            projections: [DirectoryProjection(), PoisonedProjection(poison: poison.id)], logger: Logger(label: "test"))
        broken.start()
        let stopped = try await Self.eventually(.seconds(120)) { broken.board.status("engagements")?.state == .failed }
        try #require(stopped, "the poisoned projection stops (a loaded machine may take a while to get there)")
        let status = broken.board.status("engagements")
        let directory = broken.board.status("directory")
        let registry = try setup.scalar("SELECT failed_position FROM shido.projections WHERE name = 'engagements'")
        await broken.stop()
        #expect(stopped)
        #expect(status?.position == poison.position - 1)
        #expect(status?.failure?.eventID == poison.id.uuidString.lowercased())
        #expect(status?.failure?.position == poison.position)
        #expect(registry == poison.position)
        #expect(directory?.position == head)

        setup.service.start()  // the fixed build
        let (views, log) = try await Self.counts(setup, minPosition: head)
        let failure = try setup.scalar("SELECT count(*) FROM shido.projections WHERE failure IS NOT NULL")
        await setup.close()
        #expect(views == log)
        #expect(failure == 0)
    }

    static func eventually(_ timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws -> Bool {
        try await TestSupport.eventually(timeout: timeout) { try condition() }
    }
}

@Suite("Checkpoints under load")
struct CheckpointTests {
    @Test("under continuous appends a projection that skips them still stores its checkpoint every second or so")
    func checkpointAdvancesWhileBusy() async throws {
        let fixture = try await ProgramFixture.make("checkpoint_busy")
        let store = fixture.store
        try await store.append([Backlog.start(1)], to: "engagement-bulk-1")
        let stop = Locked(false)
        let writer = Task {
            var index = 0
            while !stop.value {
                try await store.append((0..<20).map { Backlog.entry(index + $0) }, to: "engagement-bulk-1")
                index += 20
            }
        }
        // `directory` applies none of these events; its stored position must move on anyway.
        let stored = "SELECT coalesce(max(position), 0) FROM shido.projection_checkpoints WHERE name = 'directory'"
        let head = "SELECT coalesce(max(position), 0) FROM shido.events"
        try await Task.sleep(for: .milliseconds(500))
        let early = try fixture.scalar(stored)
        // A loaded machine appends slowly: first let the log grow well past the early checkpoint.
        let deadline = ContinuousClock.now + .seconds(180)
        while try fixture.scalar(head) < early + 1_000, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let grown = try fixture.scalar(head)
        var later = try fixture.scalar(stored)
        while later < grown, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            later = try fixture.scalar(stored)
        }
        let stillAppending = !stop.value
        stop.withLock { $0 = true }
        try await writer.value
        let reached = try fixture.scalar(head)
        let inMemory = fixture.service.board.status("directory")?.position ?? -1
        #expect(stillAppending)
        #expect(grown >= early + 1_000 && later >= grown, "stored checkpoint went from \(early) to \(later) while the log grew to \(grown), then \(reached) (in memory: \(inMemory))")
        await fixture.close()
    }
}
