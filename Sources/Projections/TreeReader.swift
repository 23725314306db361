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
            """, [TreeProjection().name])
        guard row.rowCount == 1 else { return nil }
        return TreeReader(schema: GenerationSchema(projection: TreeProjection().name, generation: try row.int(0, 0)), size: try row.int64(0, 1))
    }

    /// The hash of each range (ranges must lie within `size`).
    public func hashes(of ranges: [LeafRange], on connection: PostgresConnection) throws -> [MerkleTree.Hash] {
        precondition(ranges.allSatisfy { $0.end <= size }, "a range beyond the tree's \(size) leaves")
        let wanted = Array(Set(ranges.flatMap(\.nodes))).sorted()
        let rows = try connection.executeCached(
            "SELECT n.level, n.index, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS w (level, index) "
                + "JOIN \(schema.name).tree_nodes n ON n.level = w.level AND n.index = w.index",
            [ArrayParameter(wanted.map { Int32($0.level) }), ArrayParameter(wanted.map(\.index))])
        var found: [MerkleNode: MerkleTree.Hash] = [:]
        for row in 0..<rows.rowCount {
            found[MerkleNode(level: try rows.int(row, 0), index: try rows.int64(row, 1))] = try rows.bytea(row, 2)
        }
        return try ranges.map { range in
            try range.hash { node in
                guard let hash = found[node] else {
                    throw PostgresError(kind: .decoding, message: "the tree has no node \(node.level)/\(node.index) below its size \(size)")
                }
                return hash
            }
        }
    }

    public func root(size: Int64, on connection: PostgresConnection) throws -> MerkleTree.Hash {
        size == 0 ? MerkleTree.emptyRoot : try hashes(of: [LeafRange(0, size)], on: connection)[0]
    }
}
