import EmbeddedPostgres
import Foundation
import Migrations

/// A PostgreSQL cluster of one test's own, for tests that stop, kill or reconfigure the
/// server (the shared `TestCluster` must stay up for everyone else).
///
/// Guarantees: the directory is new and traversable by the `postgres` user; `remove()`
/// stops the server at once and deletes the directory.
public struct PrivateCluster: Sendable {
    public let cluster: EmbeddedPostgres
    public let directory: String

    /// Starts a cluster; with `migrated`, the shipped schema is applied to its `postgres` database.
    public init(_ label: String, settings: [String: String] = [:], migrated: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.path + "/shido-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        cluster = try EmbeddedPostgres(dataDirectory: directory + "/pg", settings: settings)
        try cluster.start()
        if migrated { _ = try Migrator().migrate(cluster.connectionSettings()) }
    }

    public func remove() {
        try? cluster.stop(mode: .immediate)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
