import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import ShidoServer

/// Watches the standby a reader daemon serves: its replication (for the status and the
/// metrics) twice a second, and the end of its recovery, which makes this daemon the writer.
///
/// Guarantees: on a writer it does nothing until shutdown; a promotion is acted on once,
/// within about half a second of the database leaving recovery, and logged; a database it
/// cannot reach leaves the last figures with `streaming` false and is asked again.
struct ReplicaWatcher: Service {
    let role: ServingRole
    let settings: ConnectionSettings
    let logger: Logger
    var interval: Duration = .milliseconds(500)

    func run() async throws {
        guard !role.isWriter else { return try await gracefulShutdown() }
        let worker = PostgresWorker(name: "shido-replica-watcher", settings: settings)
        defer { worker.shutdown() }
        try? await cancelWhenGracefulShutdown {
            while !role.isWriter {
                await observe(on: worker)
                try await Task.sleep(for: interval)
            }
        }
        if !role.isWriter { return }
        try? await gracefulShutdown()
    }

    private func observe(on worker: PostgresWorker) async {
        do {
            let status = try await worker.run { session in try ReplicaStatus.read(on: session.connection()) }
            guard status.inRecovery else {
                if role.promote() {
                    logger.notice("the database left recovery (promoted): this daemon is the writer now; starting the projections")
                }
                return
            }
            role.update { replica in
                replica.following = status.following
                replica.streaming = status.following != nil
                replica.replayLagBytes = status.lagBytes
                replica.replayLagSeconds = status.lagSeconds
            }
        } catch {
            role.update { $0.streaming = false }
            logger.warning("cannot read the standby's replication status: \(error)")
        }
    }
}

/// One reading of `shido.replica_status()` (Schema/0018_replica_status.sql).
struct ReplicaStatus {
    let inRecovery: Bool
    let lagBytes: Int64
    let lagSeconds: Double?
    let following: String?

    static func read(on connection: PostgresConnection) throws -> ReplicaStatus {
        let row = try connection.executeCached("SELECT in_recovery, lag_bytes, lag_seconds, following FROM shido.replica_status()")
        return ReplicaStatus(
            inRecovery: try row.bool(0, 0), lagBytes: try row.int64(0, 1),
            lagSeconds: row.text(0, 2).flatMap(Double.init), following: row.text(0, 3))
    }

    /// Whether the database is a standby in recovery (asked before the schema may be read).
    static func inRecovery(_ settings: ConnectionSettings) throws -> Bool {
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        return try connection.execute("SELECT pg_is_in_recovery()").bool(0, 0)
    }
}

/// Runs `service` once this daemon is the writer: at once on a primary, after the promotion
/// on a standby; not at all if the daemon stops first.
struct WhenWriter: Service {
    let service: any Service
    let role: ServingRole

    func run() async throws {
        if !role.isWriter { await cancelWhenGracefulShutdown { await role.untilWriter() } }
        guard role.isWriter else { return }
        try await service.run()
    }
}
