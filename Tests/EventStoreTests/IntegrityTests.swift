import EventStore
import Foundation
import PostgresClient
import ShidoJSON
import Testing

@Suite("Append-only and tamper-evident")
struct IntegrityTests {
    @Test("UPDATE, DELETE and TRUNCATE fail even for the table owner", arguments: [
        "UPDATE shido.events SET type = 'X'",
        "UPDATE shido.events SET type = 'X' WHERE false",
        "DELETE FROM shido.events",
        "TRUNCATE shido.events",
    ])
    func ownerCannotChangeEvents(statement: String) async throws {
        let fixture = try StoreFixture("appendonly")
        defer { Task { await fixture.store.shutdown() } }
        _ = try await fixture.store.append([sessionEvent(1)], to: "engagement-1")
        let connection = try fixture.connection()  // the superuser, who owns the table
        defer { connection.close() }
        #expect {
            try connection.execute(statement)
        } throws: { error in
            let error = error as? PostgresError
            return error?.sqlState?.rawValue == "23001" && error?.message.contains("append-only") == true
        }
        #expect(try fixture.count() == 1)
    }

    @Test("the daemon's role has no UPDATE, DELETE or TRUNCATE privilege", arguments: [
        "UPDATE shido.events SET type = 'X'", "DELETE FROM shido.events", "TRUNCATE shido.events",
    ])
    func appRoleLacksPrivileges(statement: String) throws {
        let fixture = try StoreFixture("privileges")
        defer { Task { await fixture.store.shutdown() } }
        let connection = try PostgresConnection(fixture.superuser.assuming(role: "shido_app"))
        defer { connection.close() }
        #expect {
            try connection.execute(statement)
        } throws: { error in
            (error as? PostgresError)?.sqlState == .insufficientPrivilege
        }
    }

    @Test("Swift's hash chain equals the SQL definition an auditor can run")
    func swiftAndSQLAgree() async throws {
        let fixture = try StoreFixture("hashagree")
        defer { Task { await fixture.store.shutdown() } }
        _ = try await fixture.store.append([sessionEvent(1), sessionEvent(2, hours: "1.50e1")], to: "engagement-1")
        _ = try await fixture.store.append(
            [NewEvent(type: "CompanyRegistered", data: ["name": "주식회사 한일\t\"정밀\"", "code": "A"], metadata: ["actor": "직원"])],
            to: "company-A")
        let connection = try fixture.connection()
        defer { connection.close() }
        let agree = try connection.execute("SELECT bool_and(hash = shido.event_hash(e)), count(*) FROM shido.events e")
        #expect(try agree.bool(0, 0))
        #expect(try agree.int64(0, 1) == 3)
        let texts = try connection.execute("SELECT shido.event_canonical_text(e) FROM shido.events e ORDER BY position")
        let events = try await fixture.store.read(from: 1)
        for (row, event) in events.enumerated() {
            let swiftText = HashChain.canonicalText(HashChain.Fields(
                position: event.position, eventID: event.id, streamID: event.streamID, streamVersion: event.streamVersion,
                type: event.type, schemaVersion: event.schemaVersion, recordedAtMicros: event.recordedAtMicros,
                data: event.data, metadata: event.metadata))
            #expect(try texts.string(row, 0) == swiftText)
        }
    }

    @Test("tampering with one event's data, triggers bypassed, is found at exactly that position")
    func verifyFindsTampering() async throws {
        let fixture = try StoreFixture("tamper")
        defer { Task { await fixture.store.shutdown() } }
        for batch in 0..<10 {
            _ = try await fixture.store.append((0..<10).map { sessionEvent(batch * 10 + $0) }, to: "engagement-\(batch)")
        }
        #expect(try await fixture.store.verifyChain(batchSize: 7).isIntact)
        let connection = try fixture.connection()
        defer { connection.close() }
        try connection.executeScript("""
            ALTER TABLE shido.events DISABLE TRIGGER events_reject_update;
            UPDATE shido.events SET data = jsonb_set(data, '{hours}', '25') WHERE position = 57;
            ALTER TABLE shido.events ENABLE TRIGGER events_reject_update;
            """)
        let verification = try await fixture.store.verifyChain(batchSize: 7)
        #expect(verification.firstBreak == ChainBreak(position: 57, kind: .hashMismatch))
        #expect(verification.through == 56)
        // Verifying from later on, anchored on the stored hash before it, finds nothing wrong.
        #expect(try await fixture.store.verifyChain(from: 58).isIntact)
    }

    @Test("a deleted event shows as a missing position")
    func verifyFindsDeletion() async throws {
        let fixture = try StoreFixture("deletion")
        defer { Task { await fixture.store.shutdown() } }
        _ = try await fixture.store.append((0..<5).map { sessionEvent($0) }, to: "engagement-1")
        let connection = try fixture.connection()
        defer { connection.close() }
        try connection.executeScript("""
            ALTER TABLE shido.events DISABLE TRIGGER events_reject_delete;
            DELETE FROM shido.events WHERE position = 3;
            ALTER TABLE shido.events ENABLE TRIGGER events_reject_delete;
            """)
        #expect(try await fixture.store.verifyChain().firstBreak == ChainBreak(position: 3, kind: .missingPosition))
    }
}
