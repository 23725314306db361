import Foundation
import PostgresClient
import ShidoJSON

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
/// `shido.begin_append` takes. If anything throws, the transaction is rolled back whole.
/// Round trips per commit: BEGIN, begin_append, COPY (start, data and end), COMMIT; the
/// NOTIFY comes from the table's trigger.
struct GroupCommit {
    let requests: [AppendRequest]

    func run(on connection: PostgresConnection) throws -> [Result<AppendResult, EventStoreError>] {
        try connection.transaction {
            var planner = try openAppend(connection)
            let outcomes = requests.map { planner.plan($0) }
            if !planner.rows.isEmpty {
                try connection.copyIn(Self.copyStatement) { writer in
                    for row in planner.rows { try writer.appendRow(row) }
                }
            }
            return outcomes
        }
    }

    static let copyStatement = """
        COPY shido.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                           recorded_at, prev_hash, hash) FROM STDIN
        """

    /// Takes the writer lock and reads what planning needs, in one round trip.
    private func openAppend(_ connection: PostgresConnection) throws -> AppendPlanner {
        let streams = Array(Set(requests.map(\.streamID)))
        let ids = requests.flatMap { $0.events.map(\.id) }
        let result = try connection.executeCached(
            "SELECT head_position, head_hash, now_micros, stream_versions, recorded::text FROM shido.begin_append($1::text[], $2::uuid[])",
            [ArrayParameter(streams), ArrayParameter(ids)])
        let versions = try result.int64Array(0, 3)
        guard versions.count == streams.count else {
            throw PostgresError(kind: .decoding, message: "begin_append returned \(versions.count) versions for \(streams.count) streams")
        }
        return AppendPlanner(
            head: try result.int64(0, 0), headHash: try result.bytea(0, 1), recordedAtMicros: try result.int64(0, 2),
            streamVersions: Dictionary(uniqueKeysWithValues: zip(streams, versions)),
            recorded: try Self.recordedIdentities(try result.string(0, 4)))
    }

    private static func recordedIdentities(_ json: String) throws -> [UUID: RecordedIdentity] {
        var recorded: [UUID: RecordedIdentity] = [:]
        for entry in try JSONParser.parse(json).arrayValue ?? [] {
            guard let id = entry["eventID"]?.stringValue.flatMap(UUID.init(uuidString:)),
                  let position = entry["position"]?.numberValue?.int64Value,
                  let version = entry["streamVersion"]?.numberValue?.int64Value,
                  let schemaVersion = entry["schemaVersion"]?.numberValue?.int64Value,
                  let streamID = entry["streamID"]?.stringValue, let type = entry["type"]?.stringValue,
                  let data = entry["data"]
            else { throw PostgresError(kind: .decoding, message: "begin_append returned a malformed recorded event") }
            recorded[id] = RecordedIdentity(
                position: position, streamID: streamID, streamVersion: version, type: type,
                schemaVersion: Int(schemaVersion), data: data.canonicalText)
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
