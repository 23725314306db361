import Foundation
import PostgresClient
import ServiceLifecycle
import Synchronization

/// The in-process queue that every append goes through, and its single writer thread.
///
/// Guarantees: appends queued while a commit runs are committed together in the next
/// transaction (group commit: concurrent callers share one fsync); each caller is resumed
/// only after its transaction committed (acknowledged means durable) or definitively failed.
/// When the connection breaks, the writer reconnects with backoff and retries the same
/// requests; requests that did commit before the break are recognised by their event ids,
/// so nothing is written twice. After `shutdown()` returns, every accepted append has been
/// answered and the writer's connection is closed. As a `Service` it runs until the
/// daemon's graceful shutdown, then shuts down this way; a writer dropped without a
/// shutdown still answers what it accepted and ends its thread.
final class AppendWriter: Service, Sendable {
    private let driver: GroupCommitDriver
    /// What the writer has done so far.
    var statistics: WriterStatistics { driver.statistics.withLock { $0 } }

    init(settings: ConnectionSettings, configuration: EventStoreConfiguration) {
        driver = GroupCommitDriver(settings: settings, configuration: configuration)
        let driver = self.driver
        let thread = Thread { driver.runWriterThread() }
        thread.name = "shido-writer"
        thread.start()
    }

    deinit { driver.close() }

    /// The settings in force in a session opened as the writer's is (same options, same role).
    func durability() async throws -> DurabilitySettings {
        let worker = PostgresWorker(name: "shido-durability", settings: driver.settings)
        defer { worker.shutdown() }
        return try await worker.run { session in try DurabilitySettings.read(from: try session.connection()) }
    }

    func append(_ unit: AppendUnit) async throws -> [AppendResult] {
        try await withCheckedThrowingContinuation { continuation in driver.enqueue(unit, continuation) }
    }

    func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Refuses new appends, answers every accepted one, then ends the writer thread.
    func shutdown() async {
        driver.close()
        await driver.ended()
    }
}

/// Runs what `GroupCommitMachine` decides: the machine under a lock, the transactions on the
/// writer thread, the callers resumed with their outcomes. It makes no decision of its own.
final class GroupCommitDriver: Sendable {
    typealias Machine = GroupCommitMachine<CheckedContinuation<[AppendResult], any Error>>

    let settings: ConnectionSettings
    let statistics = Mutex(WriterStatistics())
    private let machine: Mutex<Machine>
    private let wakeup = Wakeup()
    private let finished = Mutex<(done: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
    private let writerLockTimeout: Duration
    private let faults: WriterFaults
    private let metrics = WriterMetrics()

    init(settings: ConnectionSettings, configuration: EventStoreConfiguration) {
        self.settings = settings
        machine = Mutex(Machine(settings: .init(
            maxEventsPerCommit: configuration.maxEventsPerCommit, groupDelay: configuration.groupDelay,
            reconnectTimeout: configuration.reconnectTimeout)))
        writerLockTimeout = configuration.writerLockTimeout
        faults = configuration.faults
    }

    func enqueue(_ unit: AppendUnit, _ continuation: CheckedContinuation<[AppendResult], any Error>) {
        switch machine.withLock({ $0.enqueue(unit, waiter: continuation) }) {
        case .refuse(let error): continuation.resume(throwing: error)
        case .startWriter, .wakeWriter: wakeup.signal()
        case .none: break
        }
    }

    func close() {
        machine.withLock { $0.close() }
        wakeup.signal()
    }

    /// Returns once the writer thread has answered everything and ended.
    func ended() async {
        await withCheckedContinuation { continuation in
            let done = finished.withLock { state in
                if !state.done { state.waiting.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }

    /// The writer thread: asks the machine what to do until it says stop. The session and the
    /// memory of stream versions live here, on this thread only.
    func runWriterThread() {
        let session = PostgresSession(settings: settings)
        let cache = WriterCache()
        loop: while true {
            switch machine.withLock({ $0.nextAction(now: .now) }) {
            case .stop: break loop
            case .idle: wakeup.wait(until: nil)
            case .wait(let deadline): wakeup.wait(until: deadline)
            case .commit(let group, let lookUpIDs):
                let result = transaction(group.map(\.unit), lookUpIDs: lookUpIDs, session, cache)
                let answers = machine.withLock { $0.finished(group, result, now: .now) }
                for answer in answers {
                    metrics.answered(answer.outcome)
                    answer.waiter.resume(with: answer.outcome.mapError { $0 as any Error })
                }
            }
        }
        session.discard()
        let waiting = finished.withLock { state in
            state.done = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Runs one group commit and says how it ended. A broken connection is dropped (and the
    /// remembered versions with it) so that the next attempt starts from the database.
    private func transaction(
        _ units: [AppendUnit], lookUpIDs: Bool, _ session: PostgresSession, _ cache: WriterCache
    ) -> Machine.TransactionResult {
        do {
            var timer = CommitTimer()
            let outcomes = try GroupCommit(units: units, lookUpIDs: lookUpIDs).run(on: try session.connection(), cache: cache, timer: &timer)
            if let fault = faults.afterCommit {
                do { try fault() } catch { throw CommitOutcomeUnknown(underlying: "\(error)") }
            }
            let events = outcomes.reduce(0) { $0 + ((try? $1.get())?.reduce(0) { $0 + $1.events.count } ?? 0) }
            statistics.record(timer, requests: units.count, events: events)
            metrics.committed(events: events, nanoseconds: timer.phases.reduce(0, +))
            return .committed(outcomes)
        } catch let error as CommitOutcomeUnknown {
            return lost(session, cache, error.underlying, commitSent: true)
        } catch let error as PostgresError where error.isConnectionFailure {
            return lost(session, cache, error.description, commitSent: false)
        } catch let error as PostgresError where error.sqlState == .uniqueViolation && !lookUpIDs {
            return .needsIDLookup
        } catch is NeedsIDLookup {
            return .needsIDLookup
        } catch let error as EventStoreError {
            cache.invalidate()
            return .rejected(error)
        } catch let abandoned as AppendFeed.Abandoned {
            return .refused(.invalidInput(field: "", reason: abandoned.description))
        } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
            return .refused(.unavailable(
                "another session held the writer lock for more than \(writerLockTimeout) (a second shidod committing, "
                    + "or one stopped mid-commit); nothing was written, retry"))
        } catch {
            return .rejected((error as? PostgresError).map(EventStoreError.database) ?? .unavailable("\(error)"))
        }
    }

    private func lost(_ session: PostgresSession, _ cache: WriterCache, _ reason: String, commitSent: Bool) -> Machine.TransactionResult {
        session.discard()
        cache.invalidate()
        return .connectionLost(reason: reason, commitSent: commitSent)
    }
}

/// The connection broke after a COMMIT was sent and before its answer arrived: the
/// transaction may or may not have committed.
struct CommitOutcomeUnknown: Error {
    let underlying: String
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }

    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
