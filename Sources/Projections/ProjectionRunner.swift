import EventStore
import Foundation
import Logging
import PostgresClient
import Synchronization

/// Carries out one projection's `ProjectionProgress` actions against PostgreSQL: the thin
/// driver of the state machine, on its own `PostgresWorker` thread and connection.
///
/// Guarantees: every blocking libpq call runs on the worker's thread, never on the
/// cooperative pool; each range's rows and checkpoint commit together; an event that cannot
/// be applied stops its generation right before it (position, id and message recorded);
/// `run()` returns once the machine has stored the positions reached and let go of the lock
/// (the connection closes with the worker).
final class ProjectionRunner: Sendable {
    let projection: any Projection
    private let worker: PostgresWorker
    private let board: ProjectionBoard
    private let logger: Logger
    private let tuning: ProjectionProgress.Tuning
    /// The log's head when this connection's generic plans were last made.
    private let plannedAtHead = Mutex<Int64>(0)
    /// Ranges committed since the projection's session upkeep last ran.
    private let rangesSinceUpkeep = Mutex<Int>(0)

    init(projection: any Projection, settings: ConnectionSettings, board: ProjectionBoard, logger: Logger,
         tuning: ProjectionProgress.Tuning = .init()) {
        self.projection = projection
        worker = PostgresWorker(name: "shido-projection-\(projection.name)", settings: settings)
        self.board = board
        self.logger = logger
        var tuning = tuning
        if let gather = projection.gatherMilliseconds { tuning.gatherMilliseconds = gather }
        self.tuning = tuning
    }

    /// Runs the projection until `stop` is raised, then stores its positions and returns. The
    /// whole loop runs on the worker's thread: an append's wake-up costs no hop between
    /// threads per action.
    func run(until stop: StopSignal) async {
        _ = try? await worker.run { [self] session in drive(session, until: stop) }
        board.update(projection.name) { $0.state = .stopped }
        worker.shutdown()
    }

    private func drive(_ session: PostgresSession, until stop: StopSignal) {
        var progress = ProjectionProgress(tuning: tuning)
        while true {
            if stop.isRaised { progress.stop() }
            let action = progress.next(now: .now)
            if action == .stop { break }
            do {
                apply(try perform(action, on: session), of: action, to: &progress)
            } catch let refused as BuildRefused {
                guard case .build(let target, _) = action else { continue }
                logger.warning("projection \(projection.name): building from scratch failed (\(refused.reason)); going page by page")
                progress.buildRefused(target, reason: refused.reason)
            } catch let stopped as StoppedAtEvent {
                guard case .advance(let target, _, _) = action else { continue }
                logger.error("projection \(projection.name) stopped: \(stopped.failure)")
                progress.advanced(target, .init(reached: stopped.checkpoint, stored: true, isAtHead: false))
                progress.failed(target, stopped.failure)
                _ = try? Registry.recordFailure(projection.name, stopped.failure, on: session.connection())
            } catch {
                if !stop.isRaised { logger.warning("projection \(projection.name): \(error); connecting again") }
                progress.connectionLost("\(error)")
                session.discard()
            }
            publish(progress)
        }
    }

    /// What an action gave, for the machine.
    private enum Outcome: Sendable {
        case done
        case lock(Bool)
        case prepared(live: ProjectionProgress.Cursor, rebuild: ProjectionProgress.Cursor?, liveTablesCurrent: Bool)
        case step(ProjectionProgress.Step)
        case rebuildStarted(Int?)
        case woke(rebuildAnnounced: Bool)
    }

