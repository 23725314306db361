import Crypto

/// RFC 9162 §2.1 Merkle tree hashing over the log: leaf `p - 1` is the event at position
/// `p`, its data the event's 32-byte chain hash; SHA-256 with a 0x00 prefix for leaves and
/// 0x01 for interior nodes; a tree of n leaves splits at the largest power of two below n.
///
/// Guarantees: every hash here is the RFC's, so any RFC 9162 implementation computes the same
/// roots and accepts the same proofs (tested against an independent one in Python).
public enum MerkleTree {
    public typealias Hash = [UInt8]

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyRoot: Hash = Array(SHA256.hash(data: [UInt8]()))

    public static func leafHash(_ data: [UInt8]) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func split(_ n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

/// A complete subtree: the `2^level` leaves from `index << level`.
public struct MerkleNode: Hashable, Sendable, Comparable {
    public let level: Int
    public let index: Int64

    public init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }

    public static func < (a: MerkleNode, b: MerkleNode) -> Bool { (a.level, a.index) < (b.level, b.index) }
}

/// The leaves `[start, end)` of the tree: every hash a proof carries is the hash of such a
/// range, and every range the RFC's recursion makes is a run of complete subtrees.
public struct LeafRange: Hashable, Sendable {
    public let start: Int64
    public let end: Int64

    public init(_ start: Int64, _ end: Int64) {
        self.start = start
        self.end = end
    }

    /// The complete subtrees whose hashes give this range's, largest first: the RFC splits a
    /// range at its largest power of two below its size, and the recursion starts at leaf 0,
    /// so each left part is complete and aligned.
    public var nodes: [MerkleNode] {
        var nodes: [MerkleNode] = []
        var start = self.start
        while start < end {
            let size = end - start
            if size & (size - 1) == 0 {
                nodes.append(MerkleNode(level: size.trailingZeroBitCount, index: start >> size.trailingZeroBitCount))
                break
            }
            let k = MerkleTree.split(size)
            nodes.append(MerkleNode(level: k.trailingZeroBitCount, index: start >> k.trailingZeroBitCount))
            start += k
        }
        return nodes
    }

    /// This range's hash from its complete subtrees' hashes (folded from the right).
    public func hash(_ node: (MerkleNode) throws -> MerkleTree.Hash) rethrows -> MerkleTree.Hash {
        guard start < end else { return MerkleTree.emptyRoot }
        let hashes = try nodes.map(node)
        return hashes.dropLast().reversed().reduce(hashes[hashes.count - 1]) { right, left in MerkleTree.nodeHash(left, right) }
    }
}
