import EmbeddedPostgres
import EventStore
import Foundation
import Glibc
import Migrations
import PostgresClient
import ShidoJSON

/// A private cluster with the shido schema and a raw table of the same shape for baselines.
struct BenchEnvironment {
    let cluster: EmbeddedPostgres
    let root: String
    var settings: ConnectionSettings { cluster.connectionSettings(database: "bench") }
    /// `settings` as a libpq connection string, for PostgreSQL's own programs (psql, pgbench).
    var conninfo: String { Self.conninfo(settings) }

    static func conninfo(_ settings: ConnectionSettings) -> String {
        settings.overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    static func start() throws -> BenchEnvironment {
        let root = FileManager.default.temporaryDirectory.path + "/shido-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let cluster = try EmbeddedPostgres(dataDirectory: root + "/pg")
        FileHandle.standardError.write(Data("starting PostgreSQL in \(root)…\n".utf8))
        try cluster.start()
        let admin = try PostgresConnection(cluster.connectionSettings())
        try admin.executeScript("CREATE DATABASE bench")
        admin.close()
        let environment = BenchEnvironment(cluster: cluster, root: root)
        _ = try Migrator().migrate(environment.settings)
        let connection = try PostgresConnection(environment.settings)
        defer { connection.close() }
        try connection.executeScript("""
            CREATE TABLE bench_raw (
                id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL, data jsonb NOT NULL);
            GRANT ALL ON bench_raw, bench_raw_id_seq TO shido_app;
            CREATE TABLE bench_events (LIKE shido.events INCLUDING ALL);
            """)
        return environment
    }

    /// Another migrated database on the same cluster; superuser settings for it.
    func freshDatabase(_ name: String) throws -> ConnectionSettings {
        let admin = try PostgresConnection(cluster.connectionSettings())
        try admin.executeScript(StaticOrTrustedSQL(trusted: "CREATE DATABASE \(name)"))
        admin.close()
        let settings = cluster.connectionSettings(database: name)
        _ = try Migrator().migrate(settings)
        return settings
    }

    func stop() {
        try? cluster.stop(mode: .fast)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// WAL flushes so far (`pg_stat_wal`), to tell a slow-disk phase from a slow program.
    func walFlushes() throws -> (count: Int64, milliseconds: Double) {
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        let result = try connection.execute("SELECT wal_sync, wal_sync_time FROM pg_stat_wal")
        return (try result.int64(0, 0), Double(try result.string(0, 1)) ?? 0)
    }
}

/// A ~600-byte event like the ones shido records.
enum SampleEvent {
    static let data: JSONValue = [
        "engagementID": "engagement-3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90",
        "sessionID": "session-7a0e5b1d-93c2-4f8e-b6a4-1d2c3e4f5a6b",
        "date": "2026-11-25",
        "hours": .number(JSONNumber(literal: "3.5")!),
        "topic": "사출 금형 설계 개선: 냉각 채널 배치와 게이트 위치 検討 (金型設計の改善)",
        "format": "onSite",
        "attendees": 6,
        "notes": .string("불량률 저감을 위한 공정 안정화 회의. 月例改善会議で実験結果をレビューし、次回までに成形条件を最適化する。"
            + " Follow-up on cooling time and ejector pin wear; samples sent for dimensional inspection."),
    ]
    static let canonical = data.canonicalText

    static func event() -> NewEvent { NewEvent(type: "GuidanceSessionLogged", data: data) }
}
