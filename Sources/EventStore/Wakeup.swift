import Foundation
import Synchronization

/// Parks one thread until another signals it or a deadline passes.
///
/// Guarantees: a signal sent while nobody waits is kept, so the next `wait` returns at once
/// (no lost wake-up between deciding to sleep and sleeping); one wait consumes it.
public final class Wakeup: Sendable {
    private let condition = NSCondition()
    private let signalled = Atomic<Bool>(false)

    public init() {}

    public func signal() {
        condition.lock()
        signalled.store(true, ordering: .relaxed)
        condition.signal()
        condition.unlock()
    }

    /// Returns when signalled, or at `deadline` (nil: no deadline).
    public func wait(until deadline: ContinuousClock.Instant?) {
        condition.lock()
        defer { condition.unlock() }
        while !signalled.load(ordering: .relaxed) {
            guard let deadline else {
                condition.wait()
                continue
            }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { break }
            _ = condition.wait(until: Date(timeIntervalSinceNow: remaining.seconds))
        }
        signalled.store(false, ordering: .relaxed)
    }
}
