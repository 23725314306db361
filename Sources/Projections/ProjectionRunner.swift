import EventStore
import Foundation
import Logging
import PostgresClient
import Synchronization

/// Runs one projection on its own thread and connection: catch-up, live updates, rebuilds.
///
/// Guarantees: it applies the projection only while holding the projection's advisory lock
/// (a second daemon on the same database waits in standby); each page's rows and checkpoint
/// commit together; an event that cannot be applied stops the projection right before it
/// (its position, id and message recorded), and the next start retries from there; a
/// rebuild fills the next generation while the current one stays live, then swaps them in
/// one transaction and drops the old tables a little later (queries in flight finish).
final class ProjectionRunner: Sendable {
    struct Tuning: Sendable {
        var livePage = 20_000
        var rebuildPage = 20_000
        var idleWait: Int32 = 500
        var dropDelay: Duration = .seconds(10)
    }

    let projection: any Projection
    private let settings: ConnectionSettings
    private let board: ProjectionBoard
    private let logger: Logger
    private let tuning: Tuning
    private let stopping = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(projection: any Projection, settings: ConnectionSettings, board: ProjectionBoard, logger: Logger, tuning: Tuning = .init()) {
        self.projection = projection
        self.settings = settings
        self.board = board
        self.logger = logger
        self.tuning = tuning
    }

