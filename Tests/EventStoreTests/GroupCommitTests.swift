@testable import EventStore
import Foundation
import PostgresClient
import Testing

@Suite("One group commit, several callers")
struct GroupCommitTests {
    @Test("in one transaction, a version conflict and an id conflict fail alone; the batch-mates commit")
    func batchMatesAreIndependent() async throws {
        let fixture = try StoreFixture("groupcommit")
        defer { Task { await fixture.store.shutdown() } }
        let reused = UUID()
        try await fixture.store.append([sessionEvent(0, id: reused)], to: "engagement-a")
        let connection = try PostgresConnection(fixture.superuser.assuming(role: "shido_app"))
        defer { connection.close() }
        let outcomes = try GroupCommit(requests: [
            AppendRequest(streamID: "engagement-a", expected: .exactly(1), events: [sessionEvent(1)]),
            AppendRequest(streamID: "engagement-a", expected: .exactly(1), events: [sessionEvent(2)]),  // now at 2
            AppendRequest(streamID: "engagement-b", expected: .noStream, events: [sessionEvent(3), sessionEvent(4)]),
            AppendRequest(streamID: "engagement-c", expected: .any, events: [sessionEvent(5, id: reused)]),  // id taken
            AppendRequest(streamID: "engagement-a", expected: .exactly(2), events: [sessionEvent(6)]),
        ]).run(on: connection)
        #expect(try outcomes[0].get().events.map(\.position) == [2])
        #expect(outcomes[1] == .failure(.wrongExpectedVersion(stream: "engagement-a", expected: .exactly(1), actual: 2)))
        #expect(try outcomes[2].get().events.map(\.position) == [3, 4])
        guard case .failure(.idempotencyConflict) = outcomes[3] else { Issue.record("expected an id conflict"); return }
        #expect(try outcomes[4].get().events.map(\.streamVersion) == [3])
        #expect(try fixture.count() == 5)
        #expect(try await fixture.store.verifyChain().isIntact)
    }

    @Test("two stores (two daemons) writing one database at once still make one gapless chain")
    func secondWriterWaitsOnTheLock() async throws {
        let fixture = try StoreFixture("twowriters")
        let other = EventStore(settings: fixture.superuser.assuming(role: "shido_app"))
        defer { Task { await fixture.store.shutdown(); await other.shutdown() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in [fixture.store, other].enumerated() {
                for appender in 0..<8 {
                    group.addTask {
                        for event in 0..<100 { try await store.append([sessionEvent(event)], to: "engagement-\(index)-\(appender)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try fixture.count("SELECT count(DISTINCT position) FROM shido.events WHERE position BETWEEN 1 AND 1600") == 1_600)
        let verification = try await fixture.store.verifyChain()
        #expect(verification.isIntact && verification.through == 1_600)
    }

    /// Each store's version cache goes stale at every turn; correctness must not depend on
    /// it (the head check drops it, and the unique index on stream versions backs that up).
    @Test("two stores taking turns on one stream with exact versions: every append gets the right version")
    func versionCacheIsDroppedAfterForeignWrites() async throws {
        let fixture = try StoreFixture("sharedstream")
        let other = EventStore(settings: fixture.superuser.assuming(role: "shido_app"))
        defer { Task { await fixture.store.shutdown(); await other.shutdown() } }
        for version in 0..<20 {
            let store = version % 2 == 0 ? fixture.store : other
            let result = try await store.append([sessionEvent(version)], to: "engagement-shared", expecting: .exactly(Int64(version)))
            #expect(result.streamVersion == Int64(version + 1))
        }
        await #expect(throws: EventStoreError.self) {
            try await fixture.store.append([sessionEvent(99)], to: "engagement-shared", expecting: .exactly(19))
        }
        #expect(try await fixture.store.verifyChain().through == 20)
    }
}
