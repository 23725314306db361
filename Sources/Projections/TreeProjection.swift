import EventStore
import PostgresClient

/// The Merkle tree over the log (RFC 9162), kept as every complete subtree's hash so that any
/// root and proof costs a few dozen index lookups (`TreeReader`).
///
/// Guarantees: after a range is applied, `tree_nodes` holds exactly the leaves of every
/// position through it and every node whose leaves all are; it reads every event (a leaf per
/// position, whatever its type); the tree is a projection like the views, so it follows the
/// log closely (its transaction commits its nodes with its checkpoint: a crash loses or
/// repeats nothing) and a changed definition rebuilds it in the background.
public struct TreeProjection: Projection {
    public init() {}

    public let name = "tree"
    public let codeVersion = 1
    public let eventTypes: [String] = []
    public let readsEveryEvent = true
    public var tableDefinitions: String { ProjectionSQL.text("tree_tables") }
    public let sessionSetup: String? = nil

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        try connection.executeCached(ProjectionSQL.text("tree_1_leaves"), [range.after, range.through])
        var level: Int64 = 1
        // Node (level, i) is new when after < (i + 1) * 2^level <= through.
        while level < 63, range.after >> level <= (range.through >> level) - 1 {
            try connection.executeCached(
                ProjectionSQL.text("tree_2_level"), [level, range.after >> level, (range.through >> level) - 1])
            level += 1
        }
    }
}
