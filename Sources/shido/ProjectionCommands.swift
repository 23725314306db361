import ArgumentParser
import ShidoJSON
import TerminalOutput

/// `shido projections …`: the read models behind the views.
struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "See how current the views are; rebuild one (admin).", subcommands: [Status.self, Rebuild.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each projection's position, lag (events and seconds), state and last failure.",
            discussion: """
                States: live (at the head), catching-up, standby (another daemon on the same \
                database runs it), upgrading (its tables are an older version's: they answer \
                as they stand while the rebuild runs), failed (stopped at the event shown; fix \
                and restart, or rebuild), starting, not run here.
                """)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Daemon.run {
                let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/projections")
                let rows = (reply["projections"]?.arrayValue ?? []).map { row -> [String] in
                    let failure = row[path: "failure"]
                    let failed = failure == .null ? "" : "at \(failure[path: "position"].cell) (\(failure[path: "eventID"].cell)): \(failure[path: "message"].cell)"
                    let rebuilding = row[path: "rebuilding"] == .null ? "" : "generation \(row[path: "rebuilding"].cell) at \(row[path: "rebuildPosition"].cell)"
                    return [row[path: "name"].cell, row[path: "state"].cell, row[path: "position"].cell, row[path: "lagEvents"].cell,
                            row[path: "lagSeconds"].cell, row[path: "generation"].cell, rebuilding, failed]
                }
                output.print(reply, columns: [
                    .init("projection"), .init("state"), .init("position", .right), .init("lag", .right), .init("lag s", .right),
                    .init("generation", .right), .init("rebuilding"), .init("failure"),
                ], rows: rows)
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a projection from position 0 in the background (admin).",
            discussion: """
                Queries keep being answered from the current tables until the new ones have \
                caught up; then they are swapped in one transaction. Follow it with \
                `shido projections status`. Example: shido projections rebuild engagements
                """)
        @Argument(help: "directory or engagements.") var name: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await Daemon.run {
                _ = try await Daemon(socketPath: connection.socketPath).call(.POST, "/v1/projections/\(Field.segment(name))/rebuild")
                Terminal.note("rebuild of \(name) requested; see `shido projections status`")
            }
        }
    }
}
