import EmbeddedPostgres
import Foundation
import Logging
import PostgresClient
import ShidoServer

/// A database ready to use, and the embedded cluster that goes with it.
///
/// Guarantees: the state directory's cluster belongs to the daemon that serves it. The
/// daemon holds `<state>/postgres.lock` for its life, and on `close()` stops the cluster,
/// whether it started it or found it still running after an earlier shidod was killed
/// (that is what lets a restart after a crash take a fraction of a second). A second
/// daemon on the same state directory stops at the lock and touches nothing. An external
/// database (`--database-url`) is never started or stopped.
struct OpenDatabase {
    static let embeddedDatabaseName = "shido"

    let settings: ConnectionSettings
    let cluster: EmbeddedPostgres?
    /// For `/v1/status`: where the events live, without credentials.
    let description: String
    private let ownership: LockFile?

    /// Opens the configured database, or starts (or adopts) the embedded cluster in the state directory.
    static func open(_ settings: DaemonSettings, logger: Logger) throws -> OpenDatabase {
        if let url = settings.databaseURL {
            return OpenDatabase(settings: ConnectionSettings(conninfo: url), cluster: nil, description: "external PostgreSQL", ownership: nil)
        }
        try FileManager.default.createDirectory(
            atPath: settings.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let directory = settings.stateDirectory + "/postgres"
        let ownership: LockFile
        do { ownership = try LockFile(path: directory + ".lock") } catch let held as LockFile.Held {
            throw EmbeddedClusterHeld(directory: directory, holder: held.holder)
        }
        let cluster = try EmbeddedPostgres(dataDirectory: directory)
        if let pid = cluster.runningPID {
            logger.notice("adopting the embedded PostgreSQL (pid \(pid)) that an earlier shidod left running in \(directory)")
        }
        try cluster.start()
        try createDatabaseIfMissing(cluster)
        return OpenDatabase(
            settings: cluster.connectionSettings(database: embeddedDatabaseName),
            cluster: cluster, description: "embedded PostgreSQL in \(directory)", ownership: ownership)
    }

    private static func createDatabaseIfMissing(_ cluster: EmbeddedPostgres) throws {
        let admin = try PostgresConnection(cluster.connectionSettings())
        defer { admin.close() }
        let exists = try admin.execute("SELECT count(*) FROM pg_database WHERE datname = $1", [embeddedDatabaseName])
        if try exists.int(0, 0) == 0 { try admin.executeScript("CREATE DATABASE shido") }
    }

    /// Stops the embedded cluster (fast: open transactions roll back), then lets go of it.
    func close() {
        withExtendedLifetime(ownership) { try? cluster?.stop(mode: .fast) }
    }
}

/// Another daemon owns the state directory's cluster.
struct EmbeddedClusterHeld: Error, CustomStringConvertible {
    let directory: String
    let holder: String

    var description: String {
        "another shidod (\(holder)) runs the embedded PostgreSQL in \(directory); stop it first, or give this one another --state-directory"
    }
}
