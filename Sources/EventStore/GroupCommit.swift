import Foundation
import PostgresClient

/// One caller's append, validated and waiting for the writer.
struct AppendRequest: Sendable {
    let streamID: String
    let expected: ExpectedVersion
    let events: [NewEvent]
}

/// One transaction that commits every queued append it can, in queue order.
///
/// Guarantees: each request succeeds or fails on its own (an expected-version mismatch or
/// an idempotency conflict fails that request only); the requests that succeed get
/// consecutive positions following the head, and hashes that extend the chain; everything
/// is written with one COPY and made durable by one COMMIT, under the writer lock that
/// `shido.begin_append()` takes. If anything throws, the transaction is rolled back whole.
struct GroupCommit {
    let requests: [AppendRequest]

    func run(on connection: PostgresConnection) throws -> [Result<AppendResult, EventStoreError>] {
        try connection.transaction {
            let head = try connection.execute("SELECT head_position, head_hash, now_micros FROM shido.begin_append()")
            var planner = AppendPlanner(
                head: try head.int64(0, 0), headHash: try head.bytea(0, 1), recordedAtMicros: try head.int64(0, 2),
                streamVersions: try streamVersions(connection), recorded: try recordedEvents(connection))
            let outcomes = requests.map { planner.plan($0) }
            if !planner.rows.isEmpty {
                try connection.copyIn(Self.copyStatement) { writer in
                    for row in planner.rows { try writer.appendRow(row) }
                }
                try connection.notify(LogNotifications.channel, payload: String(planner.head))
            }
            return outcomes
        }
    }

    static let copyStatement = """
        COPY shido.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                           recorded_at, prev_hash, hash) FROM STDIN
        """

    private func streamVersions(_ connection: PostgresConnection) throws -> [String: Int64] {
        let streams = Array(Set(requests.map(\.streamID)))
        let result = try connection.execute(
            "SELECT stream_id, coalesce(version, 0) FROM shido.stream_versions($1::text[])", [ArrayParameter(streams)])
        var versions: [String: Int64] = [:]
        for row in 0..<result.rowCount { versions[try result.string(row, 0)] = try result.int64(row, 1) }
        return versions
    }

    private func recordedEvents(_ connection: PostgresConnection) throws -> [UUID: RecordedIdentity] {
        let ids = requests.flatMap { $0.events.map(\.id) }
        let result = try connection.execute(
            "SELECT position, event_id, stream_id, stream_version, type, schema_version, data::text FROM shido.events_with_ids($1::uuid[])",
            [ArrayParameter(ids)])
        var recorded: [UUID: RecordedIdentity] = [:]
        for row in 0..<result.rowCount {
            guard let id = UUID(uuidString: try result.string(row, 1)) else { continue }
            recorded[id] = RecordedIdentity(
                position: try result.int64(row, 0), streamID: try result.string(row, 2), streamVersion: try result.int64(row, 3),
                type: try result.string(row, 4), schemaVersion: try result.int(row, 5), data: try result.string(row, 6))
        }
        return recorded
    }
}

/// What identifies an event's content for retries: everything but its metadata and time.
struct RecordedIdentity: Equatable {
    let position: Int64
    let streamID: String
    let streamVersion: Int64
    let type: String
    let schemaVersion: Int
    let data: String

    func sameContent(as event: NewEvent, in stream: String) -> Bool {
        streamID == stream && type == event.type && schemaVersion == event.schemaVersion && data == event.canonicalData
    }
}
