import Foundation
import PostgresClient
import Projections
import Synchronization

/// Answers views from the projections' versioned tables, now or at any past moment. Runs on
/// its own connections, each on its own thread.
///
/// Every answer is planned for its own parameters (`plan_cache_mode = force_custom_plan`,
/// set with the answer's statement): the views test `$1 IS NULL` and filter by what is
/// given, which a plan made for the actual values folds away and a generic cached plan
/// cannot; only the fast forms without optional filters run a generic plan
/// (`ViewStatements.runsGenericPlan`). The reader's sessions run without JIT (compiling a
/// plan costs seconds, far more than any view takes to run) and give sorts and hashes
/// 64 MB (`work_mem`): the past aggregates group ~100,000 rows at 1M events, which spilled
/// to disk with the default 4 MB.
///
/// Guarantees: an answer reads every table in one snapshot, from the generation each
/// projection's registry row names (a rebuild's swap is seen whole or not at all), and
/// only once the projections have reached `minPosition` (and, for `knownAt`, the cut-off),
/// waiting at most `timeout`. No answer replays the log: a past moment is a filter over the
/// versions each row keeps.
public final class ViewReader: Sendable {
    private let workers: [PostgresWorker]
    private let next = Atomic<Int>(0)
    private let board: ProjectionBoard?

    public init(settings: ConnectionSettings, board: ProjectionBoard?, connections: Int = 3) {
        let session = settings.setting("jit", "off").setting("work_mem", "64MB")
        workers = (0..<max(1, connections)).map { PostgresWorker(name: "shido-views-\($0)", settings: session) }
        self.board = board
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

    /// The view's answer; waits (up to `timeout`) for the projections to reach `minPosition`
    /// and the known-at cut-off. A cut-off beyond the log's head is refused at once.
    public func answer(_ request: ViewRequest, minPosition: Int64 = 0, timeout: Duration = .seconds(5)) async throws -> ViewAnswer {
        let cutoff: Int64? = if let knownAt = request.knownAt { try await position(of: knownAt) } else { nil }
        let needed = max(minPosition, cutoff ?? 0)
        let deadline = ContinuousClock.now + timeout
        let names = request.view.projections
        if needed > 0, let board, names.allSatisfy({ board.status($0)?.isLedHere == true }) {
            _ = await board.wait(for: names, toReach: needed, timeout: timeout)
        }
        while true {
            let answer = try await withConnection { try self.read(request, knownAt: cutoff, minPosition: needed, on: $0) }
            if let answer { return answer }
            guard ContinuousClock.now < deadline else {
                throw ViewError.behind(minPosition: needed, positions: (try? await positions(names)) ?? [:], waited: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One answer in two round trips: the snapshot begins and the registry is read in the
    /// first; the plan mode and search path are set, the view runs and the transaction ends
    /// in the second.
    private func read(_ request: ViewRequest, knownAt cutoff: Int64?, minPosition: Int64, on connection: PostgresConnection) throws -> ViewAnswer? {
        // Read before the snapshot: whatever the board shows was committed before it begins.
        let local = board.map { board in request.view.projections.compactMap { board.status($0) }.filter(\.isLedHere) } ?? []
        defer { if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") } }
        let begun = try connection.pipeline([
            PipelineStatement("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), ActiveGenerations.query(request.view.projections),
        ])
        var active: ActiveGenerations
        do {
            active = try ActiveGenerations(begun[1], names: request.view.projections)
        } catch ViewError.notReady {
            return nil  // not registered yet (the daemon just started): not caught up yet
        }
        active.include(local)
        guard active.position >= minPosition else { return nil }
        // Tables an earlier code version made (an upgrade's rebuild is under way) are read
        // only through the general forms, which need no more than the versioned tables.
        // The general forms also take shido's definition of what views count of each
        // engagement, not the one a generation keeps figures for.
        let general = request.generalForm || !active.withOlderTables.isEmpty
        let statement = general
            ? ViewStatements.general(for: request.view)
            : ViewStatements.statement(for: request.view, asOf: request.asOf != nil, knownAt: cutoff != nil, narrowed: request.isNarrowed)
        let plans = ViewStatements.runsGenericPlan(statement) ? "force_generic_plan" : "force_custom_plan"
        let answered = try connection.pipeline([
            PipelineStatement(
                "SELECT set_config('plan_cache_mode', $1, true), set_config('search_path', $2, true)",
                [plans, active.searchPath(sharedFirst: general)]),
            PipelineStatement(statement, request.parameters(knownAt: cutoff)),
            PipelineStatement("ROLLBACK"),
        ])
        return ViewAnswer(view: request.view, position: cutoff ?? active.position, rowsJSON: try answered[1].string(0, 0))
    }

    /// The last position recorded at or before the cut-off (never beyond the head).
    public func position(of cutoff: ViewRequest.Cutoff) async throws -> Int64 {
        try await withConnection { try Self.position(of: cutoff, on: $0) }
    }

    static func position(of cutoff: ViewRequest.Cutoff, on connection: PostgresConnection) throws -> Int64 {
        switch cutoff {
        case .position(let position):
            let head = try connection.executeCached("SELECT coalesce(max(position), 0) FROM shido.events").int64(0, 0)
            guard position <= head else { throw ViewError.beyondHead(knownAt: position, head: head) }
            return position
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
    /// A known-at position nobody has written yet: the past cannot be ahead of the log.
    case beyondHead(knownAt: Int64, head: Int64)
}
