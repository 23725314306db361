import AuditProofs
import PostgresClient

/// Roots and proof hashes from the tree projection's live generation (`TreeProjection`).
///
/// Guarantees: a size is answered only up to the tree's stored checkpoint, where every
/// complete subtree is present; each hash is computed from the stored complete subtrees
/// exactly as RFC 9162 defines the range's hash; all of one answer is read in one round trip.
public struct TreeReader: Sendable {
    /// The live generation's schema, and how many leaves its nodes cover.
    public let schema: GenerationSchema
    public let size: Int64

    /// The tree as it stands (never beyond the log's head, even if the log lost its tail
    /// under the tree), or nil while the projection has not started on this database.
    public static func current(on connection: PostgresConnection) throws -> TreeReader? {
        let row = try connection.executeCached(
            """
            SELECT p.generation, least(c.position, (SELECT coalesce(max(position), 0) FROM shido.events)) FROM shido.projections p
            JOIN shido.projection_checkpoints c ON c.name = p.name AND c.generation = p.generation
            WHERE p.name = $1
            """, [TreeProjection.name])
        guard row.rowCount == 1 else { return nil }
        return TreeReader(schema: GenerationSchema(projection: TreeProjection.name, generation: try row.int(0, 0)), size: try row.int64(0, 1))
    }

    /// The hash of each range (ranges must lie within `size`).
    public func hashes(of ranges: [LeafRange], on connection: PostgresConnection) throws -> [MerkleTree.Hash] {
        precondition(ranges.allSatisfy { $0.end <= size }, "a range beyond the tree's \(size) leaves")
        let nodes = Array(Set(ranges.flatMap(\.nodes)))
        let inputs = try TreeStore.hashes(of: nodes.map(Tiles.source(of:)), schema: schema, on: connection)
        var hashes: [MerkleNode: MerkleTree.Hash] = [:]
        for node in nodes { hashes[node] = Tiles.hash(of: node, from: inputs[Tiles.source(of: node)]!) }
        return ranges.map { range in range.hash { hashes[$0]! } }
    }

    public func root(size: Int64, on connection: PostgresConnection) throws -> MerkleTree.Hash {
        size == 0 ? MerkleTree.emptyRoot : try hashes(of: [LeafRange(0, size)], on: connection)[0]
    }
}
