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
            A refused line stops the import and is reported with its line number; lines before \
            it stay recorded. Re-running a file records only what is missing. Progress on a \
            terminal; a summary at the end.
            """)

    @Argument(help: "The NDJSON file ('-' for standard input).") var file: String
    @Option(help: "Lines sent per request.") var batchLines = 5_000
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Daemon.run {
            let data = try BulkFile.read(file)
            let lines = BulkFile.lines(data)
            var progress = Progress(total: lines.count, noun: "lines")
            var totals = (commands: 0, unchanged: 0, events: 0)
            try await ShidoConnection.withConnection(socketPath: connection.socketPath) { daemon in
                for start in stride(from: 0, to: lines.count, by: max(1, batchLines)) {
                    let batch = lines[start..<min(lines.count, start + batchLines)]
                    let body = Array(batch.joined(separator: [UInt8(ascii: "\n")]))
                    let reply = try await daemon.send(.POST, "/v1/import", contentType: "application/x-ndjson", body: body)
                    let summary: JSONValue
                    do { summary = try Daemon.check(reply) } catch let failure as Failure {
                        progress.finish()
                        throw Failure(message: BulkFile.shiftLine(failure.message, by: start), code: failure.code)
                    }
                    totals.commands += Int(summary[path: "commands"].cell) ?? 0
                    totals.unchanged += Int(summary[path: "unchanged"].cell) ?? 0
                    totals.events += Int(summary[path: "events"].cell) ?? 0
                    progress.advance(to: start + batch.count)
                }
            }
            progress.finish()
            let result: JSONValue = [
                "lines": .number(JSONNumber(lines.count)), "commands": .number(JSONNumber(totals.commands)),
                "unchanged": .number(JSONNumber(totals.unchanged)), "events": .number(JSONNumber(totals.events)),
            ]
            output.print(
                result, columns: [.init("lines", .right), .init("commands", .right), .init("already recorded", .right), .init("events written", .right)],
                rows: [[String(lines.count), String(totals.commands), String(totals.unchanged), String(totals.events)]])
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

    static func lines(_ data: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The daemon numbers lines within a batch; the user wants them within the file.
    static func shiftLine(_ message: String, by offset: Int) -> String {
        guard let range = message.range(of: #"line (\d+)"#, options: .regularExpression),
              let number = Int(message[range].dropFirst(5)) else { return message }
        return message.replacingCharacters(in: range, with: "line \(number + offset)")
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
