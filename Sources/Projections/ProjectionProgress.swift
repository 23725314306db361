/// Where a projector is and what it does next: the runtime's decisions, without I/O.
///
/// The driver asks `next(now:)` for an action, carries it out against PostgreSQL, and
/// reports the outcome with one of the `mutating` functions; nothing here touches a
/// connection or a clock (time comes in as `now`), so every decision is tested alone.
///
/// Guarantees: nothing is applied before the projection's lock is held and its registry
/// read (`prepare`); each step advances the live generation, then the rebuild, once (a
/// generation with nothing applied is built from the whole log at once, unless that failed
/// for it before: then page by page); a rebuild is swapped in only once it has caught up
/// with the live generation at the head; a live generation whose tables an earlier code
/// version made is never advanced, only replaced by the rebuild; a retired generation is
/// dropped only after `dropDelay`; the registry is asked for a rebuild request at the first
/// idle moment after `prepare`, when a wake-up announces one (`Registry.requestRebuild` sends it), at least
/// once per `registryCheckInterval` while idle and every `registryCheckEvery` busy steps; the
/// positions reached are stored at least once per `saveInterval`, busy or idle, and before
/// stopping; the projector waits for a wake-up when a step found nothing new or reached the
/// head (appends committed meanwhile have queued their wake-ups, so the wait returns at
/// once: no read of the head is spent on finding nothing). A wake-up sooner than
/// `gatherMilliseconds` after the last live step first gathers (`gather`) for the rest of
/// that span, so that while appends keep coming a step takes all of the span's at once: a
/// step's fixed cost (a transaction, two round trips) is then paid at most once per span,
/// however fast appends arrive; a query waiting for a position ends the gathering (the driver's
/// business). A failed range
/// stops only its own generation: a rebuild's failure leaves the live generation live.
/// After a lost connection it starts again from the lock, waiting longer each time (up to
/// 5 s).
public struct ProjectionProgress: Sendable {
    public struct Tuning: Sendable {
        public var livePage = 20_000
        public var rebuildPage = 20_000
        public var idleWaitMilliseconds: Int32 = 500
        public var lockRetryMilliseconds: Int32 = 1_000
        public var dropDelay: Duration = .seconds(10)
        public var saveInterval: Duration = .seconds(1)
        public var registryCheckEvery = 50
        public var registryCheckInterval: Duration = .seconds(1)
        /// After a wake-up, the least time between the starts of two live steps (0: none).
        public var gatherMilliseconds: Int32 = 5
        /// Whether a generation with nothing applied yet takes the whole log at once
        /// (`Projection.build`, set-based) instead of page by page.
        public var buildFromScratch = true
        public init() {}
    }

    /// A generation's progress through the log.
    public struct Cursor: Sendable, Hashable {
        public let generation: Int
        /// Every event up to here is applied (or was of no interest to the projection).
        public var position: Int64
        /// The checkpoint as stored: behind `position` only across ranges that had nothing
        /// to apply, whose tables are the same.
        public var saved: Int64

        public init(generation: Int, position: Int64, saved: Int64? = nil) {
            self.generation = generation
            self.position = position
            self.saved = saved ?? position
        }
    }

    public enum Target: Sendable, Hashable { case live, rebuild }

    public enum Action: Sendable, Hashable {
        /// Open a fresh connection (LISTEN, session settings) after waiting `afterMilliseconds`.
        case connect(afterMilliseconds: Int32)
        case acquireLock
        /// Wait for a wake-up (or the lock's release) before trying the lock again.
        case waitForLock(milliseconds: Int32)
        /// Register, clear an old failure, start a rebuild if the code version changed.
        case prepare
        /// Apply the next range (at most `page` positions) to a generation.
        case advance(Target, Cursor, page: Int)
        /// Build a generation with nothing applied yet from the whole log at once, in one
        /// transaction; reported like an `advance`, or refused (`buildRefused`).
        case build(Target, Cursor)
        case swap(from: Int, to: Int)
        case drop(generation: Int)
        case checkRebuildRequest
        /// Store these cursors' positions as their checkpoints.
        case save([Cursor])
        case waitForAppends(milliseconds: Int32)
        /// Let appends gather for up to `milliseconds` before the next live step (a query
        /// waiting for a position ends it sooner).
        case gather(milliseconds: Int32)
        /// Nothing left to do: the projector has stopped.
        case stop
    }

    /// The outcome of an `advance`.
    public struct Step: Sendable, Hashable {
        /// Every event up to here is applied now.
        public var reached: Int64
        /// Whether the checkpoint was stored at `reached` with the rows (false when the range
        /// held nothing to apply: only the cursor moved).
        public var stored: Bool
        public var isAtHead: Bool
        public init(reached: Int64, stored: Bool, isAtHead: Bool) {
            self.reached = reached
            self.stored = stored
            self.isAtHead = isAtHead
        }
    }

