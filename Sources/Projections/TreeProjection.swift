import AuditProofs
import EventStore
import PostgresClient

/// The Merkle tree over the log (RFC 9162), kept in tiles (`Tiles`): every complete subtree
/// whose level is a multiple of 4, so that any root or proof costs under a hundred hashes read
/// in one round trip (`TreeReader`), and keeping up costs one row per 16 events.
///
/// Guarantees: after a range is applied, `tree_nodes` holds every stored-level node whose
/// leaves all lie at or before the range's end; it reads every event (a leaf per position,
/// whatever its type); the tree is a projection like the views, so it follows the log closely
/// (its nodes commit with its checkpoint: a crash loses or repeats nothing) and a changed
/// definition rebuilds it in the background.
public struct TreeProjection: Projection {
    public init() {}

    /// The registry key, for those that read the tree without running it.
    public static let name = "tree"
    public var name: String { Self.name }
    public let codeVersion = 1
    public let eventTypes: [String] = []
    public let readsEveryEvent = true
    /// Nobody reads the tree in the moment an event lands (a proof or checkpoint request waits
    /// for it, and ends the wait): steps gather up to 50 ms of appends, so a step's fixed cost
    /// (a transaction, its checkpoint) is spread over hundreds of events under load.
    public let gatherMilliseconds: Int32? = 50
    public var tableDefinitions: String { ProjectionSQL.text("tree_tables") }
    public let sessionSetup: String? = nil

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        var level = Tiles.height
        // Node (level, i) is new when after < (i + 1) * 2^level <= through.
        while level < 63, range.after >> level <= (range.through >> level) - 1 {
            let completed = (range.after >> level)...((range.through >> level) - 1)
            let nodes = completed.map { MerkleNode(level: level, index: $0) }
            let inputs = try TreeStore.hashes(of: nodes.map(Tiles.tile(below:)), on: connection)
            let hashes = nodes.map { node in Tiles.hash(ofStored: node, fromTileBelow: inputs[Tiles.tile(below: node)]!) }
            try connection.executeCached(ProjectionSQL.text("tree_add_nodes"), [
                Int32(level), BinaryArrayParameter(.int8, nodes) { $0.int64($1.index) }, BinaryArrayParameter(.bytea, hashes) { $0.bytea($1) },
            ])
            level += Tiles.height
        }
    }

    /// From scratch in slices of 65,536 positions, so that a long log's leaves are never
    /// all in memory at once.
    public func build(_ range: LogRange, on connection: PostgresConnection) throws {
        var after = range.after
        while after < range.through {
            let through = min(range.through, after + 65_536)
            try apply(LogRange(after: after, through: through), on: connection)
            after = through
        }
    }
}

/// Reads runs of tree hashes: leaves' data from the log, stored nodes from a generation's
/// `tree_nodes`; both in one pipelined round trip.
enum TreeStore {
    /// `schema`: the generation to read (nil: the one `search_path` names, as in the runner's
    /// transaction). Its `set_config` and both reads share the pipeline's implicit transaction.
    static func hashes(of sources: [Tiles.Source], schema: GenerationSchema? = nil, on connection: PostgresConnection) throws
        -> [Tiles.Source: [MerkleTree.Hash]]
    {
        let leaves = Array(Set(sources.filter { $0.level == 0 }))
        let stored = Array(Set(sources.filter { $0.level > 0 }))
        var statements: [PipelineStatement] = []
        if let schema { statements.append(PipelineStatement("SELECT set_config('search_path', $1, true)", [GenerationSchema.searchPathValue([schema])])) }
        let first = statements.count
        statements.append(PipelineStatement(ProjectionSQL.text("tree_leaves"), [
            BinaryArrayParameter(.int8, leaves) { $0.int64($1.first + 1) }, BinaryArrayParameter(.int8, leaves) { $0.int64($1.last + 1) },
        ]))
        statements.append(PipelineStatement(ProjectionSQL.text("tree_nodes"), [
            ArrayParameter(stored.map { Int32($0.level) }), BinaryArrayParameter(.int8, stored) { $0.int64($1.first) },
            BinaryArrayParameter(.int8, stored) { $0.int64($1.last) },
        ]))
        let results = try connection.pipeline(statements)
        var found: [Tiles.Source: [MerkleTree.Hash]] = [:]
        let leafRows = results[first]
        var byPosition: [Int64: MerkleTree.Hash] = [:]
        for row in 0..<leafRows.rowCount { byPosition[try leafRows.int64(row, 0)] = try leafRows.bytea(row, 1) }
        for source in leaves { found[source] = try collect(source) { byPosition[$0 + 1] } }
        let nodeRows = results[first + 1]
        var byNode: [MerkleNode: MerkleTree.Hash] = [:]
        for row in 0..<nodeRows.rowCount {
            byNode[MerkleNode(level: try nodeRows.int(row, 0), index: try nodeRows.int64(row, 1))] = try nodeRows.bytea(row, 2)
        }
        for source in stored { found[source] = try collect(source) { byNode[MerkleNode(level: source.level, index: $0)] } }
        return found
    }

    private static func collect(_ source: Tiles.Source, _ lookUp: (Int64) -> MerkleTree.Hash?) throws -> [MerkleTree.Hash] {
        try (source.first...source.last).map { index in
            guard let hash = lookUp(index) else {
                throw PostgresError(kind: .decoding, message: "the tree lacks level \(source.level) index \(index)")
            }
            return hash
        }
    }
}
