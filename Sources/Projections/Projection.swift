import EventStore
import PostgresClient

/// A read model derived from the log: its tables, and how a page of events changes them.
///
/// Guarantees asked of every conformer: `apply` changes only the tables of `tables`, is
/// deterministic (the same events on the same rows give the same rows), and throws
/// `ProjectionFailure` naming the event it could not apply. The runner supplies the
/// transaction and the checkpoint; a projection never commits.
public protocol Projection: Sendable {
    /// Stable name: the registry key and the prefix of nothing else.
    var name: String { get }
    /// Bumped whenever `apply` or the tables change meaning; a new version rebuilds the
    /// projection in the background on start-up.
    var codeVersion: Int { get }
    /// The logical names of the projection's tables.
    var tableNames: [String] { get }
    /// The DDL creating the tables, with `{table}` placeholders (see `TableSet.sql`).
    var tableDefinitions: String { get }
    /// The event types it reads; the runner skips the rest without decoding them.
    var eventTypes: [String] { get }
    /// Applies events (in global order) to the tables, inside the runner's transaction.
    func apply(_ events: [RecordedEvent], to tables: TableSet, on connection: PostgresConnection) throws
}

/// An event a projection could not apply, and why.
public struct ProjectionFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let position: Int64
    public let eventID: String
    public let message: String

    public init(position: Int64, eventID: String, message: String) {
        self.position = position
        self.eventID = eventID
        self.message = message
    }

    public var description: String { "event \(eventID) at position \(position): \(message)" }
}

/// The projections shido ships, in the order they are started.
public enum ShippedProjections {
    public static let all: [any Projection] = [DirectoryProjection(), EngagementsProjection()]

    public static func named(_ name: String) -> (any Projection)? { all.first { $0.name == name } }
}
