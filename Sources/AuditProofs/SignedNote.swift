import Crypto
import Foundation
import HexEncoding

/// A problem with a note, a key or a checkpoint, said in one line.
public struct NoteError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Verifies C2SP `signed-note` signatures made with one Ed25519 key, and prints the key in
/// the note verifier format (`<name>+<key id>+<base64 of 0x01 and the public key>`).
///
/// Guarantees: the key id is the first four bytes of SHA-256(name, "\n", 0x01, public key);
/// `verify` accepts a note only when a signature line names this key and its Ed25519
/// signature covers the note's text exactly, byte for byte.
public struct NoteVerifier: Sendable, Equatable {
    public let name: String
    public let publicKey: [UInt8]

    public init(name: String, publicKey: [UInt8]) throws {
        guard Self.isValidName(name) else { throw NoteError("a key name must be non-empty and have no spaces or '+': '\(name)'") }
        guard publicKey.count == 32 else { throw NoteError("an Ed25519 public key is 32 bytes, not \(publicKey.count)") }
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses `<name>+<hex key id>+<base64 key>`.
    public init(parsing text: String) throws {
        // The base64 key may hold '+': it is everything after the second separator.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let encoded = Data(base64Encoded: String(parts[2])), encoded.first == 0x01 else {
            throw NoteError("not a note verifier key (<name>+<key id>+<base64 key>): '\(text.prefix(80))'")
        }
        try self.init(name: String(parts[0]), publicKey: Array(encoded.dropFirst()))
        guard String(parts[1]) == Hex.encode(keyID) else { throw NoteError("the verifier key's id \(parts[1]) does not match its name and key") }
    }

    public var keyID: [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0x0A, 0x01] + publicKey)
        return Array(hasher.finalize().prefix(4))
    }

    public var text: String { "\(name)+\(Hex.encode(keyID))+\(Data([0x01] + publicKey).base64EncodedString())" }

    /// The note's text (everything before the blank line that starts the signatures) when a
    /// signature by this key verifies.
    public func verify(_ note: String) throws -> String {
        guard let separator = note.range(of: "\n\n", options: .backwards) else { throw NoteError("not a signed note: no signature block") }
        let text = String(note[..<separator.lowerBound]) + "\n"
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        for line in note[separator.upperBound...].split(separator: "\n") {
            guard line.hasPrefix("\u{2014} ") else { throw NoteError("malformed signature line: '\(line.prefix(80))'") }
            let fields = line.dropFirst(2).split(separator: " ")
            guard fields.count == 2, fields[0] == name, let blob = Data(base64Encoded: String(fields[1])), blob.count == 68,
                  Array(blob.prefix(4)) == keyID
            else { continue }
            if key.isValidSignature(blob.dropFirst(4), for: Data(text.utf8)) { return text }
            throw NoteError("the signature by \(name) does not verify: the note was altered or signed by another key")
        }
        throw NoteError("the note carries no signature by \(name)+\(Hex.encode(keyID))")
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains { $0.isWhitespace || $0 == "+" }
    }

}

/// Signs notes with one Ed25519 key; stored as Go's note package writes a signer key
/// (`PRIVATE+KEY+<name>+<hex key id>+<base64 of 0x01 and the 32-byte seed>`).
///
/// Guarantees: `sign` returns the text, a blank line and one signature line `— <name>
/// <base64 of key id and signature>`, which `verifier` (and any C2SP verifier) accepts.
public struct NoteSigner: Sendable {
    public let verifier: NoteVerifier
    private let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init(name: String) throws {
        key = Curve25519.Signing.PrivateKey()
        verifier = try NoteVerifier(name: name, publicKey: Array(key.publicKey.rawRepresentation))
    }

    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let encoded = Data(base64Encoded: String(parts[4])),
              encoded.first == 0x01, encoded.count == 33
        else { throw NoteError("not a note signer key (PRIVATE+KEY+<name>+<key id>+<base64 seed>)") }
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: encoded.dropFirst())
        verifier = try NoteVerifier(name: String(parts[2]), publicKey: Array(key.publicKey.rawRepresentation))
        guard String(parts[3]) == Hex.encode(verifier.keyID) else { throw NoteError("the signer key's id does not match its name and key") }
    }

    public var text: String {
        "PRIVATE+KEY+\(verifier.name)+\(Hex.encode(verifier.keyID))+\(Data([0x01] + Array(key.rawRepresentation)).base64EncodedString())"
    }

    /// `text` must end with a newline (a note's last line does).
    public func sign(_ text: String) throws -> String {
        guard text.hasSuffix("\n"), !text.contains("\n\n") else { throw NoteError("a note's text ends with one newline and has no blank line") }
        let signature = try key.signature(for: Data(text.utf8))
        return text + "\n\u{2014} \(verifier.name) \(Data(verifier.keyID + Array(signature)).base64EncodedString())\n"
    }
}

/// A C2SP `tlog-checkpoint`: the log's origin, its tree size and its root hash.
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let size: Int64
    public let root: MerkleTree.Hash

    public init(origin: String, size: Int64, root: MerkleTree.Hash) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text: origin, size and base64 root, one per line.
    public var text: String { "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n" }

    /// Parses a checkpoint's text (extension lines after the root are ignored).
    public init(parsing text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, !lines[0].isEmpty, let size = Int64(lines[1]), size >= 0,
              let root = Data(base64Encoded: String(lines[2])), root.count == 32
        else { throw NoteError("not a checkpoint (origin, tree size and base64 root hash, one per line)") }
        self.init(origin: String(lines[0]), size: size, root: Array(root))
    }
}
