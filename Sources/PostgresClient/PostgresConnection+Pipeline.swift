import CLibPQ

/// One statement of a pipeline.
public struct PipelineStatement {
    public let sql: String
    public let parameters: [any PostgresParameterEncodable]

    public init(_ sql: String, _ parameters: [any PostgresParameterEncodable] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// libpq's pipeline mode: several statements sent in one flight, answered in one round trip.
extension PostgresConnection {
    /// Sends every statement, then a sync, and returns their results in order. The first
    /// failure is thrown after the whole pipeline was read, so the connection stays usable;
    /// statements after a failed one do not run. Hot statements are prepared on first use,
    /// as `executeCached` does.
    public func pipeline(_ statements: [PipelineStatement]) throws(PostgresError) -> [PostgresResult] {
        let names = try statements.map { statement throws(PostgresError) in try cachedStatementName(statement.sql) }
        let conn = try liveHandle()
        guard PQenterPipelineMode(conn) == 1 else { throw LibPQFailure.connection(conn, context: "could not enter pipeline mode") }
        defer { PQexitPipelineMode(conn) }
        for (statement, name) in zip(statements, names) {
            let sent = withCParameters(statement.parameters.map(\.postgresParameter)) { count, values in
                PQsendQueryPrepared(conn, name, count, values, nil, nil, 0)
            }
            guard sent == 1 else { throw LibPQFailure.connection(conn, context: "could not send a pipelined statement") }
        }
        guard PQpipelineSync(conn) == 1 else { throw LibPQFailure.connection(conn, context: "could not send the pipeline sync") }
        return try readPipelineResults(conn, count: statements.count)
    }

    private func readPipelineResults(_ conn: OpaquePointer, count: Int) throws(PostgresError) -> [PostgresResult] {
        var results: [PostgresResult] = []
        var firstError: PostgresError?
        for _ in 0..<count {
            guard let raw = PQgetResult(conn) else { throw LibPQFailure.connection(conn, context: "pipeline ended early") }
            if PQresultStatus(raw) == PGRES_PIPELINE_ABORTED {
                PQclear(raw)
            } else {
                do {
                    results.append(PostgresResult(owning: try LibPQFailure.check(raw, on: conn, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])))
                } catch {
                    firstError = firstError ?? error
                }
            }
            // Each statement's results end with a NULL.
            while let extra = PQgetResult(conn) { PQclear(extra) }
        }
        guard let sync = PQgetResult(conn) else { throw LibPQFailure.connection(conn, context: "pipeline sync missing") }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        if let firstError { throw firstError }
        guard syncStatus == PGRES_PIPELINE_SYNC else { throw LibPQFailure.connection(conn, context: "unexpected pipeline sync status") }
        return results
    }
}
