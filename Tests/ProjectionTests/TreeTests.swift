import AuditProofs
import EventStore
import Foundation
import HexEncoding
import PostgresClient
@testable import Projections
import ShidoJSON
import TestSupport
import Testing

/// The tree projection over a log past two stored levels (65,536 leaves fill a level-16
/// node), built at once and then kept up append by append, against an independent RFC 9162
/// implementation (Tests/AuditProofsTests/rfc9162.py).
@Suite("The Merkle tree over 100,000 events")
struct TreeTests {
    @Test("built at once, then kept up append by append: roots and random proofs at 100k equal an independent implementation's")
    func hundredThousand() async throws {
        let setup = try await ProgramFixture.make("tree_100k", projections: [TreeProjection()], start: false)
        try await Backlog.write(to: setup.store, engagements: 10, entries: 99_700)
        setup.service.start()
        try await Self.caughtUp(setup)
        for number in 0..<290 {
            _ = try await setup.store.append([Backlog.start(100 + number)], to: "engagement-bulk-\(100 + number)", expecting: .any)
        }
        let head = try await Self.caughtUp(setup)
        #expect(head == 100_000)

        let leaves = try await offPool {
            let connection = try PostgresConnection(setup.superuser)
            defer { connection.close() }
            let rows = try connection.execute("SELECT encode(hash, 'hex') FROM shido.events ORDER BY position")
            return try (0..<rows.rowCount).map { try rows.string($0, 0) }
        }
        var generator = SystemRandomNumberGenerator()
        let sizes: [Int64] = [65_535, 65_536, 65_537, 99_710, 100_000] + (0..<3).map { _ in Int64.random(in: 1...100_000, using: &generator) }
        let inclusion: [(Int64, Int64)] = sizes.map { (Int64.random(in: 0..<$0, using: &generator), $0) }
        let consistency: [(Int64, Int64)] = sizes.map { (Int64.random(in: 1...$0, using: &generator), $0) } + [(65_536, 100_000), (256, 99_710)]
        let expected = try IndependentRFC9162.answer([
            "leaves": .array(leaves.map(JSONValue.string)), "rootSizes": .array(sizes.map { .number(JSONNumber(Int($0))) }),
            "inclusion": .array(inclusion.map { [.number(JSONNumber(Int($0.0))), .number(JSONNumber(Int($0.1)))] }),
            "consistency": .array(consistency.map { [.number(JSONNumber(Int($0.0))), .number(JSONNumber(Int($0.1)))] }),
        ])
        let (roots, paths, proofs) = try await offPool {
            let connection = try PostgresConnection(setup.superuser)
            defer { connection.close() }
            let tree = try #require(try TreeReader.current(on: connection))
            let roots = try sizes.map { Self.hex(try tree.root(size: $0, on: connection)) }
            let paths = try inclusion.map { try tree.hashes(of: MerkleProofs.inclusion(leaf: $0.0, size: $0.1), on: connection).map(Self.hex) }
            let proofs = try consistency.map { try tree.hashes(of: MerkleProofs.consistency(oldSize: $0.0, newSize: $0.1), on: connection).map(Self.hex) }
            return (roots, paths, proofs)
        }
        await setup.close()
        for (size, root) in zip(sizes, roots) { #expect(root == expected["roots"]?["\(size)"]?.stringValue, "root of \(size)") }
        for (index, path) in paths.enumerated() {
            #expect(path == expected["inclusion"]?.arrayValue?[index].arrayValue?.compactMap(\.stringValue), "PATH\(inclusion[index])")
        }
        for (index, proof) in proofs.enumerated() {
            #expect(proof == expected["consistency"]?.arrayValue?[index].arrayValue?.compactMap(\.stringValue), "PROOF\(consistency[index])")
        }
    }

    /// Waits until the tree covers the log's head; the head.
    @discardableResult
    static func caughtUp(_ setup: ProgramFixture) async throws -> Int64 {
        let head = try await setup.head()
        let reached = try await RuntimeTests.eventually(.seconds(120)) { (setup.service.board.status("tree")?.position ?? 0) >= head }
        try #require(reached, "the tree reaches the head \(head)")
        return head
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