    private func apply(_ outcome: Outcome, of action: ProjectionProgress.Action, to progress: inout ProjectionProgress) {
        switch (action, outcome) {
        case (.connect, _): progress.connected()
        case (.acquireLock, .lock(let acquired)): progress.lock(acquired: acquired)
        case (.waitForLock, _): progress.lockWaitEnded()
        case (.prepare, .prepared(let live, let rebuild, let current)):
            if !current { logger.notice("projection \(projection.name): generation \(live.generation) has an earlier version's tables; it answers as it stands until the rebuild replaces it") }
            progress.prepared(live: live, rebuild: rebuild, liveTablesCurrent: current)
        case (.advance(let target, _, _), .step(let step)), (.build(let target, _), .step(let step)): progress.advanced(target, step)
        case (.swap, _):
            progress.swapped(at: .now)
            logger.notice("projection \(projection.name): generation \(progress.live?.generation ?? 0) rebuilt and in use")
        case (.drop, _): progress.dropped()
        case (.waitForAppends, .woke(let rebuildAnnounced)): progress.wokeUp(rebuildAnnounced: rebuildAnnounced)
        case (.checkRebuildRequest, .rebuildStarted(let generation)):
            if let generation { progress.rebuildStarted(generation: generation) }
        case (.save(let cursors), _): progress.saved(cursors)
        default: break
        }
    }

    // MARK: - The I/O of each action (on the worker's thread)

    private func perform(_ action: ProjectionProgress.Action, on session: PostgresSession) throws -> Outcome {
        switch action {
        case .connect(let delay):
            if delay > 0 { Thread.sleep(forTimeInterval: Double(delay) / 1000) }
            session.discard()
            let connection = try session.connection()
            try connection.listen(LogNotifications.channel)
            // The runner's own statements (head, registry) are key lookups: planned once. Each
            // range sets its own plans (SET LOCAL in its transaction).
            try connection.execute("SET plan_cache_mode = force_generic_plan")
            try connection.execute("SET jit = off")  // compiling a plan costs more than running a page
            if let setup = projection.sessionSetup { try connection.executeScript(StaticOrTrustedSQL(trusted: setup)) }
            return .done
        case .acquireLock:
            return .lock(try session.connection().executeCached(
                "SELECT pg_try_advisory_lock(1936287845, hashtext($1))", [projection.name]).bool(0, 0))
        case .waitForLock(let milliseconds):
            _ = try session.connection().waitForNotifications(timeoutMilliseconds: milliseconds)
            return .done
        case .waitForAppends(let milliseconds):
            let connection = try session.connection()
            let wakeUps = try connection.waitForNotifications(timeoutMilliseconds: milliseconds)
            // Upkeep only once a whole wait passed without an append: never ahead of a range.
            if wakeUps.isEmpty { try upkeepIfDue(after: nil, on: connection) }
            return .woke(rebuildAnnounced: wakeUps.contains { $0.payload == LogNotifications.rebuildPayload })
        case .gather(let milliseconds):
            board.gather(projection.name, milliseconds: milliseconds)
            return .done
        case .prepare:
            let (live, rebuild, current) = try prepare(on: session.connection())
            return .prepared(live: live, rebuild: rebuild, liveTablesCurrent: current)
        case .advance(_, let cursor, let page):
            return .step(try advance(cursor, page: page, on: session.connection()))
        case .build(_, let cursor):
            return .step(try build(cursor, on: session.connection()))
        case .swap(let old, let new):
            try Registry.swap(projection, from: old, to: new, on: session.connection())
            return .done
        case .drop(let generation):
            try Registry.dropTables(of: projection, generation: generation, on: session.connection())
            return .done
        case .checkRebuildRequest:
            return .rebuildStarted(try startRequestedRebuild(on: session.connection()))
        case .save(let cursors):
            let connection = try session.connection()
            for cursor in cursors {
                try connection.transaction(preamble: "SET LOCAL synchronous_commit = off") {
                    try Registry.advance(projection.name, generation: cursor.generation, from: cursor.saved, to: cursor.position, on: connection)
                }
            }
            return .done
        case .stop:
            return .done
        }
    }

