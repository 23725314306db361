import EventStore
import PostgresClient

/// What `shido.projections` says of one projection.
struct RegistryRow: Sendable, Hashable {
    var generation: Int
    var codeVersion: Int
    var rebuilding: Int?
    var rebuildRequested: Bool
    var failed: Bool
}

/// The registry's SQL, one small statement per operation (all on the runner's connection).
///
/// Guarantees: a checkpoint moves only from the position the runner last read (so two
/// runners could never both apply a page); the swap to a rebuilt generation is one
/// transaction, so a query sees the old generation or the new one, never neither.
enum Registry {
    static func row(_ name: String, on connection: PostgresConnection) throws -> RegistryRow? {
        let result = try connection.executeCached(
            """
            SELECT generation, code_version, rebuilding, rebuild_requested, failure IS NOT NULL
            FROM shido.projections WHERE name = $1
            """, [name])
        guard result.rowCount == 1 else { return nil }
        return RegistryRow(
            generation: try result.int(0, 0), codeVersion: try result.int(0, 1),
            rebuilding: result.isNull(0, 2) ? nil : try result.int(0, 2), rebuildRequested: try result.bool(0, 3),
            failed: try result.bool(0, 4))
    }

    static func register(_ projection: any Projection, on connection: PostgresConnection) throws {
        try connection.transaction {
            try createTables(of: projection, generation: 1, on: connection)
            try connection.executeCached(
                "INSERT INTO shido.projections (name, generation, code_version) VALUES ($1, 1, $2)", [projection.name, projection.codeVersion])
        }
    }

    /// Creates a generation's tables and its checkpoint at position 0 (inside the caller's transaction).
    static func createTables(of projection: any Projection, generation: Int, on connection: PostgresConnection) throws {
        let schema = GenerationSchema(projection: projection.name, generation: generation)
        try connection.executeScript(StaticOrTrustedSQL(trusted: """
            DROP SCHEMA IF EXISTS \(schema.name) CASCADE;
            CREATE SCHEMA \(schema.name);
            \(GenerationSchema.searchPath([schema]));
            """))
        try connection.executeScript(StaticOrTrustedSQL(trusted: projection.tableDefinitions))
        try connection.executeCached(
            """
            INSERT INTO shido.projection_checkpoints (name, generation, code_version, position) VALUES ($1, $2, $3, 0)
            ON CONFLICT (name, generation) DO UPDATE SET code_version = excluded.code_version, position = 0
            """, [projection.name, generation, projection.codeVersion])
    }

    static func position(_ name: String, generation: Int, on connection: PostgresConnection) throws -> Int64 {
        try connection.executeCached(
            "SELECT position FROM shido.projection_checkpoints WHERE name = $1 AND generation = $2", [name, generation]).int64(0, 0)
    }

    /// Moves a checkpoint from `from` to `to`; throws when it was not at `from`.
    static func advance(_ name: String, generation: Int, from: Int64, to: Int64, on connection: PostgresConnection) throws {
        let result = try connection.executeCached(
            "UPDATE shido.projection_checkpoints SET position = $4 WHERE name = $1 AND generation = $2 AND position = $3",
            [name, generation, from, to])
        guard result.affectedRows == 1 else {
            throw RegistryError(message: "checkpoint of \(name) generation \(generation) is no longer at \(from)")
        }
    }

    /// Starts a rebuild into the next generation (tables created, checkpoint 0).
    static func beginRebuild(_ projection: any Projection, after row: RegistryRow, on connection: PostgresConnection) throws -> Int {
        let next = row.generation + 1
        try connection.transaction {
            try createTables(of: projection, generation: next, on: connection)
            try connection.executeCached(
                """
                UPDATE shido.projections SET rebuilding = $2, rebuild_requested = false, failed_position = NULL,
                    failed_event_id = NULL, failure = NULL, failed_at = NULL, updated_at = now() WHERE name = $1
                """, [projection.name, next])
        }
        return next
    }

    /// Makes the rebuilt generation the one queries read.
    static func swap(_ projection: any Projection, from old: Int, to new: Int, on connection: PostgresConnection) throws {
        try connection.transaction {
            try connection.executeCached(
                """
                UPDATE shido.projections SET generation = $2, code_version = $3, rebuilding = NULL, updated_at = now()
                WHERE name = $1 AND rebuilding = $2
                """, [projection.name, new, projection.codeVersion])
            try connection.executeCached(
                "DELETE FROM shido.projection_checkpoints WHERE name = $1 AND generation = $2", [projection.name, old])
        }
    }

    static func dropTables(of projection: any Projection, generation: Int, on connection: PostgresConnection) throws {
        let schema = GenerationSchema(projection: projection.name, generation: generation)
        try connection.executeScript(StaticOrTrustedSQL(trusted: "DROP SCHEMA IF EXISTS \(schema.name) CASCADE"))
    }

    /// Drops generations neither read nor being built (left by a crash mid-swap), and the
    /// tables of builds before generations had schemas of their own (shido_views.<table>_g<N>).
    static func dropStrayGenerations(of projection: any Projection, keeping: [Int], on connection: PostgresConnection) throws {
        let prefix = GenerationSchema.prefix(of: projection.name)
        let result = try connection.executeCached(
            "SELECT substr(nspname, length($1) + 1)::int FROM pg_namespace WHERE starts_with(nspname, $1) AND substr(nspname, length($1) + 1) ~ '^[0-9]+$'",
            [prefix])
        for row in 0..<result.rowCount {
            let generation = try result.int(row, 0)
            if !keeping.contains(generation) { try dropTables(of: projection, generation: generation, on: connection) }
        }
        let legacy = try connection.executeCached(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'shido_views' AND tablename ~ '_g[0-9]+$' AND tableowner = current_user")
        for row in 0..<legacy.rowCount {
            let table = try legacy.string(row, 0)
            guard table.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            try connection.executeScript(StaticOrTrustedSQL(trusted: "DROP TABLE IF EXISTS shido_views.\(table)"))
        }
    }

    static func recordFailure(_ name: String, _ failure: ProjectionFailure, on connection: PostgresConnection) throws {
        try connection.executeCached(
            """
            UPDATE shido.projections SET failed_position = $2, failed_event_id = $3::uuid, failure = $4, failed_at = now(),
                updated_at = now() WHERE name = $1
            """, [name, failure.position, failure.eventID, failure.message])
    }

    static func clearFailure(_ name: String, on connection: PostgresConnection) throws {
        try connection.executeCached(
            """
            UPDATE shido.projections SET failed_position = NULL, failed_event_id = NULL, failure = NULL, failed_at = NULL
            WHERE name = $1 AND failure IS NOT NULL
            """, [name])
    }

    /// Asks whichever daemon runs the projection to rebuild it (it sees the flag when it next wakes).
    static func requestRebuild(_ name: String, on connection: PostgresConnection) throws -> Bool {
        let result = try connection.executeCached(
            "UPDATE shido.projections SET rebuild_requested = true, updated_at = now() WHERE name = $1", [name])
        try connection.notify(LogNotifications.channel, payload: LogNotifications.rebuildPayload)  // wakes the runner now
        return result.affectedRows == 1
    }
}

/// The registry is not as the runner left it (another writer, or a damaged row).
struct RegistryError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
