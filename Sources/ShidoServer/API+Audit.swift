import AuditProofs
import EventStore
import Foundation
import HexEncoding
import Hummingbird
import Logging
import PostgresClient
import Projections
import ShidoAPI
import ShidoJSON
import Synchronization

extension API {
    /// `GET /v1/audit/checkpoint[?size=N]`: the signed checkpoint of the tree at N leaves
    /// (default: as far as the tree has got). One issued before is answered as it was
    /// issued; a new one is signed with the daemon's key and kept.
    func checkpoint(_ request: Request) async throws -> Response {
        let size = try Query(request).integer("size", in: 0...Int64.max)
        return JSONResponse.json(try await proven(size: size, atLeast: 0) { _ in [] }.checkpoint.json)
    }

    /// `GET /v1/audit/proofs/inclusion?position=P|id=UUID[&size=N]`: the event, its chain
    /// link (previous hash and canonical text, so a verifier recomputes its leaf) and the
    /// RFC 9162 audit path to the signed checkpoint of N leaves (default: the latest).
    func inclusionProof(_ request: Request) async throws -> Response {
        let query = Query(request)
        let event = try await provenEvent(position: try query.integer("position", in: 1...Int64.max), id: try query.uuid("id"))
        let size = try query.integer("size", in: 1...Int64.max)
        if let size, event.position > size {
            throw Problem(.notFound, detail: "event \(event.position) is not in the tree of \(size) events; ask for a larger size")
        }
        let (checkpoint, path) = try await proven(size: size, atLeast: event.position) { MerkleProofs.inclusion(leaf: event.position - 1, size: $0) }
        return JSONResponse.json([
            "position": .number(JSONNumber(Int(event.position))), "eventID": .string(event.id.lowercaseText),
            "leafIndex": .number(JSONNumber(Int(event.position - 1))), "size": .number(JSONNumber(Int(checkpoint.size))),
            "previousHash": .string(Hex.encode(event.previousHash)), "hash": .string(Hex.encode(event.hash)),
            "canonicalText": .string(HashChain.canonicalText(event.hashFields)),
            "path": .array(path.map { .string(Hex.encode($0)) }), "checkpoint": checkpoint.json,
        ])
    }

    /// `GET /v1/audit/proofs/consistency?from=M[&to=N]`: the RFC 9162 proof that the tree of
    /// N leaves (default: the latest checkpoint) extends the one of M, with N's checkpoint.
    func consistencyProof(_ request: Request) async throws -> Response {
        let query = Query(request)
        guard let from = try query.integer("from", in: 1...Int64.max) else {
            throw Problem(.badRequest, detail: "from (the older checkpoint's tree size) is required", field: "from")
        }
        let to = try query.integer("to", in: 1...Int64.max)
        if let to, from > to {
            throw Problem(.notFound, detail: "there is no consistency proof from \(from) events to \(to): a tree does not shrink")
        }
        let (checkpoint, proof) = try await proven(size: to, atLeast: from) { MerkleProofs.consistency(oldSize: from, newSize: $0) }
        return JSONResponse.json([
            "from": .number(JSONNumber(Int(from))), "to": .number(JSONNumber(Int(checkpoint.size))),
            "proof": .array(proof.map { .string(Hex.encode($0)) }), "checkpoint": checkpoint.json,
        ])
    }

    // MARK: - Checkpoints

    /// A checkpoint as issued: its note, and the key that signed it.
    struct IssuedCheckpoint {
        let checkpoint: Checkpoint
        let note: String
        let key: String?
        var size: Int64 { checkpoint.size }

        var json: JSONValue {
            [
                "origin": .string(checkpoint.origin), "size": .number(JSONNumber(Int(checkpoint.size))),
                "root": .string(Data(checkpoint.root).base64EncodedString()), "note": .string(note),
                "key": key.map(JSONValue.string) ?? .null,
            ]
        }
    }

