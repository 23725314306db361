import Foundation

/// What one recorded command produced: its stream, and each event's id and global position.
///
/// Guarantees: `events` is empty exactly when `unchanged` is true (the command repeated
/// what the log already holds, so nothing was written).
public struct Receipt: Sendable, Hashable {
    public struct Event: Sendable, Hashable {
        public let id: UUID
        public let type: String
        public let position: Int64
        public let streamVersion: Int64
    }

    public let streamID: String
    public let events: [Event]
    public var unchanged: Bool { events.isEmpty }

    public init(streamID: String, events: [Event]) {
        self.streamID = streamID
        self.events = events
    }
}
