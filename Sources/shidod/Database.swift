import EmbeddedPostgres
import Foundation
import PostgresClient

/// A database ready to use, and the embedded cluster to stop afterwards (if we started it).
struct OpenDatabase {
    static let embeddedDatabaseName = "shido"

    let settings: ConnectionSettings
    let cluster: EmbeddedPostgres?
    /// For `/v1/status`: where the events live, without credentials.
    let description: String

    /// Opens the configured database, or starts the embedded cluster in the state directory.
    static func open(_ settings: DaemonSettings) throws -> OpenDatabase {
        if let url = settings.databaseURL {
            return OpenDatabase(settings: ConnectionSettings(conninfo: url), cluster: nil, description: "external PostgreSQL")
        }
        try FileManager.default.createDirectory(
            atPath: settings.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let directory = settings.stateDirectory + "/postgres"
        let cluster = try EmbeddedPostgres(dataDirectory: directory)
        let wasRunning = cluster.runningPID != nil
        try cluster.start()
        try createDatabaseIfMissing(cluster)
        return OpenDatabase(
            settings: cluster.connectionSettings(database: embeddedDatabaseName),
            cluster: wasRunning ? nil : cluster, description: "embedded PostgreSQL in \(directory)")
    }

    private static func createDatabaseIfMissing(_ cluster: EmbeddedPostgres) throws {
        let admin = try PostgresConnection(cluster.connectionSettings())
        defer { admin.close() }
        let exists = try admin.execute("SELECT count(*) FROM pg_database WHERE datname = $1", [embeddedDatabaseName])
        if try exists.int(0, 0) == 0 { try admin.executeScript("CREATE DATABASE shido") }
    }

    func close() {
        try? cluster?.stop(mode: .fast)
    }
}
