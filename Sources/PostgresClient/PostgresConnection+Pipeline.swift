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
    /// as `executeCached` does, inside the pipeline right before their first execution: so
    /// their names resolve with the settings the statements before them made (a
    /// `set_config('search_path', …)`).
    public func pipeline(_ statements: [PipelineStatement]) throws(PostgresError) -> [PostgresResult] {
        let conn = try liveHandle()
        guard PQenterPipelineMode(conn) == 1 else { throw LibPQFailure.connection(conn, context: "could not enter pipeline mode") }
        defer { PQexitPipelineMode(conn) }
        var replies: [PipelineReply] = []
        var preparing: [String: String] = [:]
        for statement in statements {
            let name: String
            if let known = preparedNames[statement.sql] ?? preparing[statement.sql] {
                name = known
            } else {
                name = newStatementName(besides: preparing.count)
                guard PQsendPrepare(conn, name, statement.sql, 0, nil) == 1 else {
                    throw LibPQFailure.connection(conn, context: "could not send a pipelined prepare")
                }
                preparing[statement.sql] = name
                replies.append(.prepared(sql: statement.sql, name: name))
            }
            let sent = withCParameters(statement.parameters.map(\.postgresParameter)) { count, values, lengths, formats in
                PQsendQueryPrepared(conn, name, count, values, lengths, formats, 0)
            }
            guard sent == 1 else { throw LibPQFailure.connection(conn, context: "could not send a pipelined statement") }
            replies.append(.executed)
        }
        guard PQpipelineSync(conn) == 1 else { throw LibPQFailure.connection(conn, context: "could not send the pipeline sync") }
        return try readPipelineResults(conn, replies)
    }

    /// What the server answers to each message of a pipeline, in order.
    private enum PipelineReply {
        case prepared(sql: String, name: String)
        case executed
    }

    private func readPipelineResults(_ conn: OpaquePointer, _ replies: [PipelineReply]) throws(PostgresError) -> [PostgresResult] {
        var results: [PostgresResult] = []
        var firstError: PostgresError?
        for reply in replies {
            guard let raw = PQgetResult(conn) else { throw LibPQFailure.connection(conn, context: "pipeline ended early") }
            if PQresultStatus(raw) == PGRES_PIPELINE_ABORTED {
                PQclear(raw)
            } else {
                do {
                    let result = PostgresResult(owning: try LibPQFailure.check(raw, on: conn, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK]))
                    switch reply {
                    case .prepared(let sql, let name): preparedNames[sql] = name
                    case .executed: results.append(result)
                    }
                } catch {
                    firstError = firstError ?? error
                }
            }
            // Each message's results end with a NULL.
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