    /// Registers the projection on first start, clears an old failure (this build may be
    /// fixed), starts a rebuild when the code version changed, and drops stray generations;
    /// says whether the live generation's tables are this code's.
    private func prepare(on connection: PostgresConnection) throws -> (ProjectionProgress.Cursor, ProjectionProgress.Cursor?, Bool) {
        if try Registry.row(projection.name, on: connection) == nil { try Registry.register(projection, on: connection) }
        try Registry.clearFailure(projection.name, on: connection)
        guard var row = try Registry.row(projection.name, on: connection) else {
            throw RegistryError(message: "projection \(projection.name) is not registered")
        }
        if row.codeVersion != projection.codeVersion, try rebuildIsStale(row, on: connection) {
            logger.notice("projection \(projection.name): code version \(row.codeVersion) → \(projection.codeVersion), rebuilding")
            row.rebuilding = try Registry.beginRebuild(projection, after: row, on: connection)
        }
        try Registry.dropStrayGenerations(of: projection, keeping: [row.generation] + (row.rebuilding.map { [$0] } ?? []), on: connection)
        let live = ProjectionProgress.Cursor(
            generation: row.generation, position: try Registry.position(projection.name, generation: row.generation, on: connection))
        let rebuild = try row.rebuilding.map {
            ProjectionProgress.Cursor(generation: $0, position: try Registry.position(projection.name, generation: $0, on: connection))
        }
        return (live, rebuild, row.codeVersion >= projection.tablesSince)
    }

    /// A rebuild left running by an older build must restart with this build's code.
    private func rebuildIsStale(_ row: RegistryRow, on connection: PostgresConnection) throws -> Bool {
        guard let rebuilding = row.rebuilding else { return true }
        let version = try connection.executeCached(
            "SELECT code_version FROM shido.projection_checkpoints WHERE name = $1 AND generation = $2", [projection.name, rebuilding])
        if version.rowCount == 0 { return true }
        return try version.int(0, 0) != projection.codeVersion
    }

    private func startRequestedRebuild(on connection: PostgresConnection) throws -> Int? {
        guard let row = try Registry.row(projection.name, on: connection), row.rebuildRequested else { return nil }
        logger.notice("projection \(projection.name): rebuild requested")
        return try Registry.beginRebuild(projection, after: row, on: connection)
    }

    /// Applies the next range of the log to a generation: rows and checkpoint in one
    /// transaction. A range with nothing of interest only moves the cursor (no transaction
    /// for every append the projection ignores).
    private func advance(_ cursor: ProjectionProgress.Cursor, page size: Int, on connection: PostgresConnection) throws -> ProjectionProgress.Step {
        let (head, types) = try headAndTypes(after: cursor.position, page: size, on: connection)
        try replanIfGrown(head: head, on: connection)
        guard head > cursor.position else { return .init(reached: cursor.position, stored: false, isAtHead: true) }
        let range = LogRange(after: cursor.position, through: min(head, cursor.position + Int64(size)), types: types)
        let step = ProjectionProgress.Step(reached: range.through, stored: true, isAtHead: range.through == head)
        guard range.mayHold(projection.eventTypes) else { return .init(reached: range.through, stored: false, isAtHead: step.isAtHead) }
        let schema = GenerationSchema(projection: projection.name, generation: cursor.generation)
        do {
            try applyInTransaction(range, to: schema, checkpointFrom: cursor.saved, on: connection)
        } catch let error as PostgresError where error.isConnectionFailure {
            throw error
        } catch {
            let reached = try applyOneByOne(range, to: schema, checkpointFrom: cursor.saved, on: connection)
            if reached < range.through {
                try connection.transaction {
                    try Registry.advance(projection.name, generation: cursor.generation, from: reached, to: range.through, on: connection)
                }
            }
        }
        try upkeepIfDue(after: range, on: connection)
        return step
    }

    /// Generic plans are made for the tables' sizes of their day: one made when an
    /// engagement's measures filled two pages would still scan them all at a million events.
    /// So they are made afresh whenever the log has doubled since.
    private func replanIfGrown(head: Int64, on connection: PostgresConnection) throws {
        let due = plannedAtHead.withLock { planned in
            guard head >= 2 * max(planned, 1_000) else { return false }
            planned = head
            return true
        }
        if due { try connection.forgetPreparedStatements() }
    }

