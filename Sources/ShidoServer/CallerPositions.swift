import Synchronization

/// The last log position each caller (by uid) wrote through this daemon, so that the
/// caller's next query waits for it by default: read-your-writes across CLI invocations; and
/// the highest of them, a position known to be in the log without asking the database.
///
/// Guarantees: positions only grow; each was acknowledged, so it is durably in the log; kept in memory (a restarted daemon starts with none,
/// and its projections are then past anything written before the restart that they have
/// read; a query can always name `minPosition` itself).
final class CallerPositions: Sendable {
    private let positions = Mutex<(byCaller: [UInt32: Int64], highest: Int64)>(([:], 0))

    func note(_ uid: UInt32, wrote position: Int64?) {
        guard let position else { return }
        positions.withLock { noted in
            noted.byCaller[uid] = max(noted.byCaller[uid] ?? 0, position)
            noted.highest = max(noted.highest, position)
        }
    }

    func last(_ uid: UInt32) -> Int64 { positions.withLock { $0.byCaller[uid] ?? 0 } }

    /// The highest position any caller wrote through this daemon (0 before the first write).
    var highest: Int64 { positions.withLock { $0.highest } }
}
