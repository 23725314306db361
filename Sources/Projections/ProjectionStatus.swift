/// One projection as the daemon running it sees it.
///
/// Guarantees: `position` is a committed checkpoint of the generation queries read (never
/// ahead of what the tables hold); `failure` names the event the projection stopped at.
public struct ProjectionStatus: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable {
        /// Connecting, or waiting for the database.
        case starting
        /// Applying a backlog in large pages.
        case catchingUp = "catching-up"
        /// At the head, woken by each append.
        case live
        /// Another daemon runs it (it holds the projection's lock).
        case standby
        /// Its tables were made by an earlier version of the code: they stay as they are and
        /// answer (through the views' general forms) until the rebuild replaces them.
        case upgrading
        /// Stopped at an event it could not apply; see `failure`.
        case failed
        case stopped
    }

    public let name: String
    public let codeVersion: Int
    public var state: State = .starting
    public var generation = 0
    public var position: Int64 = 0
    /// The generation being rebuilt and its position, while a rebuild runs.
    public var rebuildGeneration: Int?
    public var rebuildPosition: Int64?
    public var failure: ProjectionFailure?
    /// Why the last connection attempt failed, while it cannot reach the database.
    public var connectionProblem: String?
    /// Why the last build from scratch failed, when it did (the generation went page by page).
    public var buildProblem: String?

    public init(name: String, codeVersion: Int) {
        self.name = name
        self.codeVersion = codeVersion
    }

    /// Whether this daemon applies the projection (so its position here is current).
    public var isLedHere: Bool { state == .catchingUp || state == .live || state == .failed }
}
