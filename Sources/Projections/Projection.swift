import EventStore
import PostgresClient

/// A read model derived from the log: its tables, and how a stretch of the log changes them.
///
/// Guarantees asked of every conformer: `apply` changes only the tables of its generation's
/// schema (the runner has set `search_path` there), is deterministic (the same events on
/// the same rows give the same rows), and reads nothing of the log outside the range. The
/// runner supplies the transaction and the checkpoint; a projection never commits. When a
/// range fails, the runner applies it again one event of `eventTypes` at a time to find the
/// event at fault.
public protocol Projection: Sendable {
    /// Stable name: the registry key and part of its generations' schema names.
    var name: String { get }
    /// Bumped whenever `apply` or the tables change meaning; a new version rebuilds the
    /// projection in the background on start-up.
    var codeVersion: Int { get }
    /// The first code version whose tables are this code's: a generation made by an earlier
    /// version is neither written by this code nor read by the views' fast forms (it stays
    /// as it is and answers through the general forms until the rebuild replaces it).
    var tablesSince: Int { get }
    /// The DDL creating the tables, run inside the new generation's schema.
    var tableDefinitions: String { get }
    /// Run once on each of the runner's connections before the first range (scratch tables).
    var sessionSetup: String? { get }
    /// Run on the runner's connection outside any transaction after a long range, and after
    /// a few dozen short ones, in a pause of the appends when there is one (vacuuming the
    /// scratch tables that `sessionSetup` made).
    var sessionUpkeep: String? { get }
    /// The event types it reads; a range holding none of them is skipped without a transaction.
    var eventTypes: [String] { get }
    /// Whether it reads every event whatever its type (`eventTypes` is then not consulted).
    var readsEveryEvent: Bool { get }
    /// How long appends may gather between its live steps, when not the runtime's default
    /// (`ProjectionProgress.Tuning.gatherMilliseconds`); a query waiting for it ends the wait.
    var gatherMilliseconds: Int32? { get }
    /// Applies the events of `range` (in global order) inside the runner's transaction.
    func apply(_ range: LogRange, on connection: PostgresConnection) throws
    /// Fills the empty tables of a new generation from the log's start through
    /// `range.through`, inside the runner's transaction, leaving exactly what `apply` over
    /// the same events would. A conformer may do it set-based; the default applies the range.
    func build(_ range: LogRange, on connection: PostgresConnection) throws
}

extension Projection {
    /// Unless a projection says otherwise, every code version may change its tables.
    public var tablesSince: Int { codeVersion }

    public var sessionUpkeep: String? { nil }

    public var readsEveryEvent: Bool { false }

    public var gatherMilliseconds: Int32? { nil }

    public func build(_ range: LogRange, on connection: PostgresConnection) throws { try apply(range, on: connection) }
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
    public static let all: [any Projection] = [DirectoryProjection(), EngagementsProjection(), TreeProjection()]

    public static func named(_ name: String) -> (any Projection)? { all.first { $0.name == name } }
}
