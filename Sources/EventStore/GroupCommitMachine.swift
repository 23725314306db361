/// The decisions of the group-commit writer, without any I/O: which appends go into the next
/// transaction, when to wait for a group to fill, what a failed transaction means for each
/// caller (replan, retry after a reconnect, commit alone, fail), and when the writer may stop.
///
/// Guarantees:
/// - appends are committed in the order they were queued, at most `maxEventsPerCommit` events
///   per group (a single larger append still goes alone, whole);
/// - every queued append is answered exactly once: by its group's outcome, or by the failure
///   that ends its retries; nothing queued is dropped by `close()`;
/// - a broken connection is retried with lookups of every event id (so a group that did commit
///   is recognised, not written twice) with backoff until `reconnectTimeout`, then answered
///   "outcome unknown" if a COMMIT may have reached the server, "unavailable" otherwise;
/// - a group the server rejects for any other reason is split: each append commits alone, so
///   only the offending one fails;
/// - a fed unit (`AppendFeed`) commits alone and is tried once: its parts are gone once
///   copied, so a stale plan, a lost connection or a refusal answers it at once;
/// - a lone caller never waits for company; after a group of several, the writer waits up to
///   `groupDelay` for as many to queue again (PostgreSQL's `commit_delay` idea, done where the
///   queue is visible), and is woken as soon as they have.
///
/// The driver (`AppendWriter`) holds it under a lock, asks `nextAction` whenever the writer
/// thread is free, runs what it says, and reports each transaction with `finished`.
/// `Waiter` is whatever the driver resumes (a continuation); tests use plain values.
struct GroupCommitMachine<Waiter> {
    struct Settings {
        var maxEventsPerCommit: Int
        var groupDelay: Duration
        var reconnectTimeout: Duration
        var firstBackoff: Duration = .milliseconds(20)
        var maxBackoff: Duration = .seconds(1)
    }

    struct Queued {
        let unit: AppendUnit
        let waiter: Waiter
    }

    typealias Outcome = Result<[AppendResult], EventStoreError>

    /// What the driver does after queueing an append.
    enum EnqueueAction: Equatable {
        /// The writer thread is not draining: start it.
        case startWriter
        /// The writer waits for a group that is now full: wake it.
        case wakeWriter
        /// The writer will take the append in its own time.
        case none
        /// The store is closed: answer the caller at once.
        case refuse(EventStoreError)
    }

    /// What the writer thread does next.
    enum Action {
        /// Run one transaction with these appends (`lookUpIDs`: look every event id up first).
        case commit([Queued], lookUpIDs: Bool)
        /// Sleep until `deadline`, or until woken.
        case wait(until: ContinuousClock.Instant)
        /// Nothing is queued: the writer sleeps until an append starts it again.
        case idle
        /// Closed and everything answered: the writer thread ends.
        case stop
    }

    /// How one transaction ended, as the driver saw it.
    enum TransactionResult {
        /// Committed (or answered without writing): one outcome per queued append, in order.
        case committed([Outcome])
        /// Nothing was written; the group must be planned again with every event id looked up
        /// (a retried id, or memory that turned out stale).
        case needsIDLookup
        /// The connection broke; `commitSent`: it broke after COMMIT was sent.
        case connectionLost(reason: String, commitSent: Bool)
        /// Nothing was written and nothing will be for any append of the group (the writer
        /// lock stayed taken): each fails with `error`.
        case refused(EventStoreError)
        /// The server refused the group for another reason: try each append alone.
        case rejected(EventStoreError)
    }

    private let settings: Settings
    private var queue: [Queued] = []
    private var queueHead = 0
    private var retry: Retry?
    /// Appends of a rejected group, committed one at a time before anything else.
    private var alone: [Queued] = []
    /// The transaction in flight (or being retried) is `alone[0]`'s.
    private var aloneInFlight = false
    private var groupWait: (size: Int, deadline: ContinuousClock.Instant)?
    private var draining = false
    private var closed = false

    /// A group being retried after a failure.
    private struct Retry {
        let group: [Queued]
        var lookUpIDs: Bool
        var notBefore: ContinuousClock.Instant?
        var deadline: ContinuousClock.Instant?
        var backoff: Duration
        var commitMayHaveBeenSent = false
    }

    init(settings: Settings) { self.settings = settings }

    var queuedCount: Int { queue.count - queueHead }
    var isIdle: Bool { !draining && queuedCount == 0 }

    mutating func enqueue(_ unit: AppendUnit, waiter: Waiter) -> EnqueueAction {
        guard !closed else { return .refuse(.shutDown) }
        queue.append(Queued(unit: unit, waiter: waiter))
        if !draining {
            draining = true
            return .startWriter
        }
        if let wait = groupWait, queuedCount >= wait.size { return .wakeWriter }
        return .none
    }

    /// Refuses new appends from now on; queued ones are still committed.
    mutating func close() { closed = true }