    /// The signed checkpoint of `size` leaves (nil: as far as the tree has got, at least
    /// `atLeast`) and the hashes of `ranges` in that tree: read in one job on one connection
    /// (two round trips), waiting for the tree like views wait for their projections. The
    /// checkpoint is signed from what the tree gives and kept by the writer; a kept one of the
    /// same size with another root means the history under it changed, which is logged as an
    /// error (an auditor's `shido audit consistency` shows it). A daemon without the key
    /// answers the one issued for that size, if any.
    private func proven(size asked: Int64?, atLeast: Int64, _ ranges: @escaping @Sendable (Int64) -> [LeafRange]) async throws
        -> (checkpoint: IssuedCheckpoint, hashes: [MerkleTree.Hash])
    {
        let needed = asked ?? atLeast
        let deadline = ContinuousClock.now + views.waitLimit
        while true {
            let read = try await views.reader.withConnection { connection -> (Int64, [MerkleTree.Hash])? in
                guard let tree = try TreeReader.current(on: connection), tree.size >= needed else { return nil }
                let size = asked ?? tree.size
                guard size > 0 else { return (0, [MerkleTree.emptyRoot]) }
                return (size, try tree.hashes(of: [LeafRange(0, size)] + ranges(size), on: connection))
            }
            if let (size, hashes) = read { return (try await checkpoint(size: size, root: hashes[0]), Array(hashes.dropFirst())) }
            let tree = TreeProjection.name
            if views.board.status(tree)?.isLedHere == true, needed > 0 {
                // Ends the projector's gathering, and returns as soon as it has applied the size.
                _ = await views.board.wait(for: [tree], toReach: needed, timeout: .milliseconds(200))
            }
            let head = try await store.head()
            if needed > head.position {
                throw Problem(.notFound, detail: "the log has \(head.position) events, fewer than \(needed): there is no tree of \(needed) leaves")
            }
            guard ContinuousClock.now < deadline else {
                throw Problem(.projectionBehind, detail: "the tree did not reach \(needed) leaves within \(views.waitLimit); see `shido projections status`")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func checkpoint(size: Int64, root: MerkleTree.Hash) async throws -> IssuedCheckpoint {
        guard let signer = info.checkpointSigner else {
            guard let kept = try await views.reader.withConnection({ try Self.keptCheckpoint(size: size, on: $0) }) else {
                throw Problem(.unavailable, detail: "no checkpoint of \(size) leaves was issued, and this daemon holds no checkpoint key to sign one; ask the writer's daemon")
            }
            return IssuedCheckpoint(checkpoint: try Checkpoint(parsing: kept), note: kept, key: nil)
        }
        let checkpoint = Checkpoint(origin: signer.verifier.name, size: size, root: root)
        if let note = checkpoints.note(for: checkpoint) { return IssuedCheckpoint(checkpoint: checkpoint, note: note, key: signer.verifier.text) }
        let note = try signer.sign(checkpoint.text)
        if info.role.isWriter {
            let kept = try await views.reader.withConnection { connection in
                try connection.executeCached(
                    """
                    WITH issued AS (INSERT INTO shido.checkpoints (size, root, note) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING RETURNING root)
                    SELECT root FROM issued UNION ALL SELECT root FROM shido.checkpoints WHERE size = $1 LIMIT 1
                    """, [size, ByteaParameter(root), note]).bytea(0, 0)
            }
            if kept != root {
                Logger(label: "shidod").error("the tree's root of \(size) events differs from the checkpoint issued for \(size) before: the history under it changed")
            }
        }
        checkpoints.remember(checkpoint, note: note)
        return IssuedCheckpoint(checkpoint: checkpoint, note: note, key: signer.verifier.text)
    }

    static func keptCheckpoint(size: Int64, on connection: PostgresConnection) throws -> String? {
        let row = try connection.executeCached("SELECT note FROM shido.checkpoints WHERE size = $1", [size])
        return row.rowCount == 0 ? nil : try row.string(0, 0)
    }

    private func provenEvent(position: Int64?, id: UUID?) async throws -> RecordedEvent {
        var filter = EventFilter()
        switch (position, id) {
        case (nil, nil):
            throw Problem(.notFound, detail: "no event named: give position=P or id=<event id>")
        case (let position, let id):
            // Both given: the event with that id at that position, or none.
            if let position {
                filter.fromPosition = position
                filter.toPosition = position
            }
            filter.eventID = id
        }
        filter.limit = 1
        guard let event = try await store.events(matching: filter).first else {
            let which = [position.map { "at position \($0)" }, id.map { "with id \($0.lowercaseText)" }].compactMap { $0 }.joined(separator: " ")
            throw Problem(.notFound, detail: "no event \(which)")
        }
        return event
    }
}

/// The checkpoints this daemon signed lately (size and root → note), so that proofs against
/// the same tree are not signed and kept again for every request.
///
/// Guarantees: a note is returned only for exactly the checkpoint (origin, size, root) it was signed for; at
/// most `limit` are remembered (the oldest forgotten first).
final class SignedCheckpoints: Sendable {
    private let notes = Mutex<(byCheckpoint: [Checkpoint: String], order: [Checkpoint])>(([:], []))
    private let limit = 64

    func note(for checkpoint: Checkpoint) -> String? {
        notes.withLock { $0.byCheckpoint[checkpoint] }
    }

    func remember(_ checkpoint: Checkpoint, note: String) {
        notes.withLock { notes in
            guard notes.byCheckpoint.updateValue(note, forKey: checkpoint) == nil else { return }
            notes.order.append(checkpoint)
            if notes.order.count > limit { notes.byCheckpoint[notes.order.removeFirst()] = nil }
        }
    }
}
