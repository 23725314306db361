import AuditProofs
import Crypto
import Foundation
import HexEncoding
import ShidoJSON
import TestSupport
import Testing

/// The tree, its proofs and signed checkpoints, against an independent RFC 9162
/// implementation and Python's `cryptography` (rfc9162.py beside this file).
@Suite("RFC 9162 proofs and signed checkpoints")
struct MerkleProofTests {
    /// Leaf data like the log's: 32-byte hashes.
    static let leaves: [[UInt8]] = (0..<300).map { Array(SHA256.hash(data: Array("event \($0)".utf8))) }

    /// Every complete subtree of the first `size` leaves, computed bottom-up.
    static func completeNodes(_ size: Int) -> [MerkleNode: MerkleTree.Hash] {
        var nodes: [MerkleNode: MerkleTree.Hash] = [:]
        var level = leaves.prefix(size).map(MerkleTree.leafHash)
        var height = 0
        while !level.isEmpty {
            for (index, hash) in level.enumerated() { nodes[MerkleNode(level: height, index: Int64(index))] = hash }
            level = stride(from: 0, to: level.count - 1, by: 2).map { MerkleTree.nodeHash(level[$0], level[$0 + 1]) }
            height += 1
        }
        return nodes
    }

    static let nodes = completeNodes(300)
    static func hash(_ range: LeafRange) -> MerkleTree.Hash { range.hash { nodes[$0]! } }

