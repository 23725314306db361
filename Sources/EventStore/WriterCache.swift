import Foundation

/// What the writer remembers between commits, so that a commit need not ask PostgreSQL for
/// every stream's version.
///
/// Guarantees: the cached versions are used only while the head read under the writer lock
/// equals the head this writer itself last committed, i.e. while nobody else has written;
/// otherwise (another daemon wrote, a commit failed, the store just started) the cache is
/// dropped and versions come from the database. Even a stale entry could not write wrong
/// data: it shows up as a version conflict or as a collision on the unique
/// (stream_id, stream_version) index, and both make the writer replan from the database.
/// Lives on the writer thread only.
final class WriterCache {
    private(set) var knownHead: Int64?
    private(set) var knownHash: [UInt8]?
    private var lastRecordedAtMicros: Int64 = 0
    private(set) var versions: [String: Int64] = [:]
    private let capacity: Int

    init(capacity: Int = 200_000) { self.capacity = capacity }

    /// The streams whose versions must be read, assuming the cache is still valid.
    func uncached(_ streams: [String]) -> [String] {
        knownHead == nil ? streams : streams.filter { versions[$0] == nil }
    }

    func isValid(forHead head: Int64) -> Bool { knownHead == head }

    func committed(head: Int64, hash: [UInt8], versions updated: [String: Int64]) {
        if versions.count + updated.count > capacity { versions.removeAll(keepingCapacity: true) }
        versions.merge(updated) { _, new in new }
        knownHead = head
        knownHash = hash
    }

    func invalidate() {
        knownHead = nil
        knownHash = nil
        versions.removeAll(keepingCapacity: true)
    }

    /// The time to stamp on the next group (µs since 1970, UTC): the writer's clock, never
    /// earlier than the previous group's, so `recorded_at` does not go backwards along the log.
    func nextTimestamp() -> Int64 {
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        lastRecordedAtMicros = max(now, lastRecordedAtMicros)
        return lastRecordedAtMicros
    }
}