    private enum Phase: Sendable, Hashable {
        case disconnected(retryMilliseconds: Int32)
        case connected
        case standby
        case locked
        case leading
        case stopped
    }

    /// What one round of the leading loop has done so far.
    private struct Round: Sendable, Hashable {
        var liveDone = false
        var rebuildDone = false
        var checkedRegistry = false
        var progressed = false
        /// A step of this round stopped short of the head: there is more to apply at once.
        var behindHead = false
    }

    public let tuning: Tuning
    private var phase = Phase.disconnected(retryMilliseconds: 0)
    private var round = Round()
    private var stopping = false
    private var sinceRegistryCheck = 0
    private var registryCheckDue = false
    private var lastRegistryCheck: ContinuousClock.Instant?
    private var lastSave: ContinuousClock.Instant?
    private var lastLiveStep: ContinuousClock.Instant?
    /// A wait for appends ended since the last live step: the next one may gather first.
    private var wokeSinceLiveStep = false
    public private(set) var live: Cursor?
    public private(set) var rebuild: Cursor?
    public private(set) var liveFailure: ProjectionFailure?
    public private(set) var rebuildFailure: ProjectionFailure?
    public private(set) var retired: (generation: Int, dropAt: ContinuousClock.Instant)?
    /// Whether the live generation has reached the head of the log at its last step.
    public private(set) var liveAtHead = false
    public private(set) var connectionProblem: String?
    /// Why the last build from scratch failed (its generation went page by page instead).
    public private(set) var buildProblem: String?

    public init(tuning: Tuning = Tuning()) { self.tuning = tuning }

    // MARK: - Decisions

    public mutating func next(now: ContinuousClock.Instant) -> Action {
        switch phase {
        case .stopped:
            return .stop
        case .disconnected(let retry):
            if stopping { phase = .stopped; return .stop }
            return .connect(afterMilliseconds: retry)
        case .connected:
            if stopping { phase = .stopped; return .stop }
            return .acquireLock
        case .standby:
            if stopping { phase = .stopped; return .stop }
            return .waitForLock(milliseconds: tuning.lockRetryMilliseconds)
        case .locked:
            if stopping { phase = .stopped; return .stop }
            return .prepare
        case .leading:
            return nextWhileLeading(now: now)
        }
    }

    private mutating func nextWhileLeading(now: ContinuousClock.Instant) -> Action {
        if stopping {
            let unsaved = unsavedCursors
            if unsaved.isEmpty { phase = .stopped; return .stop }
            return .save(unsaved)
        }
        if !round.liveDone {
            if let milliseconds = gatherBeforeLiveStep(now: now) { return .gather(milliseconds: milliseconds) }
            round.liveDone = true
            if let live, liveFailure == nil, !liveTablesOlder {
                lastLiveStep = now
                return step(.live, live, page: tuning.livePage)
            }
        }
        if !round.rebuildDone {
            round.rebuildDone = true
            if let rebuild { return step(.rebuild, rebuild, page: tuning.rebuildPage) }
        }
        if swapDue, let live, let rebuild { return .swap(from: live.generation, to: rebuild.generation) }
        if let retired, now >= retired.dropAt { return .drop(generation: retired.generation) }
        let idle = !round.progressed || !round.behindHead
        if !round.checkedRegistry, rebuild == nil, registryCheckIsDue(idle: idle, now: now) {
            round.checkedRegistry = true
            sinceRegistryCheck = 0
            registryCheckDue = false
            lastRegistryCheck = now
            return .checkRebuildRequest
        }
        round = Round()
        if !idle { sinceRegistryCheck += 1 }
        if now - (lastSave ?? now) >= tuning.saveInterval || lastSave == nil {
            lastSave = now
            let unsaved = unsavedCursors
            if !unsaved.isEmpty { return .save(unsaved) }
        }
        if idle { return .waitForAppends(milliseconds: tuning.idleWaitMilliseconds) }
        return nextWhileLeading(now: now)
    }

    /// How long to gather before the live step that follows a wake-up, if at all.
    private mutating func gatherBeforeLiveStep(now: ContinuousClock.Instant) -> Int32? {
        guard wokeSinceLiveStep else { return nil }
        wokeSinceLiveStep = false
        guard let last = lastLiveStep else { return nil }
        let remaining = Duration.milliseconds(tuning.gatherMilliseconds) - last.duration(to: now)
        guard remaining > .zero else { return nil }
        return Int32((remaining / .milliseconds(1)).rounded(.up))
    }

    private func registryCheckIsDue(idle: Bool, now: ContinuousClock.Instant) -> Bool {
        if registryCheckDue || sinceRegistryCheck >= tuning.registryCheckEvery { return true }
        guard idle, let last = lastRegistryCheck else { return idle }
        return now - last >= tuning.registryCheckInterval
    }

