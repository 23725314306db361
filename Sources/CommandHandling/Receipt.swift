import EventStore
import Foundation

/// What one recorded command produced: its stream, and each event's id and global position.
///
/// Guarantees: when `unchanged` is true nothing was written, and `events` are the events
/// recorded earlier that the command repeats (a retry gets the original ids and positions,
/// so it can wait for them like the first answer).
public struct Receipt: Sendable, Hashable {
    public struct Event: Sendable, Hashable {
        public let id: UUID
        public let type: String
        public let position: Int64
        public let streamVersion: Int64

        init(id: UUID, type: String, position: Int64, streamVersion: Int64) {
            self.id = id
            self.type = type
            self.position = position
            self.streamVersion = streamVersion
        }

        /// An event as the log holds it.
        init(_ recorded: RecordedEvent) {
            self.init(id: recorded.id, type: recorded.type, position: recorded.position, streamVersion: recorded.streamVersion)
        }
    }

    public let streamID: String
    public let events: [Event]
    public let unchanged: Bool

    public init(streamID: String, events: [Event], unchanged: Bool = false) {
        self.streamID = streamID
        self.events = events
        self.unchanged = unchanged
    }
}
