import EventStore
import PostgresClient
import ProgramViews

/// The reference the versioned read model is tested against: a view answered by replaying
/// the log up to a cut-off into temporary tables, with the projections and the general SQL
/// shido used before its tables kept their history (an independent implementation: Swift
/// folding of decoded events, one current row per entry).
///
/// Guarantees: reads only the log up to `cutoff`; leaves nothing behind (the temporary
/// tables vanish with the transaction it rolls back).
enum ReplayOracle {
    static func answer(_ request: ViewRequest, through cutoff: Int64, on connection: PostgresConnection) throws -> String {
        try answers([request], through: cutoff, on: connection)[0]
    }

    /// Several views over one replay.
    static func answers(_ requests: [ViewRequest], through cutoff: Int64, on connection: PostgresConnection) throws -> [String] {
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ; SET LOCAL plan_cache_mode = force_custom_plan")
        defer { _ = try? connection.execute("ROLLBACK") }
        let directory = OracleDirectory()
        let engagements = OracleEngagements()
        let directoryTables = OracleTables(directory.tableNames)
        let engagementTables = OracleTables(engagements.tableNames)
        try connection.executeScript(StaticOrTrustedSQL(trusted: directoryTables.sql(directory.tableDefinitions)))
        try connection.executeScript(StaticOrTrustedSQL(trusted: engagementTables.sql(engagements.tableDefinitions)))
        try replay(directory.eventTypes, through: cutoff, on: connection) { try directory.apply($0, to: directoryTables, on: connection) }
        try replay(engagements.eventTypes, through: cutoff, on: connection) { try engagements.apply($0, to: engagementTables, on: connection) }
        let tables = directoryTables.merging(engagementTables)
        return try requests.map { request in
            try connection.executeCached(tables.sql(OracleSQL.statement(for: request.view)), parameters(request)).string(0, 0)
        }
    }

    private static func replay(_ types: [String], through cutoff: Int64, on connection: PostgresConnection, _ apply: ([RecordedEvent]) throws -> Void) throws {
        var position: Int64 = 0
        while position < cutoff {
            let page = try LogPage.read(on: connection, after: position, through: cutoff, types: types, limit: 20_000, ownSnapshot: false)
            try apply(page.events)
            if page.scannedThrough <= position { break }
            position = page.scannedThrough
        }
    }

    /// The oracle's statements take the as-of date, then the view's filters.
    private static func parameters(_ request: ViewRequest) -> [String?] {
        var moment = request.parameters(knownAt: nil)
        moment.remove(at: 1)
        return moment
    }
}
