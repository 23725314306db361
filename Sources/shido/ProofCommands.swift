import ArgumentParser
import AuditProofs
import Crypto
import Foundation
import HexEncoding
import ShidoAPI
import ShidoJSON

/// Where an auditor's key comes from: the line `shidod key show` prints, saved in a file.
struct KeyOption: ParsableArguments {
    @Option(help: ArgumentHelp("A file holding the checkpoint key (the line `shidod key show` prints). The proof is checked with it here, not by the daemon.", valueName: "file"))
    var key: String

    func verifier() throws -> NoteVerifier {
        guard let text = try? String(contentsOfFile: key, encoding: .utf8) else { throw Failure(message: "cannot read key file \(key)", code: Exit.usage) }
        do { return try NoteVerifier(parsing: text) } catch { throw Failure(message: "\(key): \(error)", code: Exit.usage) }
    }
}

/// The checks the CLI makes itself on what the daemon sends: signatures with the auditor's
/// key, leaves recomputed from the events' chain links, proofs by RFC 9162's algorithms.
enum ProofCheck {
    struct Refused: Error { let verdict: String }

    /// The checkpoint a reply carries, verified with `verifier`.
    static func checkpoint(_ json: JSONValue, _ verifier: NoteVerifier) throws -> Checkpoint {
        guard let note = json["note"]?.stringValue else { throw Refused(verdict: "the reply carries no signed checkpoint") }
        do { return try Checkpoint(parsing: try verifier.verify(note)) } catch { throw Refused(verdict: "the checkpoint: \(error)") }
    }

    static func hashes(_ json: JSONValue?) throws -> [MerkleTree.Hash] {
        try (json?.arrayValue ?? []).map { value in
            guard let text = value.stringValue, let bytes = Hex.decode(text), bytes.count == 32 else { throw Refused(verdict: "a proof hash is not 32 bytes of hex") }
            return bytes
        }
    }

    static func inclusion(_ reply: JSONValue, asked: String, _ verifier: NoteVerifier) throws -> String {
        let checkpoint = try checkpoint(reply["checkpoint"] ?? .null, verifier)
        guard let position = reply["position"]?.numberValue?.int64Value, let id = reply["eventID"]?.stringValue,
              let text = reply["canonicalText"]?.stringValue, let previous = reply["previousHash"]?.stringValue.flatMap(Hex.decode)
        else { throw Refused(verdict: "the reply lacks the event's chain link") }
        guard asked == id || asked == String(position) else { throw Refused(verdict: "the daemon answered for another event (\(id) at \(position))") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines[1] == String(position), lines[2] == id else {
            throw Refused(verdict: "the event's canonical text names another position or id")
        }
        let leaf = Array(SHA256.hash(data: previous + Array(text.utf8)))
        let path = try hashes(reply["path"])
        guard MerkleProofs.verifyInclusion(leaf: position - 1, size: checkpoint.size, leafHash: MerkleTree.leafHash(leaf), path: path, root: checkpoint.root) else {
            throw Refused(verdict: "NOT verified: event \(id) at position \(position) does not hash into the tree of \(checkpoint.size) events signed by \(verifier.name)")
        }
        return "verified: event \(id) at position \(position) is in the log of \(checkpoint.size) events signed by \(verifier.name) (root \(Data(checkpoint.root).base64EncodedString()))"
    }

    static func consistency(_ reply: JSONValue, old: Checkpoint, _ verifier: NoteVerifier) throws -> String {
        let new = try checkpoint(reply["checkpoint"] ?? .null, verifier)
        guard new.origin == old.origin else { throw Refused(verdict: "the checkpoints are of different logs (\(old.origin), \(new.origin))") }
        guard reply["from"]?.numberValue?.int64Value == old.size else { throw Refused(verdict: "the daemon proved from another size") }
        guard MerkleProofs.verifyConsistency(oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: try hashes(reply["proof"])) else {
            throw Refused(verdict: "NOT verified: the log of \(new.size) events does not extend the checkpoint of \(old.size) events "
                + "(root \(Data(old.root).base64EncodedString())): its first \(old.size) events are no longer the ones that checkpoint signed")
        }
        return "verified: the log of \(new.size) events extends the checkpoint of \(old.size) events (both signed by \(verifier.name))"
    }

    /// Prints the verdict (or the reply as JSON) and fails with exit 65 when refused.
    static func report(_ reply: JSONValue, _ output: OutputOptions, _ check: () throws -> String) throws {
        let verdict: Result<String, Refused> = Result { try check() }.mapError { $0 as? Refused ?? Refused(verdict: "\($0)") }
        switch output.format {
        case .json: Terminal.out(reply.canonicalText + "\n")
        case .table, .csv: if case .success(let line) = verdict { Terminal.out(line + "\n") }
        }
        if case .failure(let refused) = verdict { throw Failure(message: refused.verdict, code: Exit.rejected) }
    }
}

extension AuditCommand {
    struct CheckpointCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Print the signed checkpoint of the log's Merkle tree (size and root hash).",
            discussion: """
                A C2SP signed note: origin, tree size, base64 root, then the daemon's Ed25519 signature. \
                Keep it: `shido audit consistency FILE` proves later that the log still extends it. \
                With --key the signature is checked here.
                Example: shido audit checkpoint > checkpoint-2026-12-06.txt
                """)

