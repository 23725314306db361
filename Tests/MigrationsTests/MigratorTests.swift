import Migrations
import PostgresClient
import Testing
import TestSupport

@Suite("Schema migrations")
struct MigratorTests {
    @Test("every shipped file is applied once, in order, with its checksum; a second run applies nothing")
    func appliesOnceAndIsIdempotent() throws {
        let settings = try TestCluster.freshDatabase("migrate")
        let migrator = try Migrator()
        let first = try migrator.migrate(settings)
        #expect(first.applied == Migration.embedded.map(\.name))
        #expect(first.applied.first == "0001_app_role.sql")
        let second = try migrator.migrate(settings)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == first.applied)
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        let recorded = try connection.execute("SELECT name, sha256 FROM shido.schema_migrations ORDER BY name")
        #expect(recorded.rowCount == Migration.embedded.count)
        for (row, migration) in Migration.embedded.enumerated() {
            #expect(try recorded.string(row, 0) == migration.name)
            #expect(try recorded.string(row, 1) == migration.sha256)
        }
    }

    @Test("an applied file whose content changed is refused, and nothing is applied")
    func refusesChangedFile() throws {
        let settings = try TestCluster.freshDatabase("changed")
        _ = try Migrator().migrate(settings)
        var changed = Migration.embedded
        changed[1] = Migration(name: changed[1].name, sql: changed[1].sql + "\n-- edited\n")
        changed.append(Migration(name: String(format: "%04d_new.sql", changed.count + 1), sql: "CREATE TABLE shido.never (x int);"))
        #expect {
            try Migrator(migrations: changed).migrate(settings)
        } throws: { error in
            guard case .checksumMismatch(let name, _, _) = error as? MigrationError else { return false }
            return name == changed[1].name && "\(error)".contains("must never change")
        }
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        #expect(try connection.execute("SELECT to_regclass('shido.never') IS NULL").bool(0, 0))
    }

    @Test("a database migrated by a newer build is refused")
    func refusesUnknownAppliedFile() throws {
        let settings = try TestCluster.freshDatabase("newer")
        let migrator = try Migrator()
        _ = try migrator.migrate(settings)
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        try connection.execute("INSERT INTO shido.schema_migrations (name, sha256) VALUES ('9999_future.sql', 'x')")
        #expect(throws: MigrationError.self) { try migrator.migrate(settings) }
    }

    @Test("a failing migration is rolled back whole and not recorded")
    func failingMigrationRollsBack() throws {
        let settings = try TestCluster.freshDatabase("failing")
        let broken = Migration.embedded + [Migration(
            name: String(format: "%04d_broken.sql", Migration.embedded.count + 1),
            sql: "CREATE TABLE shido.half (x int); SELECT 1/0;")]
        #expect(throws: MigrationError.self) { try Migrator(migrations: broken).migrate(settings) }
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        #expect(try connection.execute("SELECT to_regclass('shido.half') IS NULL").bool(0, 0))
        #expect(try connection.execute("SELECT count(*) FROM shido.schema_migrations").int(0, 0) == Migration.embedded.count)
    }

    @Test("misnumbered files are refused before touching the database")
    func refusesBadNumbering() {
        #expect(throws: MigrationError.self) {
            try Migrator(migrations: [Migration(name: "0002_x.sql", sql: "SELECT 1")])
        }
    }

    @Test("four migrators starting at once apply each file exactly once")
    func concurrentMigratorsDoNotRace() async throws {
        let settings = try TestCluster.freshDatabase("race")
        let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
            for _ in 0..<4 { group.addTask { try Migrator().migrate(settings) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let applied = reports.flatMap(\.applied)
        #expect(applied.sorted() == Migration.embedded.map(\.name).sorted())
        #expect(reports.filter { !$0.applied.isEmpty }.count == 1)
    }
}