    /// Builds a generation with nothing applied from the whole log (up to the head) at once:
    /// rows and checkpoint in one transaction. A failure other than the connection's is
    /// `BuildRefused` (nothing written): the machine then goes page by page.
    private func build(_ cursor: ProjectionProgress.Cursor, on connection: PostgresConnection) throws -> ProjectionProgress.Step {
        let (head, types) = try headAndTypes(after: 0, page: Int.max, on: connection)
        guard head > 0 else { return .init(reached: 0, stored: false, isAtHead: true) }
        let range = LogRange(after: 0, through: head, types: types)
        guard range.mayHold(projection.eventTypes) else { return .init(reached: head, stored: false, isAtHead: true) }
        let schema = GenerationSchema(projection: projection.name, generation: cursor.generation)
        logger.notice("projection \(projection.name): building generation \(cursor.generation) from the log's \(head) positions at once")
        let started = ContinuousClock.now
        do {
            // Its sorts and hashes span the whole log: in memory rather than in batches on disk.
            let preamble = Self.rangeSettings(plans: "force_custom_plan", schema: schema)
                + "; SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '256MB'"
            try connection.transaction(preamble: StaticOrTrustedSQL(trusted: preamble)) {
                try projection.build(range, on: connection)
                try Registry.advance(projection.name, generation: cursor.generation, from: cursor.saved, to: head, on: connection)
            }
        } catch let error as PostgresError where error.isConnectionFailure {
            throw error
        } catch {
            throw BuildRefused(reason: "\(error)")
        }
        logger.notice("projection \(projection.name): generation \(cursor.generation) built through \(head) in \(ContinuousClock.now - started)")
        return .init(reached: head, stored: true, isAtHead: true)
    }

    /// A build from scratch failed; nothing of it was written.
    private struct BuildRefused: Error {
        let reason: String
    }

    /// The log's head, and which of the projection's event types the next range (up to `page`
    /// positions after `after`) holds: one round trip, as a live append's range needs both;
    /// one index probe per type. Nil types for a projection that reads every event (any range
    /// with a position in it holds something for it).
    private func headAndTypes(after: Int64, page: Int, on connection: PostgresConnection) throws -> (Int64, Set<String>?) {
        if projection.readsEveryEvent {
            return (try connection.executeCached("SELECT coalesce(max(position), 0) FROM shido.events").int64(0, 0), nil)
        }
        let result = try connection.executeCached(
            """
            WITH h AS (SELECT coalesce(max(position), 0) AS head FROM shido.events)
            SELECT h.head, t.type FROM h LEFT JOIN LATERAL (
                SELECT t.type FROM unnest($1::text[]) AS t (type)
                WHERE EXISTS (SELECT 1 FROM shido.events e WHERE e.type = t.type
                              AND e.position > $2 AND e.position <= least(h.head, $2 + $3))
            ) t ON true
            """, [ArrayParameter(projection.eventTypes), after, Int64(page)])
        let types = try (0..<result.rowCount).compactMap { row in try result.isNull(row, 1) ? nil : result.string(row, 1) }
        return (try result.int64(0, 0), Set(types))
    }

    private func applyInTransaction(_ range: LogRange, to schema: GenerationSchema, checkpointFrom saved: Int64, on connection: PostgresConnection) throws {
        // A short range (a live append's) runs each step's generic plan, made once and kept by
        // the prepared statement: planning would cost more than the work. A long range plans
        // each step for its sizes (a generic plan made for a few rows would probe a whole page
        // row by row).
        let plans = range.through - range.after <= Self.shortRange ? "force_generic_plan" : "force_custom_plan"
        try connection.transaction(preamble: StaticOrTrustedSQL(trusted: Self.rangeSettings(plans: plans, schema: schema))) {
            try projection.apply(range, on: connection)
            try Registry.advance(projection.name, generation: schema.generation, from: saved, to: range.through, on: connection)
        }
    }

