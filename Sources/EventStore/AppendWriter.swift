import Foundation
import PostgresClient
import Synchronization

/// The in-process queue that every append goes through, and its single writer thread.
///
/// Guarantees: appends queued while a commit runs are committed together in the next
/// transaction (group commit: concurrent callers share one fsync); each caller is resumed
/// only after its transaction committed (acknowledged means durable) or definitively failed.
/// When the connection breaks, the writer reconnects with backoff and retries the same
/// requests; requests that did commit before the break are recognised by their event ids,
/// so nothing is written twice. After `shutdown()` returns, every accepted append has been
/// answered.
final class AppendWriter: Sendable {
    private let worker: PostgresWorker
    private let queue = Mutex(Queue())
    let statistics = Mutex(WriterStatistics())
    /// Touched only by jobs on the writer thread.
    nonisolated(unsafe) private let cache = WriterCache()
    private let maxEventsPerCommit: Int
    private let reconnectTimeout: Duration
    private let groupDelay: Duration

    private struct Pending {
        let unit: AppendUnit
        let continuation: CheckedContinuation<[AppendResult], any Error>
    }

    private struct Queue {
        var pending: [Pending] = []
        var draining = false
        var closed = false
    }

    private let writerLockTimeout: Duration
    private let faults: WriterFaults

    init(settings: ConnectionSettings, configuration: EventStoreConfiguration) {
        worker = PostgresWorker(name: "shido-writer", settings: settings)
        maxEventsPerCommit = configuration.maxEventsPerCommit
        reconnectTimeout = configuration.reconnectTimeout
        groupDelay = configuration.groupDelay
        writerLockTimeout = configuration.writerLockTimeout
        faults = configuration.faults
    }

    /// The settings in force in the writer's session (queued behind the appends before it).
    func durability() async throws -> DurabilitySettings {
        try await worker.run { session in try DurabilitySettings.read(from: try session.connection()) }
    }