    static var inclusionCases: [(Int64, Int64)] {
        var cases = (1...40).flatMap { n in (0..<n).map { (Int64($0), Int64(n)) } }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int64.random(in: 41...300, using: &generator)
            cases.append((Int64.random(in: 0..<n, using: &generator), n))
        }
        return cases
    }

    static var consistencyCases: [(Int64, Int64)] {
        var cases = (1...40).flatMap { n in (1...n).map { (Int64($0), Int64(n)) } }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int64.random(in: 41...300, using: &generator)
            cases.append((Int64.random(in: 1...n, using: &generator), n))
        }
        return cases + [(300, 300), (1, 300), (256, 300), (299, 300)]
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    @Test("roots, inclusion and consistency proofs equal an independent implementation's, for sizes 1 to 300, and verify")
    func matchesIndependentImplementation() throws {
        let inclusion = Self.inclusionCases, consistency = Self.consistencyCases
        let request: JSONValue = [
            "leaves": .array(Self.leaves.map { .string(Self.hex($0)) }),
            "inclusion": .array(inclusion.map { [.number(JSONNumber(Int($0.0))), .number(JSONNumber(Int($0.1)))] }),
            "consistency": .array(consistency.map { [.number(JSONNumber(Int($0.0))), .number(JSONNumber(Int($0.1)))] }),
        ]
        let answer = try IndependentRFC9162.answer(request)
        for size in 1...300 {
            #expect(Self.hex(Self.hash(LeafRange(0, Int64(size)))) == answer["roots"]?["\(size)"]?.stringValue, "root of \(size)")
        }
        for (index, (leaf, size)) in inclusion.enumerated() {
            let path = MerkleProofs.inclusion(leaf: leaf, size: size).map(Self.hash)
            #expect(path.map(Self.hex) == answer["inclusion"]?.arrayValue?[index].arrayValue?.compactMap(\.stringValue), "PATH(\(leaf), \(size))")
            let root = Self.hash(LeafRange(0, size))
            let leafHash = MerkleTree.leafHash(Self.leaves[Int(leaf)])
            #expect(MerkleProofs.verifyInclusion(leaf: leaf, size: size, leafHash: leafHash, path: path, root: root))
            if !path.isEmpty {
                var altered = path
                altered[altered.count / 2][0] ^= 1
                #expect(!MerkleProofs.verifyInclusion(leaf: leaf, size: size, leafHash: leafHash, path: altered, root: root))
            }
            if size > 1 {
                #expect(!MerkleProofs.verifyInclusion(leaf: (leaf + 1) % size, size: size, leafHash: leafHash, path: path, root: root))
            }
        }
        for (index, (old, new)) in consistency.enumerated() {
            let proof = MerkleProofs.consistency(oldSize: old, newSize: new).map(Self.hash)
            #expect(proof.map(Self.hex) == answer["consistency"]?.arrayValue?[index].arrayValue?.compactMap(\.stringValue), "PROOF(\(old), \(new))")
            let oldRoot = Self.hash(LeafRange(0, old)), newRoot = Self.hash(LeafRange(0, new))
            #expect(MerkleProofs.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof))
            if old < new {
                var wrongOld = oldRoot
                wrongOld[0] ^= 1
                #expect(!MerkleProofs.verifyConsistency(oldSize: old, newSize: new, oldRoot: wrongOld, newRoot: newRoot, proof: proof))
                #expect(!MerkleProofs.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: oldRoot, proof: proof))
            }
        }
    }

    @Test("every complete subtree's hash, recomputed from its tile's stored level or the leaves, equals its hash")
    func tilesGiveEveryNode() {
        for (node, expected) in Self.nodes {
            let source = Tiles.source(of: node)
            #expect(Tiles.isStored(level: node.level) == (node.level > 0 && source.level == node.level))
            let inputs: [MerkleTree.Hash] = (source.first...source.last).map { index in
                source.level == 0 ? Self.leaves[Int(index)] : Self.nodes[MerkleNode(level: source.level, index: index)]!
            }
            #expect(source.count <= 1 << Tiles.height && Tiles.hash(of: node, from: inputs) == expected, "node \(node.level)/\(node.index)")
            if Tiles.isStored(level: node.level) {
                let tile = Tiles.tile(below: node)
                let below = (tile.first...tile.last).map { tile.level == 0 ? Self.leaves[Int($0)] : Self.nodes[MerkleNode(level: tile.level, index: $0)]! }
                #expect(Tiles.hash(ofStored: node, fromTileBelow: below) == expected, "stored node \(node.level)/\(node.index) from its tile")
            }
        }
    }

    @Test("hex reads back what it wrote, in either case; anything else is refused")
    func hexText() {
        for bytes in Self.leaves.prefix(20) { #expect(Hex.decode(Hex.encode(bytes)) == bytes) }
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff" && Hex.decode("00ABff") == [0x00, 0xAB, 0xFF])
        for bad in ["0", "0g", "zz", "00 ", "١٢"] { #expect(Hex.decode(bad) == nil, "\(bad)") }
    }

    @Test("a checkpoint signed here verifies here and with Python's cryptography; an altered one does not")
    func signedCheckpoint() throws {
        let signer = try NoteSigner(name: "shido.example/events")
        let checkpoint = Checkpoint(origin: "shido.example/events", size: 300, root: Self.hash(LeafRange(0, 300)))
        let note = try signer.sign(checkpoint.text)
        let verifier = try NoteVerifier(parsing: signer.verifier.text)
        #expect(try Checkpoint(parsing: try verifier.verify(note)) == checkpoint)
        #expect(try NoteSigner(parsing: signer.text).verifier == signer.verifier, "the stored key reads back")

        let signatureLine = try #require(note.split(separator: "\n").last)
        let blob = try #require(Data(base64Encoded: String(signatureLine.split(separator: " ").last!)))
        let answer = try IndependentRFC9162.answer([
            "leaves": [], "inclusion": [], "consistency": [],
            "note": ["text": .string(checkpoint.text), "publicKey": .string(Self.hex(signer.verifier.publicKey)),
                     "signature": .string(Self.hex(Array(blob.dropFirst(4))))],
        ])
        #expect(answer["noteVerifies"] == .bool(true))

        let altered = note.replacingOccurrences(of: "\n300\n", with: "\n301\n")
        #expect(throws: NoteError.self) { try verifier.verify(altered) }
        let stranger = try NoteSigner(name: "shido.example/events")
        #expect(throws: NoteError.self) { try stranger.verifier.verify(note) }
    }
}
