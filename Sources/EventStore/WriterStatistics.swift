import Synchronization

/// Counters of the group-commit writer since the store was opened.
///
/// Guarantees: monotonic; `events / commits` is the mean group size; the phase times are
/// wall-clock time spent on the writer thread in each step of a commit.
public struct WriterStatistics: Sendable, Hashable {
    public var commits = 0
    public var requests = 0
    public var events = 0
    public var openNanoseconds: Int64 = 0
    public var planNanoseconds: Int64 = 0
    public var copyNanoseconds: Int64 = 0
    public var commitNanoseconds: Int64 = 0

    public init() {}

    public var meanEventsPerCommit: Double { commits == 0 ? 0 : Double(events) / Double(commits) }
}

/// Accumulates phase timings for one commit, then folds them into the shared counters.
struct CommitTimer {
    private var last = ContinuousClock.now
    private(set) var phases: [Int64] = []

    mutating func lap() {
        let now = ContinuousClock.now
        let elapsed = now - last
        phases.append(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        last = now
    }
}

extension Mutex where Value == WriterStatistics {
    func record(_ timer: CommitTimer, requests: Int, events: Int) {
        guard timer.phases.count == 4 else { return }
        withLock { stats in
            stats.commits += 1
            stats.requests += requests
            stats.events += events
            stats.openNanoseconds += timer.phases[0]
            stats.planNanoseconds += timer.phases[1]
            stats.copyNanoseconds += timer.phases[2]
            stats.commitNanoseconds += timer.phases[3]
        }
    }
}
