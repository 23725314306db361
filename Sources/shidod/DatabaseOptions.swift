import ArgumentParser
import EmbeddedPostgres
import Foundation
import Glibc
import PostgresClient

/// Where the data lives: an embedded cluster in the state directory, or an external server.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Directory for shidod's state, including its embedded PostgreSQL. Environment: SHIDO_STATE_DIRECTORY.",
        valueName: "path"))
    var stateDirectory: String = DatabaseOptions.defaultStateDirectory

    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "A libpq connection string or URI for an external PostgreSQL (e.g. 'host=/run/postgresql dbname=shido'). "
            + "Without it, the embedded cluster is used. Environment: SHIDO_DATABASE_URL.",
        valueName: "conninfo"))
    var databaseURLOption: String?

    /// The flag, else the environment.
    var databaseURL: String? { databaseURLOption ?? ProcessInfo.processInfo.environment["SHIDO_DATABASE_URL"] }

    static let embeddedDatabaseName = "shido"

    static var defaultStateDirectory: String {
        if let configured = ProcessInfo.processInfo.environment["SHIDO_STATE_DIRECTORY"] { return configured }
        if geteuid() == 0 { return "/var/lib/shido" }
        let home = ProcessInfo.processInfo.environment["XDG_STATE_HOME"]
            ?? (FileManager.default.homeDirectoryForCurrentUser.path + "/.local/state")
        return home + "/shido"
    }

    /// Opens the database: starts the embedded cluster when no URL is configured.
    func open() throws -> OpenDatabase {
        if let databaseURL { return OpenDatabase(settings: ConnectionSettings(conninfo: databaseURL), cluster: nil) }
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let cluster = try EmbeddedPostgres(dataDirectory: stateDirectory + "/postgres")
        let wasRunning = cluster.runningPID != nil
        try cluster.start()
        try Self.createDatabaseIfMissing(cluster)
        return OpenDatabase(
            settings: cluster.connectionSettings(database: Self.embeddedDatabaseName),
            cluster: wasRunning ? nil : cluster)
    }

    private static func createDatabaseIfMissing(_ cluster: EmbeddedPostgres) throws {
        let admin = try PostgresConnection(cluster.connectionSettings())
        defer { admin.close() }
        let exists = try admin.execute("SELECT count(*) FROM pg_database WHERE datname = $1", [embeddedDatabaseName])
        if try exists.int(0, 0) == 0 { try admin.executeScript("CREATE DATABASE shido") }
    }
}

/// A database ready to use, and the embedded cluster to stop afterwards (if we started it).
struct OpenDatabase {
    let settings: ConnectionSettings
    let cluster: EmbeddedPostgres?

    func close() {
        try? cluster?.stop(mode: .fast)
    }
}
