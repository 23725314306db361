import ArgumentParser
import ShidoAPI

/// The shido command-line client. It talks only to shidod's socket.
@main
struct Shido: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shido",
        abstract: "Record, query and audit the technical-guidance program through shidod.",
        discussion: """
            Every command talks to the daemon's Unix socket (--socket, SHIDO_SOCKET). The daemon \
            knows who you are from the socket and records you as the actor of every event.
            Output: --output table|json|csv (table on a terminal, json otherwise); tables are cut to \
            the terminal's width with … (--wide shows everything; pipes are never cut). Data goes to \
            stdout, messages to stderr; no colour or progress when stderr is not a terminal or NO_COLOR is set.
            Exit codes: 0 ok, 64 usage, 65 rejected input, 69 daemon unreachable (or no Chromium for a PDF), 70 server error, \
            75 retry (a conflict, or the views not caught up in time), 77 permission denied.
            Shell completions: shido --generate-completion-script bash|zsh|fish.
            """,
        version: ShidoVersion.current,
        subcommands: [
            StatusCommand.self, CompanyCommand.self, EngineerCommand.self, EngagementCommand.self, SessionCommand.self,
            OutcomeCommand.self, ExportCommand.self, CorrectCommand.self, RetractCommand.self, AuditCommand.self,
            ImportCommand.self, DumpCommand.self, RestoreCommand.self, QueryCommand.self, ReportCommand.self, ProjectionsCommand.self,
        ]
    )
}

