import PostgresClient
import Projections

/// The generation and checkpoint queries read for each projection, read in the caller's snapshot.
struct ActiveGenerations {
    var generations: [String: Int] = [:]
    var positions: [String: Int64] = [:]
    /// Names of those whose generation has an earlier code version's tables (a rebuild
    /// after an upgrade is replacing it): the views' fast forms must not read them.
    var withOlderTables: Set<String> = []

    /// The position every one of them has reached.
    var position: Int64 { positions.values.min() ?? 0 }

    /// Each projection's generation, checkpoint and code version, in the caller's snapshot.
    private static let sql = """
        SELECT p.name, p.generation, c.position, p.code_version FROM shido.projections p
        JOIN shido.projection_checkpoints c ON c.name = p.name AND c.generation = p.generation
        WHERE p.name = ANY($1::text[])
        """

    static func query(_ names: [String]) -> PipelineStatement { PipelineStatement(sql, [ArrayParameter(names)]) }

    /// Reads them on their own (outside an answer's pipeline).
    static func read(_ names: [String], on connection: PostgresConnection) throws -> ActiveGenerations {
        let query = query(names)
        return try ActiveGenerations(connection.executeCached(query.sql, query.parameters), names: names)
    }

    /// Reads `sql`'s rows; throws `ViewError.notReady` when one of `names` has never run.
    init(_ result: PostgresResult, names: [String]) throws {
        for row in 0..<result.rowCount {
            let name = try result.string(row, 0)
            generations[name] = try result.int(row, 1)
            positions[name] = try result.int64(row, 2)
            if let code = ShippedProjections.named(name), try result.int(row, 3) < code.tablesSince { withOlderTables.insert(name) }
        }
        for name in names where generations[name] == nil { throw ViewError.notReady(name) }
    }

    /// Positions this daemon's runners reached beyond the stored checkpoints (across pages
    /// with nothing to apply, so the tables are the same), for the same generations.
    mutating func include(_ local: [ProjectionStatus]) {
        for status in local where generations[status.name] == status.generation {
            positions[status.name] = max(positions[status.name] ?? 0, status.position)
        }
    }

    /// The search_path that points at these generations; for the general forms, behind
    /// `shido`'s shared rules.
    func searchPath(sharedFirst: Bool) -> String {
        let schemas = generations.sorted { $0.key < $1.key }.map { GenerationSchema(projection: $0.key, generation: $0.value) }
        return GenerationSchema.searchPathValue(schemas, sharedFirst: sharedFirst)
    }
}
