import EmbeddedPostgres
@_spi(FaultInjection) import EventStore
import Foundation
import Glibc
import Migrations
import PostgresClient
import Synchronization
import Testing
import TestSupport

@Suite("The contract at its edges")
struct EdgeTests {
    @Test("the writer commits with synchronous_commit on although the database's default is off")
    func writerIsDurableWhateverTheDefault() async throws {
        let fixture = try StoreFixture("syncoff")
        let admin = try fixture.connection()
        defer { admin.close() }
        try admin.executeScript(StaticOrTrustedSQL(trusted: "ALTER DATABASE \(try admin.execute("SELECT current_database()").string(0, 0)) SET synchronous_commit = off"))
        let store = EventStore(settings: fixture.superuser.assuming(role: "shido_app"))
        defer { Task { await store.shutdown() } }
        let plain = try PostgresConnection(fixture.superuser)
        defer { plain.close() }
        #expect(try plain.execute("SELECT current_setting('synchronous_commit')").string(0, 0) == "off", "the database default took effect")
        try await store.append([sessionEvent(1)], to: "engagement-d")
        let durability = try await store.durability()
        #expect(durability.synchronousCommit == "on")
        #expect(durability.isSafe)
    }

    @Test("an append waits for the writer lock held elsewhere only up to the bound, then answers unavailable, and recovers")
    func writerLockWaitIsBounded() async throws {
        var configuration = EventStoreConfiguration()
        configuration.writerLockTimeout = .milliseconds(300)
        let fixture = try StoreFixture("writerlock", configuration: configuration)
        let holder = try fixture.connection()
        defer { holder.close() }
        try holder.executeScript("BEGIN; SELECT shido.take_writer_lock()")
        await #expect {
            try await fixture.store.append([sessionEvent(1)], to: "engagement-l")
        } throws: { error in
            guard case .unavailable(let detail) = error as? EventStoreError else { return false }
            return detail.contains("writer lock")
        }
        #expect(try fixture.count() == 0)
        try holder.executeScript("COMMIT")
        let result = try await fixture.store.append([sessionEvent(2)], to: "engagement-l")
        #expect(result.firstPosition == 1)
        await fixture.store.shutdown()
    }

    @Test("the answer to a COMMIT is lost but the database stays up: the writer finds the events and answers their positions")
    func lostCommitAnswerIsResolved() async throws {
        let faults = Mutex(1)
        var configuration = EventStoreConfiguration()
        configuration.faults.afterCommit = {
            if faults.withLock({ remaining in defer { remaining -= 1 }; return remaining > 0 }) {
                throw PostgresError(kind: .connection, message: "injected: connection lost after COMMIT")
            }
        }
        let fixture = try StoreFixture("lostanswer", configuration: configuration)
        let event = sessionEvent(1)
        let result = try await fixture.store.append([event], to: "engagement-u")
        #expect(result.events.map(\.id) == [event.id])
        #expect(result.firstPosition == 1)
        #expect(try fixture.count() == 1, "committed once, answered once")
        await fixture.store.shutdown()
    }

    @Test("the database goes away right after COMMIT and is back only after the reconnect timeout: outcome unknown, and a retry records it once")
    func commitOutcomeUnknown() async throws {
        let server = try PrivateCluster("unknown", migrated: true)
        let cluster = server.cluster
        defer { server.remove() }
        let armed = Mutex(true)
        var configuration = EventStoreConfiguration()
        configuration.reconnectTimeout = .milliseconds(500)
        configuration.faults.afterCommit = {
            guard armed.withLock({ armed in defer { armed = false }; return armed }) else { return }
            try? cluster.stop(mode: .immediate)
            throw PostgresError(kind: .connection, message: "injected: the server went away after COMMIT")
        }
        let store = EventStore(settings: cluster.connectionSettings().assuming(role: "shido_app"), configuration: configuration)
        let event = sessionEvent(1)
        await #expect {
            try await store.append([event], to: "engagement-x")
        } throws: { error in
            guard case .outcomeUnknown = error as? EventStoreError else { return false }
            return true
        }
        try cluster.start()
        let retried = try await store.append([event], to: "engagement-x")
        #expect(retried.events.map(\.id) == [event.id])
        await store.shutdown()
        let connection = try PostgresConnection(cluster.connectionSettings())
        defer { connection.close() }
        #expect(try connection.execute("SELECT count(*) FROM shido.events").int64(0, 0) == 1, "recorded exactly once")
    }
}

@Suite("Retry identity is byte for byte")
struct RetryIdentityTests {
    @Test("the same event id with the same text in NFD instead of NFC is a conflict, not a retry")
    func normalizationIsNotIgnored() async throws {
        let fixture = try StoreFixture("nfcnfd")
        let (nfc, nfd) = ("\u{AC00}", "\u{1100}\u{1161}")
        let id = UUID()
        let composed = NewEvent(id: id, type: "GuidanceSessionLogged", data: ["topic": .string(nfc)])
        let decomposed = NewEvent(id: id, type: "GuidanceSessionLogged", data: ["topic": .string(nfd)])
        #expect(nfc == nfd, "Swift's == calls them equal")
        #expect(Array(nfc.utf8) != Array(nfd.utf8), "their bytes differ")
        try await fixture.store.append([composed], to: "engagement-n")
        #expect(try await fixture.store.append([composed], to: "engagement-n").alreadyRecorded, "an exact retry")
        await #expect {
            try await fixture.store.append([decomposed], to: "engagement-n")
        } throws: { error in
            guard case .idempotencyConflict = error as? EventStoreError else { return false }
            return true
        }
        #expect(try fixture.count() == 1)
        await fixture.store.shutdown()
    }
}
