/// How the tree is stored: in tiles, as transparency logs store theirs. Only the complete
/// subtrees whose level is a multiple of `height` (4: one stored hash per 16 of the level
/// below) are kept; the leaves are the log's own chain hashes; every other complete subtree
/// is recomputed from at most 16 hashes of the nearest stored level below it. (With 8, a
/// proof at a million events read and hashed ~500 hashes and took 1.9–2.9 ms; with 4, ~75.)
///
/// Guarantees: `source(of:)` names exactly the hashes a node is made of, and `hash(of:from:)`
/// folds them as RFC 9162 does, so a node's hash is the same whether stored or recomputed.
public enum Tiles {
    public static let height = 4

    /// A run of hashes at one level: leaves' data (`level` 0, indexes are leaf indexes) or
    /// stored nodes.
    public struct Source: Hashable, Sendable {
        public let level: Int
        public let first: Int64
        public let last: Int64
        public var count: Int { Int(last - first + 1) }
    }

    /// What a complete node is made of: itself if stored, else the run below it at the nearest
    /// stored level (leaves for the lowest levels).
    public static func source(of node: MerkleNode) -> Source {
        if node.level > 0, node.level % height == 0 { return Source(level: node.level, first: node.index, last: node.index) }
        let base = node.level - node.level % height
        let span = node.level - base
        return Source(level: base, first: node.index << span, last: ((node.index + 1) << span) - 1)
    }

    /// The run a node is computed from when it is stored: the `2^height` hashes of the stored
    /// level below it (the leaves under level `height`).
    public static func tile(below node: MerkleNode) -> Source {
        precondition(isStored(level: node.level), "level \(node.level) is not stored")
        let base = node.level - height
        return Source(level: base, first: node.index << height, last: ((node.index + 1) << height) - 1)
    }

    /// Whether the tree stores nodes of this level.
    public static func isStored(level: Int) -> Bool { level > 0 && level % height == 0 }

    /// The node's hash from its source's hashes, in order (leaf data for level 0).
    public static func hash(of node: MerkleNode, from inputs: [MerkleTree.Hash]) -> MerkleTree.Hash {
        fold(inputs, at: source(of: node))
    }

    /// A stored node's hash from the tile below it (`tile(below:)`), in order.
    public static func hash(ofStored node: MerkleNode, fromTileBelow inputs: [MerkleTree.Hash]) -> MerkleTree.Hash {
        fold(inputs, at: tile(below: node))
    }

    /// The root of the perfect subtree over a source's hashes.
    private static func fold(_ inputs: [MerkleTree.Hash], at source: Source) -> MerkleTree.Hash {
        precondition(inputs.count == source.count, "\(source.count) hashes expected at level \(source.level), got \(inputs.count)")
        var level = source.level == 0 ? inputs.map(MerkleTree.leafHash) : inputs
        while level.count > 1 {
            level = stride(from: 0, to: level.count, by: 2).map { MerkleTree.nodeHash(level[$0], level[$0 + 1]) }
        }
        return level[0]
    }
}