    /// Runs the projection's session upkeep (outside any transaction) when it is due: right
    /// after a long range, which leaves its scratch rows dead, so that the next plans see
    /// small tables; after short ones, once `rangesBeforeIdleUpkeep` of them wait for it when a
    /// whole wait for appends passed empty (`committed` nil), or `rangesBetweenUpkeeps`
    /// without such a pause.
    private func upkeepIfDue(after committed: LogRange?, on connection: PostgresConnection) throws {
        guard let upkeep = projection.sessionUpkeep else { return }
        let due = rangesSinceUpkeep.withLock { ranges in
            guard let committed else { return ranges >= Self.rangesBeforeIdleUpkeep }
            ranges += 1
            return committed.through - committed.after > Self.shortRange || ranges >= Self.rangesBetweenUpkeeps
        }
        guard due else { return }
        try connection.executeScript(StaticOrTrustedSQL(trusted: upkeep))
        rangesSinceUpkeep.withLock { $0 = 0 }
    }

    /// Short ranges committed before the upkeep runs in a pause of the appends (each leaves
    /// a few dead scratch rows: a page every few dozen ranges), and before it runs even
    /// without a pause.
    static let rangesBeforeIdleUpkeep = 32
    static let rangesBetweenUpkeeps = 256

    /// What a range's transaction sets first, in the BEGIN's round trip: its plans, its
    /// generation's schema, and no wait for the WAL flush at commit. A projection's range
    /// needs atomicity, not durability: rows and checkpoint commit or vanish together, and a
    /// range lost in a crash is applied again from the older checkpoint (appends keep
    /// their full durability).
    private static func rangeSettings(plans: String, schema: GenerationSchema) -> String {
        "SET LOCAL synchronous_commit = off; SET LOCAL plan_cache_mode = \(plans); " + GenerationSchema.searchPath([schema])
    }

    /// The longest range (in positions) run with generic plans.
    static let shortRange: Int64 = 64

    /// After a range failed: applies its events one per transaction, to stop right before the
    /// one at fault and throw its failure (or, if none fails alone, to finish the range);
    /// returns the checkpoint reached.
    private func applyOneByOne(_ range: LogRange, to schema: GenerationSchema, checkpointFrom saved: Int64, on connection: PostgresConnection) throws -> Int64 {
        let events = try connection.executeCached(
            """
            SELECT position, event_id::text FROM shido.events
            WHERE ($4 OR type = ANY($1::text[])) AND position > $2 AND position <= $3 ORDER BY position
            """, [ArrayParameter(projection.eventTypes), range.after, range.through, projection.readsEveryEvent])
        var reached = saved
        for row in 0..<events.rowCount {
            let position = try events.int64(row, 0)
            do {
                try applyInTransaction(LogRange(after: position - 1, through: position), to: schema, checkpointFrom: reached, on: connection)
                reached = position
            } catch let failure as ProjectionFailure {
                throw StoppedAtEvent(failure: failure, checkpoint: reached)
            } catch let error as PostgresError where error.isConnectionFailure {
                throw error
            } catch {
                throw StoppedAtEvent(
                    failure: ProjectionFailure(position: position, eventID: try events.string(row, 1), message: "\(error)"), checkpoint: reached)
            }
        }
        return reached
    }

    /// The event a range stopped at, and the checkpoint stored right before it.
    private struct StoppedAtEvent: Error {
        let failure: ProjectionFailure
        let checkpoint: Int64
    }

    private func publish(_ progress: ProjectionProgress) {
        board.update(projection.name) { status in
            if let live = progress.live {
                status.generation = live.generation
                status.position = live.position
            }
            status.rebuildGeneration = progress.rebuild?.generation
            status.rebuildPosition = progress.rebuild?.position
            status.connectionProblem = progress.connectionProblem
            status.buildProblem = progress.buildProblem
            status.failure = progress.liveFailure ?? progress.rebuildFailure
            status.state = progress.state
        }
    }
}

/// Raised once to ask the runners to stop; read from their threads between actions.
final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    func raise() { raised.store(true, ordering: .relaxed) }
}