    mutating func nextAction(now: ContinuousClock.Instant) -> Action {
        if let retry {
            if let notBefore = retry.notBefore, now < notBefore { return .wait(until: notBefore) }
            self.retry?.notBefore = nil
            return .commit(retry.group, lookUpIDs: retry.lookUpIDs)
        }
        if let next = alone.first {
            aloneInFlight = true
            return .commit([next], lookUpIDs: false)
        }
        if let wait = groupWait {
            if queuedCount < wait.size && now < wait.deadline && !fillsAGroup { return .wait(until: wait.deadline) }
            groupWait = nil
        }
        let group = takeGroup()
        if group.isEmpty {
            draining = false
            return closed ? .stop : .idle
        }
        return .commit(group, lookUpIDs: false)
    }

    /// Takes what the transaction that ran `group` (the last `.commit`) ended with; returns
    /// the callers to answer now.
    mutating func finished(
        _ group: [Queued], _ result: TransactionResult, now: ContinuousClock.Instant
    ) -> [(waiter: Waiter, outcome: Outcome)] {
        if group.contains(where: \.unit.isFed), let failure = Self.onlyTry(result) {
            endAttempt(group)
            return group.map { ($0.waiter, .failure(failure)) }
        }
        switch result {
        case .committed(let outcomes):
            endAttempt(group)
            if group.count > 1 && settings.groupDelay > .zero && alone.isEmpty {
                groupWait = (group.count, now + settings.groupDelay)
            }
            return zip(group, outcomes).map { ($0.waiter, $1) }
        case .needsIDLookup:
            var attempt = retry ?? Retry(group: group, lookUpIDs: true, backoff: settings.firstBackoff)
            attempt.lookUpIDs = true
            retry = attempt
            return []
        case .connectionLost(let reason, let commitSent):
            return reconnect(group, reason: reason, commitSent: commitSent, now: now)
        case .refused(let error):
            endAttempt(group)
            return group.map { ($0.waiter, .failure(error)) }
        case .rejected(let error):
            endAttempt(group)
            guard group.count > 1 else { return [(group[0].waiter, .failure(error))] }
            alone = group + alone
            return []
        }
    }

    /// What a group that cannot be tried again fails with, for every ending but a commit.
    private static func onlyTry(_ result: TransactionResult) -> EventStoreError? {
        switch result {
        case .committed: nil
        case .needsIDLookup: .idempotencyConflict(eventID: "", reason: "an event id of the feed is already recorded")
        case .connectionLost(let reason, let commitSent): commitSent ? .outcomeUnknown(reason) : .unavailable(reason)
        case .refused(let error), .rejected(let error): error
        }
    }

    /// Schedules another attempt after a backoff (every id looked up), or ends the retries at
    /// the deadline.
    private mutating func reconnect(
        _ group: [Queued], reason: String, commitSent: Bool, now: ContinuousClock.Instant
    ) -> [(waiter: Waiter, outcome: Outcome)] {
        var attempt = retry ?? Retry(group: group, lookUpIDs: true, backoff: settings.firstBackoff)
        attempt.commitMayHaveBeenSent = attempt.commitMayHaveBeenSent || commitSent
        let deadline = attempt.deadline ?? now + settings.reconnectTimeout
        guard now < deadline else {
            endAttempt(group)
            let failure: EventStoreError = attempt.commitMayHaveBeenSent ? .outcomeUnknown(reason) : .unavailable(reason)
            return group.map { ($0.waiter, .failure(failure)) }
        }
        attempt.deadline = deadline
        attempt.lookUpIDs = true
        attempt.notBefore = now + attempt.backoff
        attempt.backoff = min(attempt.backoff * 2, settings.maxBackoff)
        retry = attempt
        return []
    }

    /// The group is answered: it leaves the retry slot or the line of appends committed alone.
    private mutating func endAttempt(_ group: [Queued]) {
        retry = nil
        if aloneInFlight {
            alone.removeFirst()
            aloneInFlight = false
        }
    }

    /// Whether the queue already holds a group as large as a commit may take.
    private var fillsAGroup: Bool {
        var events = 0
        for index in queueHead..<queue.count {
            if queue[index].unit.isFed { return true }
            events += queue[index].unit.eventCount
            if events >= settings.maxEventsPerCommit { return true }
        }
        return false
    }

    /// The queue's oldest appends, up to `maxEventsPerCommit` events (at least one append); a
    /// fed unit goes alone.
    private mutating func takeGroup() -> [Queued] {
        var events = 0
        var end = queueHead
        while end < queue.count {
            let next = queue[end].unit.eventCount
            if end > queueHead && (events + next > settings.maxEventsPerCommit || queue[end].unit.isFed) { break }
            if queue[end].unit.isFed {
                end += 1
                break
            }
            events += next
            end += 1
        }
        let group = Array(queue[queueHead..<end])
        queueHead = end
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return group
    }
}

extension GroupCommitMachine.Queued: Sendable where Waiter: Sendable {}
extension GroupCommitMachine.TransactionResult: Sendable {}
