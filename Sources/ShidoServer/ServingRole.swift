import Foundation
import Synchronization

/// Whether this daemon writes (its database is a primary) or only reads (its database is a
/// hot standby in recovery), and what it last saw of the replication it reads from.
///
/// Guarantees: a reader becomes the writer once, when its database leaves recovery (a
/// promotion), never the other way; whoever waits for the writer role (`untilWriter`) is
/// resumed then, or when its task is cancelled.
public final class ServingRole: Sendable {
    /// What a reader knows of its replica.
    public struct Replica: Sendable, Hashable {
        /// Where writes go, as configured (`--primary`), for refusals and the status.
        public var writesGoTo: String?
        /// The server the standby streams from, as its WAL receiver reports it.
        public var following: String?
        /// WAL received but not yet replayed.
        public var replayLagBytes: Int64?
        /// Time since the last replayed transaction committed on the primary (nil before any).
        public var replayLagSeconds: Double?
        /// Whether the standby is streaming from its primary right now.
        public var streaming = false

        public init(writesGoTo: String?) { self.writesGoTo = writesGoTo }
    }

    private struct State {
        var replica: Replica?
        var promotedAt: Date?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>

    /// `replica` nil: the writer.
    public init(replica: Replica?) { state = Mutex(State(replica: replica)) }

    public var replica: Replica? { state.withLock { $0.replica } }
    public var isWriter: Bool { replica == nil }
    /// When this daemon stopped being a reader (its database was promoted), if it did.
    public var promotedAt: Date? { state.withLock { $0.promotedAt } }

    /// Changes what a reader knows of its replica (nothing, on the writer).
    public func update(_ change: (inout Replica) -> Void) {
        state.withLock { state in
            guard var replica = state.replica else { return }
            change(&replica)
            state.replica = replica
        }
    }

    /// The database left recovery: this daemon is the writer from now on. False if it was already.
    @discardableResult
    public func promote() -> Bool {
        let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
            guard state.replica != nil else { return nil }
            state.replica = nil
            state.promotedAt = Date()
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters?.forEach { $0.resume() }
        return waiters != nil
    }

    /// Returns once this daemon is the writer, or when the calling task is cancelled.
    public func untilWriter() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.replica == nil || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