    func append(_ unit: AppendUnit) async throws -> [AppendResult] {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain: Bool? = queue.withLock { queue in
                guard !queue.closed else { return nil }
                queue.pending.append(Pending(unit: unit, continuation: continuation))
                if queue.draining { return false }
                queue.draining = true
                return true
            }
            switch startDrain {
            case nil: continuation.resume(throwing: EventStoreError.shutDown)
            case true?:
                if !worker.submit({ session in self.drain(session) }) { failPending(with: .shutDown) }
            case false?: break
            }
        }
    }

    /// Refuses new appends, answers every accepted one, then ends the writer thread.
    func shutdown() async {
        queue.withLock { $0.closed = true }
        _ = try? await worker.run { _ in }
        worker.shutdown()
    }

    /// Answers every queued append with `error` (the writer thread is gone).
    private func failPending(with error: EventStoreError) {
        let orphans = queue.withLock { queue in
            defer { queue.pending.removeAll(); queue.draining = false }
            return queue.pending
        }
        for pending in orphans { pending.continuation.resume(throwing: error) }
    }

    /// Commits batches until the queue is empty (runs on the writer thread).
    private func drain(_ session: PostgresSession) {
        var lastGroupSize = 0
        while true {
            awaitGroup(expecting: lastGroupSize)
            let batch = takeBatch()
            lastGroupSize = batch.count
            if batch.isEmpty { return }
            let outcomes = commit(batch.map(\.unit), session)
            for (pending, outcome) in zip(batch, outcomes) {
                pending.continuation.resume(with: outcome.mapError { $0 as any Error })
            }
        }
    }

    /// Under contention (the last group had several callers), waits up to `groupDelay` for
    /// the queue to refill to the last group's size: the callers just answered are on their
    /// way back, and one fsync for all of them beats two half-full commits. A lone caller
    /// never waits. This is PostgreSQL's `commit_delay` idea, done where the queue is visible.
    private func awaitGroup(expecting size: Int) {
        guard size > 1, groupDelay > .zero else { return }
        let deadline = ContinuousClock.now + groupDelay
        while queue.withLock({ $0.pending.count }) < size, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.000_05)
        }
    }

    private func takeBatch() -> [Pending] {
        queue.withLock { queue in
            var events = 0
            var count = 0
            for pending in queue.pending {
                if count > 0 && events + pending.unit.eventCount > maxEventsPerCommit { break }
                events += pending.unit.eventCount
                count += 1
            }
            let batch = Array(queue.pending.prefix(count))
            queue.pending.removeFirst(count)
            if batch.isEmpty { queue.draining = false }
            return batch
        }
    }

    /// Runs the group commit, retrying across reconnects until `reconnectTimeout`. The first
    /// attempt skips looking up event ids (retried appends are rare); a unique violation, or
    /// any retry, replans with lookups. If the server rejects the group for another reason,
    /// each request is committed alone so that only the offending one fails.
    private func commit(_ units: [AppendUnit], _ session: PostgresSession) -> [Result<[AppendResult], EventStoreError>] {
        let deadline = ContinuousClock.now + reconnectTimeout
        var backoff = Duration.milliseconds(20)
        var lookUpIDs = false
        var mayHaveCommitted = false
        while true {
            do {
                var timer = CommitTimer()
                let outcomes = try GroupCommit(units: units, lookUpIDs: lookUpIDs)
                    .run(on: try session.connection(), cache: cache, timer: &timer)
                if let fault = faults.afterCommit {
                    do { try fault() } catch { throw CommitOutcomeUnknown(underlying: "\(error)") }
                }
                statistics.record(timer, requests: units.count, events: units.reduce(0) { $0 + $1.eventCount })
                return outcomes
            } catch let error as CommitOutcomeUnknown {
                mayHaveCommitted = true
                if let failures = reconnect(session, &lookUpIDs, &backoff, deadline, error.underlying, mayHaveCommitted) { return failures(units) }
            } catch let error as PostgresError where error.isConnectionFailure {
                if let failures = reconnect(session, &lookUpIDs, &backoff, deadline, error.description, mayHaveCommitted) { return failures(units) }
            } catch let error as PostgresError where error.sqlState == .uniqueViolation && !lookUpIDs {
                lookUpIDs = true
            } catch is NeedsIDLookup {
                lookUpIDs = true
            } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
                let failure = EventStoreError.unavailable(
                    "another session held the writer lock for more than \(writerLockTimeout) (a second shidod committing, "
                        + "or one stopped mid-commit); nothing was written, retry")
                return units.map { _ in .failure(failure) }
            } catch {
                if units.count > 1 { return units.flatMap { commit([$0], session) } }
                let failure = (error as? PostgresError).map(EventStoreError.database) ?? .unavailable("\(error)")
                return [.failure(failure)]
            }
        }
    }

    /// After a broken connection: drops it and, before the deadline, sleeps (with backoff)
    /// so the next attempt reconnects and looks every event id up (requests that did commit
    /// are then recognised). Past the deadline it returns the answer for every request:
    /// unknown outcome if a COMMIT may have reached the server, unavailable otherwise.
    private func reconnect(
        _ session: PostgresSession, _ lookUpIDs: inout Bool, _ backoff: inout Duration, _ deadline: ContinuousClock.Instant,
        _ reason: String, _ mayHaveCommitted: Bool
    ) -> (([AppendUnit]) -> [Result<[AppendResult], EventStoreError>])? {
        session.discard()
        cache.invalidate()
        lookUpIDs = true
        guard ContinuousClock.now < deadline else {
            let failure: EventStoreError = mayHaveCommitted ? .outcomeUnknown(reason) : .unavailable(reason)
            return { units in units.map { _ in .failure(failure) } }
        }
        Thread.sleep(forTimeInterval: backoff.seconds)
        backoff = min(backoff * 2, .seconds(1))
        return nil
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
