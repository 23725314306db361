import ArgumentParser
import ShidoAPI

/// The shido daemon: serves the socket API (`serve`, the default) or only prepares the
/// database (`migrate`), or shows its checkpoint key (`key show`).
@main
struct Shidod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shidod",
        abstract: "The shido daemon: keeps the guidance program's event log in PostgreSQL and serves it on a Unix socket.",
        discussion: """
            With no --database-url, shidod runs its own PostgreSQL cluster in \
            <state-directory>/postgres (created on first use, reachable only through a Unix \
            socket in that directory) and stops it again when it exits.

            Every setting comes from its flag, else the environment (SHIDO_ and the flag's \
            name in capitals, e.g. SHIDO_SOCKET_GROUP), else the config file, else its default.
            """,
        version: ShidoVersion.current,
        subcommands: [Serve.self, Migrate.self, Key.self],
        defaultSubcommand: Serve.self
    )
}