        @Option(help: "The tree of this many events (default: the whole log as the tree has it).") var size: Int64?
        @Option(help: ArgumentHelp("Check the signature with the key in this file.", valueName: "file")) var key: String?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/audit/checkpoint" + (size.map { "?size=\($0)" } ?? ""))
                if let key {
                    _ = try ProofCheck.checkpoint(reply, try KeyOption.parse(["--key", key]).verifier())
                }
                switch output.format {
                case .json: Terminal.out(reply.canonicalText + "\n")
                case .table, .csv: Terminal.out(reply["note"]?.stringValue ?? "")
                }
            }
        }
    }

    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that an event is in the log, and check the proof here.",
            discussion: """
                The daemon sends the event's chain link and an RFC 9162 inclusion proof to a signed \
                checkpoint; this command recomputes the event's leaf, checks the path to the root and \
                the checkpoint's signature with your key, and prints one line: verified (exit 0) or \
                not (exit 65). -o json prints the proof for other verifiers.
                Example: shido audit prove 42 --key shido.pub
                """)

        @Argument(help: "An event id, or a position.") var event: String
        @Option(help: "Against the checkpoint of this many events (default: the latest).") var size: Int64?
        @OptionGroup var key: KeyOption
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let verifier = try key.verifier()
            let which: String
            if let id = UUID(uuidString: event) {
                which = "id=\(id.uuidString.lowercased())"
            } else if let position = Int64(event), position > 0 {
                which = "position=\(position)"
            } else {
                throw ValidationError("'\(event)' is neither an event id nor a position")
            }
            let asked = UUID(uuidString: event)?.uuidString.lowercased() ?? event
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath)
                    .call(.GET, "/v1/audit/proofs/inclusion?\(which)" + (size.map { "&size=\($0)" } ?? ""))
                try ProofCheck.report(reply, output) { try ProofCheck.inclusion(reply, asked: asked, verifier) }
            }
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that the log still extends a checkpoint you kept, and check the proof here.",
            discussion: """
                Reads a signed checkpoint saved earlier (`shido audit checkpoint > FILE`), checks its \
                signature with your key, asks the daemon for an RFC 9162 consistency proof to the \
                latest checkpoint, and checks that too: verified (exit 0) or not (exit 65, naming the \
                checkpoint the log no longer extends).
                Example: shido audit consistency checkpoint-2026-12-06.txt --key shido.pub
                """)

        @Argument(help: ArgumentHelp("A checkpoint file.", valueName: "file")) var checkpoint: String
        @OptionGroup var key: KeyOption
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let verifier = try key.verifier()
            guard let note = try? String(contentsOfFile: checkpoint, encoding: .utf8) else {
                throw Failure(message: "cannot read checkpoint file \(checkpoint)", code: Exit.usage)
            }
            let old: Checkpoint
            do { old = try Checkpoint(parsing: try verifier.verify(note)) } catch {
                throw Failure(message: "\(checkpoint): \(error)", code: Exit.rejected)
            }
            guard old.size > 0 else { throw Failure(message: "the empty log's checkpoint is extended by every log", code: Exit.ok) }
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/audit/proofs/consistency?from=\(old.size)")
                try ProofCheck.report(reply, output) { try ProofCheck.consistency(reply, old: old, verifier) }
            }
        }
    }
}
