/// Which hashes RFC 9162's proofs carry (as leaf ranges, so that a store of complete
/// subtrees can give them), and how a verifier checks them with nothing but hashes.
///
/// Guarantees: `inclusion` and `consistency` are the RFC's PATH and PROOF (§2.1.3.1,
/// §2.1.4.1), in its order; `verifyInclusion` and `verifyConsistency` are its verification
/// algorithms (§2.1.3.2, §2.1.4.2): they accept exactly the proofs that show the claim.
public enum MerkleProofs {
    /// PATH(m, D[n]): the ranges whose hashes, from the leaf up, lead from leaf `leaf` to the
    /// root of the tree of `size` leaves.
    public static func inclusion(leaf: Int64, size: Int64) -> [LeafRange] {
        precondition(0 <= leaf && leaf < size, "leaf \(leaf) is not in a tree of \(size)")
        return path(leaf, LeafRange(0, size))
    }

    private static func path(_ leaf: Int64, _ range: LeafRange) -> [LeafRange] {
        let n = range.end - range.start
        guard n > 1 else { return [] }
        let k = MerkleTree.split(n)
        let middle = range.start + k
        if leaf - range.start < k { return path(leaf, LeafRange(range.start, middle)) + [LeafRange(middle, range.end)] }
        return path(leaf, LeafRange(middle, range.end)) + [LeafRange(range.start, middle)]
    }

    /// PROOF(m, D[n]): the ranges whose hashes show that the tree of `newSize` leaves extends
    /// the one of `oldSize` (0 < oldSize ≤ newSize).
    public static func consistency(oldSize: Int64, newSize: Int64) -> [LeafRange] {
        precondition(0 < oldSize && oldSize <= newSize, "no consistency proof from \(oldSize) to \(newSize)")
        return subproof(oldSize, LeafRange(0, newSize), whole: true)
    }

    private static func subproof(_ m: Int64, _ range: LeafRange, whole: Bool) -> [LeafRange] {
        let n = range.end - range.start
        if m == n { return whole ? [] : [range] }
        let k = MerkleTree.split(n)
        let middle = range.start + k
        if m <= k { return subproof(m, LeafRange(range.start, middle), whole: whole) + [LeafRange(middle, range.end)] }
        return subproof(m - k, LeafRange(middle, range.end), whole: false) + [LeafRange(range.start, middle)]
    }

    /// RFC 9162 §2.1.3.2.
    public static func verifyInclusion(leaf: Int64, size: Int64, leafHash: MerkleTree.Hash, path: [MerkleTree.Hash], root: MerkleTree.Hash) -> Bool {
        guard 0 <= leaf, leaf < size else { return false }
        var fn = leaf, sn = size - 1
        var r = leafHash
        for p in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = MerkleTree.nodeHash(p, r)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                r = MerkleTree.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2.
    public static func verifyConsistency(
        oldSize: Int64, newSize: Int64, oldRoot: MerkleTree.Hash, newRoot: MerkleTree.Hash, proof: [MerkleTree.Hash]
    ) -> Bool {
        guard 0 < oldSize, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        var proof = proof
        if oldSize & (oldSize - 1) == 0 { proof.insert(oldRoot, at: 0) }
        guard let first = proof.first else { return false }
        var fn = oldSize - 1, sn = newSize - 1
        if fn & 1 == 1 {
            repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 1
        }
        var fr = first, sr = first
        for c in proof.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleTree.nodeHash(c, fr)
                sr = MerkleTree.nodeHash(c, sr)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                sr = MerkleTree.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
