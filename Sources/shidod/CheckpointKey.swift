import ArgumentParser
import AuditProofs
import Foundation
import Glibc

/// The Ed25519 key that signs the tree's checkpoints: read from its file, or made there on
/// first use (mode 0600, in Go's note signer format), named by `checkpoint-origin`.
///
/// Guarantees: an existing file is never overwritten; a file others may read is refused (the
/// key would sign checkpoints for whoever read it).
enum CheckpointKey {
    static func load(_ settings: DaemonSettings, create: Bool) throws -> NoteSigner? {
        let path = settings.checkpointKeyPath
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                throw ValidationError("checkpoint key \(path) may be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
            do { return try NoteSigner(parsing: text) } catch {
                throw ValidationError("checkpoint key \(path): \(error)")
            }
        }
        guard create else { return nil }
        let signer = try NoteSigner(name: settings.checkpointOrigin)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw ValidationError("cannot create checkpoint key \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = Array((signer.text + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw ValidationError("cannot write checkpoint key \(path)") }
        return signer
    }
}

/// `shidod key show`: the public key that verifies this daemon's checkpoints.
struct Key: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the key that signs the tree's checkpoints.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the checkpoint key's public half in the note verifier format (made on first use).",
            discussion: "Give it to auditors: `shido audit prove`, `consistency` and `checkpoint --key FILE` verify with it.")

        @OptionGroup var options: DaemonOptions

        func run() async throws {
            guard let signer = try CheckpointKey.load(try options.resolve(), create: true) else { return }
            print(signer.verifier.text)
        }
    }
}
