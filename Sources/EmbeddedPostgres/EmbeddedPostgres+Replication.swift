import Foundation

/// Streaming replication between embedded clusters, as docs/scale.md describes it for any
/// PostgreSQL: a standby made with `pg_basebackup -R`, promoted with `pg_ctl promote`.
extension EmbeddedPostgres {
    /// Makes a hot standby of this running cluster in `directory` (`pg_basebackup -R -X
    /// stream` over this cluster's Unix socket, as its superuser), with its own socket in its
    /// own directory. It is returned stopped; `start()` starts it streaming from this cluster.
    /// `settings` go to the standby's `postgresql.conf` (values as written there).
    public func makeStandby(in directory: String, settings: [String: String] = [:]) throws(EmbeddedPostgresError) -> EmbeddedPostgres {
        let standby = try EmbeddedPostgres(dataDirectory: directory)
        try standby.makeDataDirectory()
        try runServerProgram("pg_basebackup", [
            "-D", standby.dataDirectory, "-R", "-X", "stream", "-c", "fast",
            "-d", "host=\(dataDirectory) port=5432 user=\(Self.superuser) application_name=\(Self.standbyName)",
        ])
        // The primary's socket lock and log live in its data directory and came with the copy.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: standby.dataDirectory)) ?? []
        where name.hasPrefix(".s.PGSQL.") || name == "server.log" {
            try? FileManager.default.removeItem(atPath: standby.dataDirectory + "/" + name)
        }
        try standby.appendConfiguration(
            "\n# The standby's own socket (the primary's settings came with the base backup).\n"
                + "unix_socket_directories = '\(standby.dataDirectory)'\n"
                + settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined())
        return standby
    }

    /// The name a standby made here reports to its primary (for `synchronous_standby_names`).
    public static let standbyName = "shido_standby"

    /// Ends a standby's recovery (`pg_ctl promote`): it accepts writes from then on.
    public func promote() throws(EmbeddedPostgresError) {
        try runServerProgram("pg_ctl", ["-D", dataDirectory, "-w", "-t", "60", "promote"])
    }
}