    func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            runUntilStopped()
            finished.signal()
        }
        thread.name = "shido-projection-\(projection.name)"
        thread.start()
    }

    /// Asks the runner to stop after its current page, and waits until it has (once: later calls return at once).
    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        guard started.load(ordering: .relaxed) else { return }
        finished.wait()
        board.update(projection.name) { $0.state = .stopped }
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    private func runUntilStopped() {
        var backoff = 0.1
        while !isStopping {
            do {
                let connection = try PostgresConnection(settings)
                defer { connection.close() }
                try connection.listen(LogNotifications.channel)
                // A generic plan cannot know how few engagements `= ANY($1)` names and would
                // scan whole tables; each statement is planned for its own parameters.
                try connection.execute("SET plan_cache_mode = force_custom_plan")
                try connection.execute("SET jit = off")  // compiling a plan costs more than running a page
                if let setup = projection.sessionSetup { try connection.executeScript(StaticOrTrustedSQL(trusted: setup)) }
                backoff = 0.1
                try lead(on: connection)
            } catch {
                logger.warning("projection \(projection.name): \(error); retrying in \(backoff) s")
                board.update(projection.name) { $0.connectionProblem = "\(error)"; if $0.state != .failed { $0.state = .starting } }
                pause(seconds: backoff)
                backoff = min(backoff * 2, 5)
            }
        }
    }

    private func pause(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !isStopping && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// Waits for the lock, then keeps the projection current until asked to stop.
    private func lead(on connection: PostgresConnection) throws {
        guard try acquireLock(on: connection) else { return }
        var run = try prepare(on: connection)
        var sinceRegistryCheck = 0
        while !isStopping {
            var progressed = try advanceLive(&run, on: connection)
            progressed = try advanceRebuild(&run, on: connection) || progressed
            try dropRetiredGeneration(&run, on: connection)
            sinceRegistryCheck += 1
            if !progressed || sinceRegistryCheck >= 50 {
                sinceRegistryCheck = 0
                try checkRebuildRequest(&run, on: connection)
            }
            let next = IdleDecision(progressed: progressed, sinceSave: ContinuousClock.now - run.lastSave)
            if next.saves { try save(&run, on: connection) }
            if next.waits { _ = try connection.waitForNotifications(timeoutMilliseconds: tuning.idleWait) }
        }
        try save(&run, on: connection)
    }

    private func acquireLock(on connection: PostgresConnection) throws -> Bool {
        while !isStopping {
            let locked = try connection.executeCached(
                "SELECT pg_try_advisory_lock(1936287845, hashtext($1))", [projection.name]).bool(0, 0)
            if locked { return true }
            board.update(projection.name) { $0.state = .standby; $0.connectionProblem = nil }
            _ = try connection.waitForNotifications(timeoutMilliseconds: 1_000)
        }
        return false
    }

    /// What the runner tracks between pages.
    private struct Run {
        var live: Cursor
        var rebuild: Cursor?
        var liveFailure: ProjectionFailure?
        var rebuildFailure: ProjectionFailure?
        var retired: (generation: Int, dropAt: ContinuousClock.Instant)?
        var lastSave = ContinuousClock.now
    }

    private struct Cursor {
        let generation: Int
        /// Every event up to here is applied (or was of no interest to the projection).
        var position: Int64
        /// The checkpoint as stored: behind `position` only across pages that had nothing to
        /// apply, whose tables are the same (so a query may use `position`, see the board).
        var saved: Int64

        init(generation: Int, position: Int64) {
            self.generation = generation
            self.position = position
            saved = position
        }
    }

    /// Registers the projection on first start, clears an old failure (this build may be
    /// fixed), starts a rebuild when the code version changed, and drops stray tables.
    private func prepare(on connection: PostgresConnection) throws -> Run {
        if try Registry.row(projection.name, on: connection) == nil { try Registry.register(projection, on: connection) }
        try Registry.clearFailure(projection.name, on: connection)
        guard var row = try Registry.row(projection.name, on: connection) else { throw RegistryError(message: "projection \(projection.name) is not registered") }
        if row.codeVersion != projection.codeVersion, try rebuildIsStale(row, on: connection) {
            logger.notice("projection \(projection.name): code version \(row.codeVersion) → \(projection.codeVersion), rebuilding")
            row.rebuilding = try Registry.beginRebuild(projection, after: row, on: connection)
        }
        try Registry.dropStrayGenerations(of: projection, keeping: [row.generation] + (row.rebuilding.map { [$0] } ?? []), on: connection)
        let live = Cursor(generation: row.generation, position: try Registry.position(projection.name, generation: row.generation, on: connection))
        let rebuild = try row.rebuilding.map { Cursor(generation: $0, position: try Registry.position(projection.name, generation: $0, on: connection)) }
        let run = Run(live: live, rebuild: rebuild)
        publish(run, caughtUp: false)
        return run
    }

    /// A rebuild left running by an older build must restart with this build's code.
    private func rebuildIsStale(_ row: RegistryRow, on connection: PostgresConnection) throws -> Bool {
        guard let rebuilding = row.rebuilding else { return true }
        let version = try connection.executeCached(
            "SELECT code_version FROM shido.projection_checkpoints WHERE name = $1 AND generation = $2", [projection.name, rebuilding])
        if version.rowCount == 0 { return true }
        return try version.int(0, 0) != projection.codeVersion
    }

    private func advanceLive(_ run: inout Run, on connection: PostgresConnection) throws -> Bool {
        guard run.liveFailure == nil else { return false }
        do {
            let step = try advance(&run.live, page: tuning.livePage, on: connection)
            publish(run, caughtUp: step.isAtHead)
            return step.moved
        } catch let failure as ProjectionFailure {
            run.liveFailure = failure
            try record(failure, on: connection)
            publish(run, caughtUp: false)
            return false
        }
    }

    private func advanceRebuild(_ run: inout Run, on connection: PostgresConnection) throws -> Bool {
        guard var rebuild = run.rebuild else { return false }
        let step: Step
        do {
            step = try advance(&rebuild, page: tuning.rebuildPage, on: connection)
        } catch let failure as ProjectionFailure {
            try record(failure, on: connection)
            run.rebuild = nil
            run.rebuildFailure = failure
            publish(run, caughtUp: false)
            return false
        }
        run.rebuild = rebuild
        if rebuild.position >= run.live.position && step.isAtHead {
            try Registry.swap(projection, from: run.live.generation, to: rebuild.generation, on: connection)
            logger.notice("projection \(projection.name): generation \(rebuild.generation) rebuilt to position \(rebuild.position) and in use")
            run.retired = (run.live.generation, .now + tuning.dropDelay)
            run.live = rebuild
            run.rebuild = nil
            run.liveFailure = nil
        }
        publish(run, caughtUp: step.isAtHead)
        return step.moved
    }

    private func dropRetiredGeneration(_ run: inout Run, on connection: PostgresConnection) throws {
        guard let retired = run.retired, ContinuousClock.now >= retired.dropAt else { return }
        try Registry.dropTables(of: projection, generation: retired.generation, on: connection)
        run.retired = nil
    }

    private func checkRebuildRequest(_ run: inout Run, on connection: PostgresConnection) throws {
        guard run.rebuild == nil, let row = try Registry.row(projection.name, on: connection), row.rebuildRequested else { return }
        logger.notice("projection \(projection.name): rebuild requested")
        let generation = try Registry.beginRebuild(projection, after: row, on: connection)
        run.rebuild = Cursor(generation: generation, position: 0)
        run.rebuildFailure = nil
        publish(run, caughtUp: false)
    }

    private struct Step {
        var moved: Bool
        var isAtHead: Bool
    }

    /// Stores checkpoints left behind by pages with nothing to apply (when idle, at most once
    /// a second, and on the way out).
    private func save(_ run: inout Run, on connection: PostgresConnection) throws {
        run.lastSave = .now
        for index in [0, 1] {
            guard var cursor = index == 0 ? run.live : run.rebuild, cursor.saved < cursor.position else { continue }
            try connection.transaction {
                try Self.relaxDurability(on: connection)
                try Registry.advance(projection.name, generation: cursor.generation, from: cursor.saved, to: cursor.position, on: connection)
            }
            cursor.saved = cursor.position
            if index == 0 { run.live = cursor } else { run.rebuild = cursor }
        }
    }

    /// Applies the next range of the log to a generation: rows and checkpoint in one
    /// transaction. A range with nothing of interest only moves the cursor (no transaction
    /// for every append the projection ignores).
    private func advance(_ cursor: inout Cursor, page size: Int, on connection: PostgresConnection) throws -> Step {
        let head = try connection.executeCached("SELECT coalesce(max(position), 0) FROM shido.events").int64(0, 0)
        guard head > cursor.position else { return Step(moved: false, isAtHead: true) }
        let range = LogRange(after: cursor.position, through: min(head, cursor.position + Int64(size)))
        let step = Step(moved: true, isAtHead: range.through == head)
        guard try holdsEvents(range, on: connection) else {
            cursor.position = range.through
            return step
        }
        let schema = GenerationSchema(projection: projection.name, generation: cursor.generation)
        do {
            try applyInTransaction(range, to: schema, checkpointFrom: cursor.saved, on: connection)
        } catch let error as PostgresError where error.isConnectionFailure {
            throw error
        } catch {
            try applyOneByOne(range, to: schema, cursor: &cursor, on: connection)
            let reached = cursor.saved
            if reached < range.through {
                try connection.transaction {
                    try Registry.advance(projection.name, generation: cursor.generation, from: reached, to: range.through, on: connection)
                }
            }
        }
        cursor.position = range.through
        cursor.saved = range.through
        return step
    }

    private func holdsEvents(_ range: LogRange, on connection: PostgresConnection) throws -> Bool {
        try connection.executeCached(
            "SELECT EXISTS (SELECT 1 FROM shido.events WHERE type = ANY($1::text[]) AND position > $2 AND position <= $3)",
            [ArrayParameter(projection.eventTypes), range.after, range.through]).bool(0, 0)
    }

    private func applyInTransaction(_ range: LogRange, to schema: GenerationSchema, checkpointFrom saved: Int64, on connection: PostgresConnection) throws {
        try connection.transaction {
            try Self.relaxDurability(on: connection)
            try connection.executeScript(StaticOrTrustedSQL(trusted: GenerationSchema.searchPath([schema])))
            try projection.apply(range, on: connection)
            try Registry.advance(projection.name, generation: schema.generation, from: saved, to: range.through, on: connection)
        }
    }

    /// A projection's page needs atomicity, not durability: rows and checkpoint commit or
    /// vanish together, and a page lost in a crash is applied again from the older checkpoint.
    /// So its commit does not wait for the WAL flush, which appends do.
    private static func relaxDurability(on connection: PostgresConnection) throws {
        try connection.execute("SET LOCAL synchronous_commit = off")
    }

    /// After a range failed: applies its events one per transaction, to stop right before the
    /// one at fault and throw its failure (or, if none fails alone, to finish the range).
    private func applyOneByOne(_ range: LogRange, to schema: GenerationSchema, cursor: inout Cursor, on connection: PostgresConnection) throws {
        let events = try connection.executeCached(
            """
            SELECT position, event_id::text FROM shido.events
            WHERE type = ANY($1::text[]) AND position > $2 AND position <= $3 ORDER BY position
            """, [ArrayParameter(projection.eventTypes), range.after, range.through])
        for row in 0..<events.rowCount {
            let position = try events.int64(row, 0)
            do {
                try applyInTransaction(LogRange(after: position - 1, through: position), to: schema, checkpointFrom: cursor.saved, on: connection)
                cursor.position = position
                cursor.saved = position
            } catch let failure as ProjectionFailure {
                throw failure
            } catch let error as PostgresError where error.isConnectionFailure {
                throw error
            } catch {
                throw ProjectionFailure(position: position, eventID: try events.string(row, 1), message: "\(error)")
            }
        }
    }

    private func record(_ failure: ProjectionFailure, on connection: PostgresConnection) throws {
        logger.error("projection \(projection.name) stopped: \(failure)")
        try Registry.recordFailure(projection.name, failure, on: connection)
    }

    private func publish(_ run: Run, caughtUp: Bool) {
        board.update(projection.name) { status in
            status.generation = run.live.generation
            status.position = run.live.position
            status.rebuildGeneration = run.rebuild?.generation
            status.rebuildPosition = run.rebuild?.position
            status.connectionProblem = nil
            status.failure = run.liveFailure ?? run.rebuildFailure
            status.state = run.liveFailure != nil ? .failed : (caughtUp ? .live : .catchingUp)
        }
    }
}
