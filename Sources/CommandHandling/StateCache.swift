import ShidoDomain
import Synchronization

/// The last known state of recently used streams, so that most commands need no read.
///
/// Guarantees: a cached state is only ever a starting point. A decision based on it is
/// appended with the cached version as the expected version, so if anyone else wrote to
/// the stream meanwhile the append fails, the entry is dropped and the command is decided
/// again on the state read from the log. Registrations are never undone, so a cached
/// registered company or engineer stays true. Bounded: when full, it is emptied.
final class StateCache: Sendable {
    private let entries = Mutex<[String: StreamStates.Entry]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ stream: String) -> StreamStates.Entry? { entries.withLock { $0[stream] } }

    func put(_ stream: String, _ entry: StreamStates.Entry) {
        entries.withLock { entries in
            if entries.count >= capacity && entries[stream] == nil { entries.removeAll(keepingCapacity: true) }
            entries[stream] = entry
        }
    }

    func drop(_ stream: String) { _ = entries.withLock { $0.removeValue(forKey: stream) } }
}
