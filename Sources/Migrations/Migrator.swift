import PostgresClient

/// Applies the shipped migrations to one database.
///
/// Guarantees: migrators serialise on a session advisory lock, so two daemons starting at
/// once apply each file exactly once; each file runs in its own transaction together with
/// the row that records its name and SHA-256; an applied file whose content changed, or an
/// applied file this build does not know, stops the migrator before it changes anything.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    /// The result of one run.
    public struct Report: Sendable, Equatable {
        public var applied: [String] = []
        public var alreadyApplied: [String] = []
    }

    public init(migrations: [Migration] = Migration.embedded) throws(MigrationError) {
        try Self.checkNumbering(migrations)
        self.migrations = migrations
    }

    /// The role that owns the schema on an external database (deploy/create-database.sql).
    public static let ownerRole = "shido_owner"

    /// Connects with `settings` and migrates. When the owner role exists and the session
    /// may assume it (a superuser, or a member), the migrations run as that role, so the
    /// objects belong to it and not to whoever logged in. An up-to-date schema is left
    /// alone: a session that may only read (the daemon's own, on an external database)
    /// passes when nothing is pending, and fails with `.notMigrated` otherwise.
    public func migrate(_ settings: ConnectionSettings) throws -> Report {
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        if let report = try upToDate(on: connection) { return report }
        try assumeOwnerRole(on: connection)
        do { return try migrate(on: connection) } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
            throw MigrationError.notMigrated(pending: pending(on: connection), underlying: error)
        } catch MigrationError.failed(_, let underlying) where underlying.sqlState == .insufficientPrivilege {
            throw MigrationError.notMigrated(pending: pending(on: connection), underlying: underlying)
        }
    }

    /// The report when every shipped migration is applied with its checksum; nil otherwise
    /// (or when the history cannot be read).
    private func upToDate(on connection: PostgresConnection) throws -> Report? {
        guard let recorded = try? appliedChecksums(connection) else { return nil }
        try checkApplied(recorded)
        guard migrations.allSatisfy({ recorded[$0.name] != nil }) else { return nil }
        return Report(applied: [], alreadyApplied: migrations.map(\.name))
    }

    private func pending(on connection: PostgresConnection) -> [String] {
        let recorded = (try? appliedChecksums(connection)) ?? [:]
        return migrations.map(\.name).filter { recorded[$0] == nil }
    }

    private func assumeOwnerRole(on connection: PostgresConnection) throws {
        let owner = try connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = $1 AND pg_has_role(current_user, oid, 'MEMBER')", [Self.ownerRole])
        if try owner.int(0, 0) == 1 { try connection.execute("SELECT set_config('role', $1, false)", [Self.ownerRole]) }
    }

    public func migrate(on connection: PostgresConnection) throws -> Report {
        try connection.execute("SELECT pg_advisory_lock(7526676540362391554)")  // 'shido' migrator lock
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(7526676540362391554)") }
        try connection.executeScript("""
            CREATE SCHEMA IF NOT EXISTS shido;
            CREATE TABLE IF NOT EXISTS shido.schema_migrations (
                name       text        PRIMARY KEY,
                sha256     text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """)
        let recorded = try appliedChecksums(connection)
        try checkApplied(recorded)
        var report = Report()
        for migration in migrations {
            if recorded[migration.name] != nil {
                report.alreadyApplied.append(migration.name)
                continue
            }
            try apply(migration, on: connection)
            report.applied.append(migration.name)
        }
        return report
    }

    private func appliedChecksums(_ connection: PostgresConnection) throws -> [String: String] {
        let result = try connection.execute("SELECT name, sha256 FROM shido.schema_migrations")
        var checksums: [String: String] = [:]
        for row in 0..<result.rowCount {
            checksums[try result.string(row, 0)] = try result.string(row, 1)
        }
        return checksums
    }

    private func checkApplied(_ recorded: [String: String]) throws(MigrationError) {
        let shipped = Dictionary(uniqueKeysWithValues: migrations.map { ($0.name, $0.sha256) })
        for (name, checksum) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let current = shipped[name] else { throw .unknownApplied(name: name) }
            guard current == checksum else { throw .checksumMismatch(name: name, applied: checksum, shipped: current) }
        }
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) throws(MigrationError) {
        do {
            try connection.transaction {
                try connection.executeScript(StaticOrTrustedSQL(trusted: migration.sql))
                try connection.execute(
                    "INSERT INTO shido.schema_migrations (name, sha256) VALUES ($1, $2)", [migration.name, migration.sha256])
            }
        } catch let error as PostgresError {
            throw .failed(name: migration.name, underlying: error)
        } catch {
            throw .failed(name: migration.name, underlying: PostgresError(kind: .client, message: "\(error)"))
        }
    }

    private static func checkNumbering(_ migrations: [Migration]) throws(MigrationError) {
        for (index, migration) in migrations.enumerated() {
            guard migration.number == index + 1 else {
                throw .badNumbering("expected file number \(index + 1), found \(migration.name)")
            }
        }
    }
}
