import EventStore
import Foundation
import PostgresClient
import ShidoJSON
import Synchronization
import Testing
import TestSupport

@Suite("Appending: gapless, concurrent, optimistic, retry-safe")
struct AppendTests {
    @Test("64 concurrent appenders × 200 events: positions 1…12800, versions 1…200 per stream, chain intact")
    func concurrentAppendersAreGapless() async throws {
        let fixture = try StoreFixture("concurrent")
        defer { Task { await fixture.store.shutdown() } }
        let store = fixture.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<64 {
                group.addTask {
                    for index in 0..<200 {
                        let result = try await store.append([sessionEvent(index)], to: "engagement-\(appender)", expecting: .exactly(Int64(index)))
                        #expect(result.streamVersion == Int64(index + 1))
                    }
                }
            }
            try await group.waitForAll()
        }
        let connection = try fixture.connection()
        defer { connection.close() }
        let positions = try connection.execute("SELECT min(position), max(position), count(DISTINCT position) FROM shido.events")
        #expect(try positions.int64(0, 0) == 1)
        #expect(try positions.int64(0, 1) == 12_800)
        #expect(try positions.int64(0, 2) == 12_800)
        let badStreams = try connection.execute("""
            SELECT count(*) FROM (SELECT stream_id FROM shido.events GROUP BY stream_id
                HAVING min(stream_version) <> 1 OR max(stream_version) <> 200 OR count(*) <> 200) s
            """)
        #expect(try badStreams.int64(0, 0) == 0)
        let verification = try await store.verifyChain()
        #expect(verification.isIntact)
        #expect(verification.through == 12_800)
    }

    @Test("a reader polling while appenders run never sees position N+1 before N")
    func readersNeverSeeGaps() async throws {
        let fixture = try StoreFixture("nogaps")
        defer { Task { await fixture.store.shutdown() } }
        let store = fixture.store
        let done = Atomic<Bool>(false)
        let poller = Task.detached { () throws -> (polls: Int, seen: Int64) in
            let connection = try fixture.connection()
            defer { connection.close() }
            var lastSeen: Int64 = 0
            var polls = 0
            while true {
                // Read the flag before polling: the poll after the flag is seen covers every commit.
                let finished = done.load(ordering: .acquiring)
                let result = try connection.execute("SELECT position FROM shido.events WHERE position > $1 ORDER BY position", [lastSeen])
                for row in 0..<result.rowCount {
                    let position = try result.int64(row, 0)
                    guard position == lastSeen + 1 else { throw PostgresError(kind: .decoding, message: "saw \(position) after \(lastSeen)") }
                    lastSeen = position
                }
                polls += 1
                if finished && polls >= 10 { break }
            }
            return (polls, lastSeen)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<16 {
                group.addTask {
                    for index in 0..<150 { _ = try await store.append([sessionEvent(index)], to: "engagement-\(appender)") }
                }
            }
            try await group.waitForAll()
        }
        done.store(true, ordering: .releasing)
        let (polls, seen) = try await poller.value
        #expect(polls >= 10)
        #expect(seen == 2_400)
    }

    @Test("an expected-version conflict fails only its own append, not its batch-mates")
    func conflictFailsOnlyItsCaller() async throws {
        let fixture = try StoreFixture("conflict")
        defer { Task { await fixture.store.shutdown() } }
        let store = fixture.store
        _ = try await store.append([sessionEvent(0)], to: "engagement-x", expecting: .noStream)
        // Many appends in flight at once, so they share group commits; every fifth is wrong.
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<100 {
                group.addTask {
                    let expected: ExpectedVersion = index % 5 == 0 ? .noStream : .any
                    do {
                        _ = try await store.append([sessionEvent(index)], to: "engagement-x", expecting: expected)
                        return (index, true)
                    } catch let error as EventStoreError {
                        guard case .wrongExpectedVersion(let stream, .noStream, let actual) = error else { throw error }
                        #expect(stream == "engagement-x" && actual >= 1)
                        return (index, false)
                    }
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        for (index, succeeded) in outcomes { #expect(succeeded == (index % 5 != 0)) }
        #expect(try fixture.count() == 81)
        #expect(try await store.verifyChain().isIntact)
    }

    @Test("the same event id with the same content returns the original position; other content conflicts")
    func retriesAreIdempotent() async throws {
        let fixture = try StoreFixture("retry")
        defer { Task { await fixture.store.shutdown() } }
        let store = fixture.store
        let id = UUID()
        let first = try await store.append([sessionEvent(1, id: id)], to: "engagement-r", expecting: .noStream)
        let secondID = UUID()
        let second = try await store.append([sessionEvent(2, id: secondID)], to: "engagement-r")
        // A retry whose expectation still holds: found through the event_id unique index.
        let secondRetry = try await store.append([sessionEvent(2, id: secondID)], to: "engagement-r")
        #expect(secondRetry.alreadyRecorded && secondRetry.firstPosition == second.firstPosition)
        // A retry of the first append, with its original (now stale) expectation.
        let retry = try await store.append([sessionEvent(1, id: id)], to: "engagement-r", expecting: .noStream)
        #expect(retry.alreadyRecorded)
        #expect(retry.firstPosition == first.firstPosition)
        #expect(retry.streamVersion == 1)
        #expect(try fixture.count() == 2)

        await #expect(throws: EventStoreError.self) {
            try await store.append([sessionEvent(1, id: id, hours: "3")], to: "engagement-r")
        }
        await #expect(throws: EventStoreError.self) {
            try await store.append([sessionEvent(1, id: id)], to: "engagement-other")
        }
        await #expect(throws: EventStoreError.self) {
            try await store.append([sessionEvent(1, id: id), sessionEvent(3)], to: "engagement-r")
        }
        #expect(try fixture.count() == 2)
    }

    @Test("a commit sends NOTIFY with the new head position")
    func notifiesOnCommit() async throws {
        let fixture = try StoreFixture("notify")
        defer { Task { await fixture.store.shutdown() } }
        let listener = try fixture.connection()
        defer { listener.close() }
        try listener.listen(LogNotifications.channel)
        let result = try await fixture.store.append([sessionEvent(1), sessionEvent(2)], to: "engagement-n")
        var received: [PostgresNotification] = []
        for _ in 0..<50 where received.isEmpty {
            received = try listener.waitForNotifications(timeoutMilliseconds: 100)
        }
        #expect(received.map(\.payload) == [String(result.lastPosition)])
    }

    @Test("reads: the whole log, one stream, one type, the head")
    func reads() async throws {
        let fixture = try StoreFixture("reads")
        defer { Task { await fixture.store.shutdown() } }
        let store = fixture.store
        _ = try await store.append([sessionEvent(1), sessionEvent(2)], to: "engagement-a")
        _ = try await store.append([NewEvent(type: "EngagementCompleted", data: ["summary": "完了"])], to: "engagement-b")
        _ = try await store.append([sessionEvent(3)], to: "engagement-a")
        #expect(try await store.read(from: 2, limit: 2).map(\.position) == [2, 3])
        #expect(try await store.readStream("engagement-a").map(\.streamVersion) == [1, 2, 3])
        #expect(try await store.readStream("engagement-a", fromVersion: 3).map(\.position) == [4])
        #expect(try await store.readByType("EngagementCompleted").map(\.streamID) == ["engagement-b"])
        let head = try await store.head()
        #expect(head.position == 4)
        let last = try #require(try await store.read(from: 4).first)
        #expect(head.hash == last.hash)
        #expect(try last.dataValue()["topic"] == "금형 설계 改善 3")
    }
}

@Suite("Shutting down")
struct ShutdownTests {
    @Test("appends in flight at shutdown are all answered; later ones fail with shutDown")
    func shutdownAnswersEveryAppend() async throws {
        let fixture = try StoreFixture("shutdown")
        let store = fixture.store
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    do { try await store.append([sessionEvent(index)], to: "engagement-\(index % 8)"); return true } catch EventStoreError.shutDown {
                        return false
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(5))
            await store.shutdown()
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(answered.count == 200)
        #expect(try fixture.count() == Int64(answered.filter { $0 }.count), "every acknowledged append is stored, nothing else")
        await #expect(throws: EventStoreError.shutDown) { try await store.append([sessionEvent(0)], to: "late") }
    }
}