    /// A generation's next step: built from scratch while nothing is applied (unless that
    /// was refused for it), else the next page.
    private func step(_ target: Target, _ cursor: Cursor, page: Int) -> Action {
        let fresh = cursor.position == 0 && tuning.buildFromScratch && !refusedBuilds.contains(cursor.generation)
        return fresh ? .build(target, cursor) : .advance(target, cursor, page: page)
    }

    /// Generations whose build from scratch failed: they go page by page, which stops right
    /// before an event at fault.
    private var refusedBuilds = Set<Int>()

    private var unsavedCursors: [Cursor] { [live, rebuild].compactMap { $0 }.filter { $0.saved < $0.position } }

    // MARK: - Outcomes

    public mutating func connected() {
        phase = .connected
        connectionProblem = nil
    }

    /// The connection failed (or could not be opened): start again from the lock, later.
    public mutating func connectionLost(_ problem: String) {
        connectionProblem = problem
        if case .disconnected(let retry) = phase {
            phase = .disconnected(retryMilliseconds: min(max(retry * 2, 100), 5_000))
        } else {
            phase = .disconnected(retryMilliseconds: 100)
        }
        round = Round()
    }

    public mutating func lock(acquired: Bool) {
        phase = acquired ? .locked : .standby
    }

    /// The lock wait ended (woken or timed out): try the lock again.
    public mutating func lockWaitEnded() {
        if phase == .standby { phase = .connected }
    }

    /// `liveTablesCurrent` false: the live generation's tables were made by an earlier
    /// version of the code, which this code must not write; it waits for the rebuild.
    public mutating func prepared(live: Cursor, rebuild: Cursor?, liveTablesCurrent: Bool = true) {
        self.live = live
        self.rebuild = rebuild
        liveTablesOlder = !liveTablesCurrent
        liveFailure = nil
        phase = .leading
        round = Round()
        lastRegistryCheck = nil
    }

    public mutating func advanced(_ target: Target, _ step: Step) {
        switch target {
        case .live:
            round.progressed = Self.move(&live, by: step) || round.progressed
            liveAtHead = step.isAtHead
            round.behindHead = round.behindHead || !step.isAtHead
        case .rebuild:
            round.progressed = Self.move(&rebuild, by: step) || round.progressed
            round.behindHead = round.behindHead || !step.isAtHead
            if let live, let rebuild, rebuild.position >= live.position, step.isAtHead { swapDue = true }
        }
    }

    /// Moves a cursor to where a step reached; true when that is further than before.
    private static func move(_ cursor: inout Cursor?, by step: Step) -> Bool {
        guard var moved = cursor else { return false }
        let further = step.reached > moved.position
        moved.position = step.reached
        if step.stored { moved.saved = step.reached }
        cursor = moved
        return further
    }

    /// Building a generation from scratch failed (nothing was written): it goes page by page.
    public mutating func buildRefused(_ target: Target, reason: String) {
        buildProblem = reason
        if let generation = (target == .live ? live : rebuild)?.generation { refusedBuilds.insert(generation) }
    }

    public mutating func failed(_ target: Target, _ failure: ProjectionFailure) {
        switch target {
        case .live:
            liveFailure = failure
        case .rebuild:
            rebuildFailure = failure
            rebuild = nil
            swapDue = false
        }
    }

    /// Set when the rebuild has caught up with the live generation at the head.
    private var swapDue = false
    /// The live generation's tables are an earlier version's: not advanced, only replaced.
    public private(set) var liveTablesOlder = false

    public mutating func swapped(at now: ContinuousClock.Instant) {
        guard let old = live, let new = rebuild else { return }
        retired = (old.generation, now + tuning.dropDelay)
        live = new
        rebuild = nil
        liveFailure = nil
        liveTablesOlder = false
        swapDue = false
    }

    public mutating func dropped() { retired = nil }

    public mutating func rebuildStarted(generation: Int) {
        rebuild = Cursor(generation: generation, position: 0)
        rebuildFailure = nil
    }

    /// A wait for appends ended; `rebuildAnnounced`: a wake-up said a rebuild was requested.
    public mutating func wokeUp(rebuildAnnounced: Bool) {
        wokeSinceLiveStep = true
        if rebuildAnnounced { registryCheckDue = true }
    }

    public mutating func saved(_ cursors: [Cursor]) {
        for cursor in cursors {
            if live?.generation == cursor.generation { live?.saved = cursor.position }
            if rebuild?.generation == cursor.generation { rebuild?.saved = cursor.position }
        }
    }

    /// Stop after the action in progress (storing the positions reached first).
    public mutating func stop() { stopping = true }

    // MARK: - What the board shows

    public var state: ProjectionStatus.State {
        switch phase {
        case .stopped: .stopped
        case .standby: .standby
        case .disconnected, .connected, .locked: liveFailure != nil ? .failed : .starting
        case .leading: liveFailure != nil ? .failed : liveTablesOlder ? .upgrading : (liveAtHead ? .live : .catchingUp)
        }
    }
}
