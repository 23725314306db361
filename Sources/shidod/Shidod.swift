import ArgumentParser

/// The shido daemon. For now it prepares the database (`migrate`); serving the socket API
/// arrives with the daemon issue.
@main
struct Shidod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shidod",
        abstract: "The shido daemon: keeps the guidance program's event log in PostgreSQL.",
        discussion: """
            With no --database-url, shidod runs its own PostgreSQL cluster in \
            <state-directory>/postgres (created on first use, reachable only through a Unix \
            socket in that directory) and stops it again when it exits.
            """,
        subcommands: [Migrate.self],
        defaultSubcommand: Migrate.self
    )
}
