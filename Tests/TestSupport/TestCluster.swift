import EmbeddedPostgres
import Foundation
import Glibc
import Migrations
import PostgresClient
import Synchronization

/// One embedded PostgreSQL cluster per test process, and a fresh database per caller.
///
/// Guarantees: the cluster starts on first use and is stopped when the process exits; a
/// failure to start is reported to every test that asks (tests never skip silently);
/// database names never repeat within a run.
public enum TestCluster {
    private static let state = Mutex<State>(State())

    private struct State {
        var cluster: Result<EmbeddedPostgres, any Error>?
        var counter = 0
    }

    /// The running cluster, started on first call.
    public static func shared() throws -> EmbeddedPostgres {
        try state.withLock { state in
            if let cluster = state.cluster { return try cluster.get() }
            let result = Result { try startCluster() }
            state.cluster = result
            return try result.get()
        }
    }

    /// A new, empty database (no migrations); returns superuser settings for it.
    public static func freshDatabase(_ label: String) throws -> ConnectionSettings {
        let cluster = try shared()
        let name = state.withLock { state in
            state.counter += 1
            return "t\(state.counter)_" + label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(40)
        }
        let admin = try PostgresConnection(cluster.connectionSettings())
        defer { admin.close() }
        // Database names cannot be parameters; this one is built from letters and digits only.
        try admin.executeScript(StaticOrTrustedSQL(trusted: "CREATE DATABASE \(name)"))
        return cluster.connectionSettings(database: name)
    }

    /// A new database with every shipped migration applied.
    public static func migratedDatabase(_ label: String) throws -> ConnectionSettings {
        let settings = try freshDatabase(label)
        _ = try Migrator().migrate(settings)
        return settings
    }

    private static func startCluster() throws -> EmbeddedPostgres {
        let root = FileManager.default.temporaryDirectory.path + "/shido-test-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        // Traversable by the postgres user when tests run as root.
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        // Every suite runs at once, many with a daemon of their own (a dozen connections each):
        // 200 connections ran out once the report's and the terminal's suites came.
        let cluster = try EmbeddedPostgres(dataDirectory: root + "/pg", settings: ["fsync": "on", "max_connections": "500"])
        try cluster.start()
        clusterDirectory = strdup(root)
        atexit {
            guard let root = clusterDirectory.map({ String(cString: $0) }) else { return }
            if let cluster = try? EmbeddedPostgres(dataDirectory: root + "/pg") {
                try? cluster.stop(mode: .immediate)
            }
            try? FileManager.default.removeItem(atPath: root)
        }
        return cluster
    }
}

/// The cluster's root, for the exit handler (a C function pointer cannot capture).
nonisolated(unsafe) private var clusterDirectory: UnsafeMutablePointer<CChar>?
