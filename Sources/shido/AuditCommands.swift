import ArgumentParser
import ShidoJSON
import TerminalOutput

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the complete, unalterable history, and prove what is in it.",
        subcommands: [Log.self, Stream.self, Verify.self, CheckpointCommand.self, Prove.self, Consistency.self])

    static let eventColumns: [TextTable.Column] = [
        .init("position", .right), .init("recorded at"), .init("stream"), .init("ver", .right), .init("type"), .init("actor"), .init("event id"),
    ]

    static func row(_ event: JSONValue) -> [String] {
        [
            event[path: "position"].cell, event[path: "recordedAt"].cell, event[path: "stream"].cell, event[path: "version"].cell,
            event[path: "type"].cell, event[path: "metadata", "actor", "user"].cell, event[path: "id"].cell,
        ]
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List events in global order, filtered.",
            discussion: """
                Times are 2026-11-25T10:00:00Z (any offset) or dates (midnight UTC). JSON output \
                carries each event's data, metadata and hashes, and `next`, the --from of the next page.
                Example: shido audit log --actor alice --since 2026-11-01 --type OutcomeReported
                """)

        @Option(help: "Only this stream, e.g. engagement-case-j.") var stream: String?
        @Option(help: "Only this event type.") var type: String?
        @Option(help: "Only events recorded by this user.") var actor: String?
        @Option(help: "Recorded at or after.") var since: String?
        @Option(help: "Recorded before.") var until: String?
        @Option(help: "From this position.") var from: Int64?
        @Option(help: "Up to this position.") var to: Int64?
        @Option(help: "At most this many events (1–10000).") var limit: Int = 100
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let filters: [(String, String?)] = [
                ("stream", stream), ("type", type), ("actor", actor), ("since", since), ("until", until),
                ("from", from.map(String.init)), ("to", to.map(String.init)), ("limit", String(limit)),
            ]
            let query = Field.query(filters)
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/events?" + query)
                let events = reply["events"]?.arrayValue ?? []
                output.print(reply, columns: AuditCommand.eventColumns, rows: events.map(AuditCommand.row))
                if let next = reply["next"]?.numberValue, output.format == .table { Terminal.note("more: --from \(next.literal)") }
            }
        }
    }

    struct Stream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one stream's history (company-…, engineer-…, engagement-…).",
            discussion: "Example: shido audit stream engagement-case-j")

        @Argument(help: "Stream id.") var stream: String
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/streams/\(Field.segment(stream))")
                let events = reply["events"]?.arrayValue ?? []
                output.print(reply, columns: AuditCommand.eventColumns + [.init("data")], rows: events.map { AuditCommand.row($0) + [$0[path: "data"].canonicalText] })
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain and report the first broken link (exit 65 when broken).",
            discussion: "Write down the head position and hash: a later verify that ends in the same hash proves nothing before it changed.")

        @Option(help: "Start at this position.") var from: Int64?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/audit/verify" + (from.map { "?from=\($0)" } ?? ""))
                let broken = reply[path: "firstBreak"]
                output.print(
                    reply, columns: [.init("intact"), .init("checked", .right), .init("head position", .right), .init("head hash"), .init("first break")],
                    rows: [[reply[path: "intact"].cell, reply[path: "checked"].cell, reply[path: "head", "position"].cell, reply[path: "head", "hash"].cell,
                            broken == .null ? "" : "position \(broken[path: "position"].cell): \(broken[path: "kind"].cell)"]])
                if broken != .null { throw Failure(message: "the hash chain is broken", code: Exit.rejected) }
            }
        }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the daemon's version, role, database, head and uptime, and who you are to it.",
        discussion: "A daemon on a hot standby is a reader: it shows the primary it follows, where writes go, and how far "
            + "its replay lags (bytes of WAL received but not replayed; seconds since the last replayed commit, 0 when none is pending).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Daemon.run {
            let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/status")
            output.print(
                reply, columns: [.init("setting"), .init("value")],
                rows: [
                    ["version", reply[path: "version"].cell], ["role", Self.role(reply)], ["database", reply[path: "database"].cell],
                    ["head position", reply[path: "head", "position"].cell], ["head hash", reply[path: "head", "hash"].cell],
                    ["durability", "synchronous_commit \(reply[path: "durability", "synchronousCommit"].cell) (writer), "
                        + "fsync \(reply[path: "durability", "fsync"].cell), full_page_writes \(reply[path: "durability", "fullPageWrites"].cell)"],
                    ["uptime (s)", reply[path: "uptimeSeconds"].cell],
                    ["checkpoint key", reply[path: "checkpointKey"].stringValue ?? "none (this daemon signs no checkpoints)"],
                    ["you", "\(reply[path: "caller", "user"].cell) (uid \(reply[path: "caller", "uid"].cell)), \(reply[path: "caller", "role"].cell)"],
                ] + Self.replicationRows(reply))
        }
    }

    private static func role(_ reply: JSONValue) -> String {
        let role = reply[path: "role"].cell
        guard let promoted = reply[path: "replication", "promotedAt"].stringValue else { return role }
        return role + " (promoted from reader at " + promoted + ")"
    }

    private static func replicationRows(_ reply: JSONValue) -> [[String]] {
        guard reply[path: "role"].stringValue == "reader" else { return [] }
        let lagSeconds = reply[path: "replication", "replayLagSeconds"].numberValue.map { String(format: "%.3f", $0.doubleValue) } ?? "unknown"
        return [
            ["follows", reply[path: "replication", "following"].cell + (reply[path: "replication", "streaming"] == .bool(true) ? " (streaming)" : " (not streaming)")],
            ["writes go to", reply[path: "replication", "writesGoTo"].stringValue ?? "the primary's daemon (not configured: --primary)"],
            ["replay lag", "\(reply[path: "replication", "replayLagBytes"].cell) bytes, \(lagSeconds) s"],
        ]
    }
}
