import EventStore
import Synchronization

/// The projections' live positions, shared by their runners and the queries waiting on them.
///
/// Guarantees: a waiter is resumed as soon as every projection it waits for has reached its
/// position here, or when its deadline passes, whichever is first; positions only grow; a
/// projector gathering appends (`gather`) stops gathering as soon as a query waits for it.
public final class ProjectionBoard: Sendable {
    private struct Waiter {
        let names: [String]
        let position: Int64
        let continuation: CheckedContinuation<Bool, Never>
        /// Resumes the waiter with false at its deadline; cancelled when it is resumed sooner.
        var deadline: Task<Void, Never>?
    }

    private struct State {
        var statuses: [String: ProjectionStatus] = [:]
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    /// Raised for a projection when a query starts waiting for it.
    private let demands: [String: Wakeup]

    public init(projections: [any Projection]) {
        demands = Dictionary(projections.map { ($0.name, Wakeup()) }, uniquingKeysWith: { first, _ in first })
        state.withLock { state in
            for projection in projections {
                state.statuses[projection.name] = ProjectionStatus(name: projection.name, codeVersion: projection.codeVersion)
            }
        }
    }

    public var statuses: [ProjectionStatus] {
        state.withLock { $0.statuses.values.sorted { $0.name < $1.name } }
    }

    public func status(_ name: String) -> ProjectionStatus? { state.withLock { $0.statuses[name] } }

    func update(_ name: String, _ change: (inout ProjectionStatus) -> Void) {
        let ready: [Waiter] = state.withLock { state in
            guard var status = state.statuses[name] else { return [] }
            change(&status)
            state.statuses[name] = status
            let reached = state.waiters.filter { _, waiter in Self.reached(waiter.names, waiter.position, in: state.statuses) }
            for key in reached.keys { state.waiters[key] = nil }
            return Array(reached.values)
        }
        for waiter in ready {
            waiter.deadline?.cancel()
            waiter.continuation.resume(returning: true)
        }
    }

    /// Waits until every named projection is at `position` or beyond here; false on timeout.
    public func wait(for names: [String], toReach position: Int64, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let registered: Int? = state.withLock { state in
                if Self.reached(names, position, in: state.statuses) { return nil }
                state.nextWaiter += 1
                state.waiters[state.nextWaiter] = Waiter(names: names, position: position, continuation: continuation)
                return state.nextWaiter
            }
            guard let registered else { return continuation.resume(returning: true) }
            for name in names { demands[name]?.signal() }
            let deadline = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                let expired = self.state.withLock { $0.waiters.removeValue(forKey: registered) }
                expired?.continuation.resume(returning: false)
            }
            // Resumed meanwhile: the deadline has nothing left to do.
            let stillWaiting = state.withLock { state in
                state.waiters[registered]?.deadline = deadline
                return state.waiters[registered] != nil
            }
            if !stillWaiting { deadline.cancel() }
        }
    }

    /// Lets appends gather for the projection `name` for up to `milliseconds`, or less if a
    /// query waits (or starts waiting) for it.
    func gather(_ name: String, milliseconds: Int32) {
        if isAwaited(name) { return }
        demands[name]?.wait(until: .now + .milliseconds(milliseconds))
    }

    /// Whether a query waits for the projection `name`.
    func isAwaited(_ name: String) -> Bool {
        state.withLock { state in state.waiters.values.contains { $0.names.contains(name) } }
    }

    private static func reached(_ names: [String], _ position: Int64, in statuses: [String: ProjectionStatus]) -> Bool {
        names.allSatisfy { (statuses[$0]?.position ?? 0) >= position }
    }
}
