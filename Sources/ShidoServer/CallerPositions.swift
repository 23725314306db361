import Synchronization

/// The last log position each caller (by uid) wrote through this daemon, so that the
/// caller's next query waits for it by default: read-your-writes across CLI invocations.
///
/// Guarantees: positions only grow; kept in memory (a restarted daemon starts with none,
/// and its projections are then past anything written before the restart that they have
/// read; a query can always name `minPosition` itself).
final class CallerPositions: Sendable {
    private let positions = Mutex<[UInt32: Int64]>([:])

    func note(_ uid: UInt32, wrote position: Int64?) {
        guard let position else { return }
        positions.withLock { $0[uid] = max($0[uid] ?? 0, position) }
    }

    func last(_ uid: UInt32) -> Int64 { positions.withLock { $0[uid] ?? 0 } }
}
