import Foundation
import PostgresClient

/// Decides, request by request, what a group commit writes, and builds its rows.
///
/// Guarantees: positions are assigned consecutively from the head with no gap; each
/// stream's versions continue from its current version; every row's `prev_hash` is the
/// previous row's `hash`. A request that fails leaves no trace in `rows`.
struct AppendPlanner {
    private(set) var head: Int64
    private(set) var headHash: [UInt8]
    private let recordedAtMicros: Int64
    private let recordedAtText: String
    private(set) var streamVersions: [String: Int64]
    private var recorded: [UUID: RecordedIdentity]
    private(set) var rows: [PlannedRow] = []

    init(head: Int64, headHash: [UInt8], recordedAtMicros: Int64, streamVersions: [String: Int64], recorded: [UUID: RecordedIdentity]) {
        self.head = head
        self.headHash = headHash
        self.recordedAtMicros = recordedAtMicros
        self.recordedAtText = PostgresTimestamp.iso8601UTC(micros: recordedAtMicros)
        self.streamVersions = streamVersions
        self.recorded = recorded
    }

    /// Plans a unit whole: if one of its requests fails, the unit leaves no trace and fails
    /// with that request's error.
    mutating func plan(_ unit: AppendUnit) -> Result<[AppendResult], EventStoreError> {
        if unit.requests.count == 1 { return plan(unit.requests[0]).map { [$0] } }
        let mark = (head: head, hash: headHash, rows: rows.count, versions: streamVersions)
        var results: [AppendResult] = []
        for request in unit.requests {
            switch plan(request) {
            case .success(let result): results.append(result)
            case .failure(let error):
                for row in rows[mark.rows...] { recorded[row.eventID] = nil }
                rows.removeLast(rows.count - mark.rows)
                (head, headHash, streamVersions) = (mark.head, mark.hash, mark.versions)
                return .failure(error)
            }
        }
        return .success(results)
    }

    mutating func plan(_ request: AppendRequest) -> Result<AppendResult, EventStoreError> {
        if let retry = retryOutcome(request) { return retry }
        let current = streamVersions[request.streamID] ?? 0
        guard request.expected.accepts(current: current) else {
            return .failure(.wrongExpectedVersion(stream: request.streamID, expected: request.expected, actual: current))
        }
        var appended: [AppendResult.Event] = []
        for (offset, event) in request.events.enumerated() {
            appended.append(write(event, stream: request.streamID, version: current + Int64(offset) + 1))
        }
        streamVersions[request.streamID] = current + Int64(request.events.count)
        return .success(AppendResult(streamID: request.streamID, events: appended, alreadyRecorded: false))
    }

    /// nil when none of the request's ids is recorded; otherwise the original result (an
    /// exact retry) or a conflict.
    private func retryOutcome(_ request: AppendRequest) -> Result<AppendResult, EventStoreError>? {
        let matches = request.events.map { recorded[$0.id] }
        guard let firstIndex = matches.firstIndex(where: { $0 != nil }) else { return nil }
        let firstID = request.events[firstIndex].id.lowercaseText
        guard matches.allSatisfy({ $0 != nil }) else {
            return .failure(.idempotencyConflict(eventID: firstID, reason: "only some of this append's event ids are recorded"))
        }
        for (event, match) in zip(request.events, matches) where !match!.sameContent(as: event, in: request.streamID) {
            return .failure(.idempotencyConflict(
                eventID: event.id.lowercaseText, reason: "it is recorded with different content"))
        }
        let events = zip(request.events, matches).map { event, match in
            AppendResult.Event(id: event.id, position: match!.position, streamVersion: match!.streamVersion)
        }
        return .success(AppendResult(streamID: request.streamID, events: events, alreadyRecorded: true))
    }

    private mutating func write(_ event: NewEvent, stream: String, version: Int64) -> AppendResult.Event {
        head += 1
        let fields = HashChain.Fields(
            position: head, eventID: event.id, streamID: stream, streamVersion: version, type: event.type,
            schemaVersion: event.schemaVersion, recordedAtMicros: recordedAtMicros,
            data: event.canonicalData, metadata: event.canonicalMetadata)
        let hash = HashChain.link(previous: headHash, fields, recordedAtText: recordedAtText)
        rows.append(PlannedRow(
            position: head, eventID: event.id, streamID: stream, streamVersion: version, type: event.type,
            schemaVersion: Int32(event.schemaVersion), data: event.canonicalData, metadata: event.canonicalMetadata,
            recordedAtMicros: recordedAtMicros, previousHash: headHash, hash: hash))
        recorded[event.id] = RecordedIdentity(
            position: head, streamID: stream, streamVersion: version, type: event.type,
            schemaVersion: event.schemaVersion, data: event.canonicalData)
        headHash = hash
        return AppendResult.Event(id: event.id, position: head, streamVersion: version)
    }
}

/// One row of `shido.events`, ready to be sent.
struct PlannedRow {
    let position: Int64
    let eventID: UUID
    let streamID: String
    let streamVersion: Int64
    let type: String
    let schemaVersion: Int32
    let data: String
    let metadata: String
    let recordedAtMicros: Int64
    let previousHash: [UInt8]
    let hash: [UInt8]

    /// The rows as `shido.append_events` takes them: one binary array per column, in the
    /// column order of `GroupCommit.copyStatement`.
    static func columns(_ rows: [PlannedRow]) -> [any PostgresParameterEncodable] {
        [
            BinaryArrayParameter(.int8, rows) { $0.int64($1.position) },
            BinaryArrayParameter(.uuid, rows) { $0.uuid($1.eventID) },
            BinaryArrayParameter(.text, rows) { $0.text($1.streamID) },
            BinaryArrayParameter(.int8, rows) { $0.int64($1.streamVersion) },
            BinaryArrayParameter(.text, rows) { $0.text($1.type) },
            BinaryArrayParameter(.int4, rows) { $0.int32($1.schemaVersion) },
            BinaryArrayParameter(.jsonb, rows) { $0.jsonb($1.data) },
            BinaryArrayParameter(.jsonb, rows) { $0.jsonb($1.metadata) },
            BinaryArrayParameter(.timestamptz, rows) { $0.timestamp(micros: $1.recordedAtMicros) },
            BinaryArrayParameter(.bytea, rows) { $0.bytea($1.previousHash) },
            BinaryArrayParameter(.bytea, rows) { $0.bytea($1.hash) },
        ]
    }

    /// Writes the row in the column order of `GroupCommit.copyStatement`.
    func write(to writer: inout BinaryCopyWriter) throws(PostgresError) {
        try writer.beginRow(fieldCount: 11)
        writer.int64(position)
        writer.uuid(eventID)
        writer.text(streamID)
        writer.int64(streamVersion)
        writer.text(type)
        writer.int32(schemaVersion)
        writer.jsonb(data)
        writer.jsonb(metadata)
        writer.timestamp(micros: recordedAtMicros)
        writer.bytea(previousHash)
        writer.bytea(hash)
    }
}
