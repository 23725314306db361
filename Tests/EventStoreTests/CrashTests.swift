import EmbeddedPostgres
import EventStore
import Foundation
import Glibc
import Migrations
import PostgresClient
import Testing
import TestSupport

@Suite("Crash safety")
struct CrashTests {
    @Test("kill -9 of the postmaster during appends: every acknowledged append survives, the store carries on")
    func acknowledgedAppendsSurvivePostmasterKill() async throws {
        let server = try PrivateCluster("crash", migrated: true)
        let cluster = server.cluster
        defer { server.remove() }
        var configuration = EventStoreConfiguration()
        configuration.reconnectTimeout = .seconds(60)
        let store = EventStore(settings: cluster.connectionSettings().assuming(role: "shido_app"), configuration: configuration)

        let acknowledged = Locked<[UUID: Int64]>([:])
        let stop = Locked(false)
        let appenders = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<8 {
                    group.addTask {
                        var index = 0
                        while !stop.value {
                            let event = sessionEvent(index)
                            let result = try await store.append([event], to: "engagement-\(appender)")
                            acknowledged.withLock { $0[event.id] = result.firstPosition }
                            index += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await Self.wait(seconds: 120) { acknowledged.value.count >= 100 }
        let beforeKill = acknowledged.withLock { $0.count }
        kill(try #require(cluster.runningPID), SIGKILL)
        try await Task.sleep(for: .milliseconds(300))
        try cluster.start()
        // Let the store reconnect and go on acknowledging.
        try await Self.wait(seconds: 120) { acknowledged.value.count >= beforeKill + 200 }
        stop.withLock { $0 = true }
        try await appenders.value
        await store.shutdown()

        let acknowledgedNow = acknowledged.withLock { $0 }
        #expect(beforeKill > 0)
        #expect(acknowledgedNow.count >= beforeKill + 200, "the store carried on after the restart")
        let connection = try PostgresConnection(cluster.connectionSettings())
        defer { connection.close() }
        let rows = try connection.execute("SELECT event_id, position FROM shido.events")
        var stored: [UUID: Int64] = [:]
        for row in 0..<rows.rowCount { stored[UUID(uuidString: try rows.string(row, 0))!] = try rows.int64(row, 1) }
        for (id, position) in acknowledgedNow { #expect(stored[id] == position, "acknowledged event \(id) at \(position)") }
        let span = try connection.execute("SELECT count(*), coalesce(max(position), 0) FROM shido.events")
        #expect(try span.int64(0, 0) == span.int64(0, 1), "positions stay gapless")
        let verifier = EventStore(settings: cluster.connectionSettings())
        #expect(try await verifier.verifyChain().isIntact)
        await verifier.shutdown()
    }

    static func wait(seconds: Int, until condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }
}
