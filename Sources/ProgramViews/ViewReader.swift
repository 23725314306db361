import EventStore
import Foundation
import PostgresClient
import Projections
import Synchronization

/// Answers views: from the projections' current tables, or by replaying the log for
/// `knownAt`. Runs on its own connections, each on its own thread.
///
/// Every answer is planned for its own parameters (`plan_cache_mode = force_custom_plan`,
/// set with the BEGIN): the views test `$1 IS NULL` and filter by what is given, which a
/// plan made for the actual values folds away and a generic cached plan cannot.
///
/// Guarantees: a live answer reads every table in one snapshot, from the generation each
/// projection's registry row names (a rebuild's swap is seen whole or not at all), and
/// only once the projections have reached `minPosition`, waiting at most `timeout`; a
/// replay never touches the live tables (it fills temporary tables that vanish with its
/// transaction) and holds one page of events in memory at a time.
public final class ViewReader: Sendable {
    private let workers: [PostgresWorker]
    private let next = Atomic<Int>(0)
    private let board: ProjectionBoard?
    private let projections: [any Projection]
    public static let replayPage = 20_000

    public init(settings: ConnectionSettings, board: ProjectionBoard?, projections: [any Projection] = ShippedProjections.all, connections: Int = 3) {
        workers = (0..<max(1, connections)).map { PostgresWorker(name: "shido-views-\($0)", settings: settings) }
        self.board = board
        self.projections = projections
    }

    public func shutdown() { workers.forEach { $0.shutdown() } }

    /// Runs `body` on one of the reader's connections (retried once on a new connection).
    public func withConnection<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> Result) async throws -> Result {
        let worker = workers[next.add(1, ordering: .relaxed).oldValue % workers.count]
        return try await worker.run { session in
            do {
                return try session.withConnection(body)
            } catch let error as PostgresError where error.isConnectionFailure {
                return try session.withConnection(body)
            }
        }
    }

    /// The view's answer; waits (up to `timeout`) for the projections to reach `minPosition`.
    public func answer(_ request: ViewRequest, minPosition: Int64 = 0, timeout: Duration = .seconds(5)) async throws -> ViewAnswer {
        if request.knownAt != nil { return try await withConnection { try self.replay(request, on: $0) } }
        let deadline = ContinuousClock.now + timeout
        let names = request.view.projections
        if minPosition > 0, let board, names.allSatisfy({ board.status($0)?.isLedHere == true }) {
            _ = await board.wait(for: names, toReach: minPosition, timeout: timeout)
        }
        while true {
            let answer = try await withConnection { try self.live(request, minPosition: minPosition, on: $0) }
            if let answer { return answer }
            guard ContinuousClock.now < deadline else {
                throw ViewError.behind(minPosition: minPosition, positions: (try? await positions(names)) ?? [:], waited: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func live(_ request: ViewRequest, minPosition: Int64, on connection: PostgresConnection) throws -> ViewAnswer? {
        // Read before the snapshot: whatever the board shows was committed before it begins.
        let local = board.map { board in request.view.projections.compactMap { board.status($0) }.filter(\.isLedHere) } ?? []
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan")
        defer { _ = try? connection.execute("ROLLBACK") }
        var active: ActiveGenerations
        do {
            active = try ActiveGenerations.read(request.view.projections, on: connection)
        } catch ViewError.notReady {
            return nil  // not registered yet (the daemon just started): not caught up yet
        }
        active.include(local)
        guard active.position >= minPosition else { return nil }
        let tables = try active.tables(of: projections)
        let rows = try connection.executeCached(
            tables.sql(ViewSQL.statement(for: request.view, asOf: request.asOf)), request.parameters).string(0, 0)
        return ViewAnswer(view: request.view, position: active.position, rowsJSON: rows)
    }

    /// Replays the log up to the cut-off into temporary tables and answers from them.
    private func replay(_ request: ViewRequest, on connection: PostgresConnection) throws -> ViewAnswer {
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ; SET LOCAL plan_cache_mode = force_custom_plan")
        defer { _ = try? connection.execute("ROLLBACK") }
        let cutoff = try Self.position(of: request.knownAt!, on: connection)
        var tables: TableSet?
        for projection in projections where request.view.projections.contains(projection.name) {
            let replayTables = TableSet.replay(of: projection)
            try connection.executeScript(StaticOrTrustedSQL(trusted: replayTables.sql(projection.tableDefinitions)))
            var position: Int64 = 0
            while position < cutoff {
                let page = try LogPage.read(
                    on: connection, after: position, through: cutoff, types: projection.eventTypes, limit: Self.replayPage, ownSnapshot: false)
                try projection.apply(page.events, to: replayTables, on: connection)
                if page.scannedThrough <= position { break }
                position = page.scannedThrough
            }
            tables = tables.map { $0.merging(replayTables) } ?? replayTables
        }
        let rows = try connection.executeCached(
            tables!.sql(ViewSQL.statement(for: request.view, asOf: request.asOf)), request.parameters).string(0, 0)
        return ViewAnswer(view: request.view, position: cutoff, rowsJSON: rows)
    }


    /// The last position recorded at or before the cut-off (never beyond the head).
    public func position(of cutoff: ViewRequest.Cutoff) async throws -> Int64 {
        try await withConnection { try Self.position(of: cutoff, on: $0) }
    }

    static func position(of cutoff: ViewRequest.Cutoff, on connection: PostgresConnection) throws -> Int64 {
        switch cutoff {
        case .position(let position):
            let head = try connection.executeCached("SELECT coalesce(max(position), 0) FROM shido.events").int64(0, 0)
            return min(position, head)
        case .recordedAt(let micros):
            return try connection.executeCached(
                "SELECT coalesce(max(position), 0) FROM shido.events WHERE recorded_at <= to_timestamp($1::float8 / 1e6)",
                [String(micros)]).int64(0, 0)
        }
    }

    /// Each projection's checkpoint in its active generation.
    public func positions(_ names: [String]) async throws -> [String: Int64] {
        try await withConnection { connection in
            try ActiveGenerations.read(names, on: connection).positions
        }
    }
}

/// Why a view could not be answered.
public enum ViewError: Error, Sendable {
    /// The projections did not reach the asked position in time.
    case behind(minPosition: Int64, positions: [String: Int64], waited: Duration)
    /// A projection has never run on this database yet.
    case notReady(String)
}
