import ArgumentParser
import Foundation
import NIOCore
import ShidoClient
import ShidoJSON

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record commands in bulk from an NDJSON file, as you.",
        discussion: """
            One command per line: {"command": "logSession", "engagementID": "case-j", "body": {...}}, \
            where command is registerCompany, updateCompany, registerEngineer, updateEngineer, \
            startEngagement, logSession, reportOutcome, recordExport, completeEngagement, \
            correctEntry or retractEntry and body is what the matching API route takes. \
            A correction or retraction names its entry by event id, or by its own id: \
            "engagementID" on the line and sessionID, outcomeID or tradeID in the body. \
            The file is recorded all or nothing: a refused line is reported with its line number \
            and nothing of the file is recorded; fix it and run the same command again. \
            Re-running a file records only what is missing. Progress on a terminal; a summary at the end.
            """)

    @Argument(help: "The NDJSON file ('-' for standard input).") var file: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Daemon.run {
            let data = try BulkFile.read(file)
            var progress = Progress(total: data.count, noun: "bytes sent")
            let reply = try await Daemon(socketPath: connection.socketPath).send(
                .POST, "/v1/import", contentType: "application/x-ndjson", body: data, onSent: { progress.advance(to: $0) })
            progress.finish()
            let summary = try Daemon.check(reply)
            output.print(
                summary, columns: [.init("lines", .right), .init("commands", .right), .init("already recorded", .right), .init("events written", .right)],
                rows: [[summary[path: "lines"].cell, summary[path: "commands"].cell, summary[path: "unchanged"].cell, summary[path: "events"].cell]])
        }
    }
}

struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Write every event with its metadata, position and hashes as NDJSON (for backup).",
        discussion: "Example: shido dump > events.ndjson; restore with `shido restore events.ndjson` into an empty store.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await Daemon.run {
            let reply = try await ShidoConnection.withConnection(socketPath: connection.socketPath) { daemon in
                try await daemon.send(.GET, "/v1/dump") { buffer in
                    FileHandle.standardOutput.write(Data(buffer.readableBytesView))
                }
            }
            if !reply.isSuccess { _ = try Daemon.check(reply) }
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a dump into an empty store (admin): same positions, metadata and hashes.",
        discussion: "Every link of the hash chain is checked as it goes; a corrupted line is refused with its line number and nothing of its batch is written.")

    @Argument(help: "The NDJSON dump ('-' for standard input).") var file: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Daemon.run {
            let data = try BulkFile.read(file)
            let reply = try await ShidoConnection.withConnection(socketPath: connection.socketPath) { daemon in
                try await daemon.send(.POST, "/v1/restore", contentType: "application/x-ndjson", body: data)
            }
            let summary = try Daemon.check(reply)
            output.print(
                summary, columns: [.init("restored", .right), .init("head hash")],
                rows: [[summary[path: "restored"].cell, summary[path: "head", "hash"].cell]])
        }
    }
}

/// Reading NDJSON files, and reporting line numbers relative to the whole file.
enum BulkFile {
    static func read(_ path: String) throws -> [UInt8] {
        let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
        guard let handle else { throw Failure(message: "cannot read \(path)", code: Exit.rejected) }
        return Array(handle.readDataToEndOfFile())
    }
}

/// A progress bar on stderr, only for a person watching a terminal (and never with NO_COLOR).
struct Progress {
    let total: Int
    let noun: String
    private let visible = Terminal.decorations
    private var shown = false

    init(total: Int, noun: String) {
        self.total = total
        self.noun = noun
    }

    mutating func advance(to done: Int) {
        guard visible, total > 0 else { return }
        shown = true
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(100 * done / total)% \(done)/\(total) \(noun)".utf8))
    }

    mutating func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        shown = false
    }
}
