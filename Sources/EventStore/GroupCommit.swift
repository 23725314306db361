import Foundation
import PostgresClient
import ShidoJSON

/// One stream's part of an append, validated and waiting for the writer.
struct AppendRequest: Sendable {
    let streamID: String
    let expected: ExpectedVersion
    let events: [NewEvent]
}

/// What one caller queues: appends to one or more streams that commit together or not at all,
/// given whole (`requests`) or arriving through a feed while the transaction is open.
struct AppendUnit: Sendable {
    let requests: [AppendRequest]
    let feed: AppendFeed?

    init(requests: [AppendRequest]) {
        self.requests = requests
        feed = nil
    }

    init(feed: AppendFeed) {
        requests = []
        self.feed = feed
    }

    /// The events given whole (a feed's arrive later and are not counted).
    var eventCount: Int { requests.reduce(0) { $0 + $1.events.count } }
    var isFed: Bool { feed != nil }
}

/// One transaction that commits every queued append it can, in queue order.
///
/// Guarantees: each request succeeds or fails on its own (an expected-version mismatch or
/// an idempotency conflict fails that request only); the requests that succeed get
/// consecutive positions following the head, and hashes that extend the chain; everything
/// is written with one COPY and made durable by one COMMIT, under the writer lock
/// (`shido.take_writer_lock`). If anything throws, the transaction is rolled back whole.
///
/// Two paths (docs/event-store.md): in steady state, one script planned from the writer's
/// memory (two round trips); otherwise `begin_append` first, then COPY and COMMIT. With
/// `lookUpIDs` off, already-recorded event ids are not looked up: a retried id then fails
/// the COPY on the `event_id` unique index, or shows as a version conflict, and the writer
/// replans the group with lookups (see `AppendWriter`). The NOTIFY comes from the table's trigger.
struct GroupCommit {
    let units: [AppendUnit]
    let lookUpIDs: Bool
    private var requests: [AppendRequest] { units.flatMap(\.requests) }

    init(units: [AppendUnit], lookUpIDs: Bool = true) {
        self.units = units
        self.lookUpIDs = lookUpIDs
    }

    /// Each request its own unit.
    init(requests: [AppendRequest], lookUpIDs: Bool = true) {
        self.init(units: requests.map { AppendUnit(requests: [$0]) }, lookUpIDs: lookUpIDs)
    }

    func run(on connection: PostgresConnection, cache: WriterCache = WriterCache(), timer: inout CommitTimer) throws
        -> [Result<[AppendResult], EventStoreError>]
    {
        do {
            if units.count == 1, let feed = units[0].feed {
                return try commitFed(feed, connection, cache: cache, timer: &timer)
            }
            if !lookUpIDs, let head = cache.knownHead, let hash = cache.knownHash {
                return try commitInOneFlight(connection, cache: cache, head: head, hash: hash, timer: &timer)
            }
            return try commitAfterOpening(connection, cache: cache, timer: &timer)
        } catch {
            cache.invalidate()
            if connection.isOpen { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// The usual path: BEGIN and `begin_append` in one flight, then COPY and COMMIT.
    private func commitAfterOpening(_ connection: PostgresConnection, cache: WriterCache, timer: inout CommitTimer) throws
        -> [Result<[AppendResult], EventStoreError>]
    {
        var planner = try openAppend(connection, cache: cache)
        timer.lap()
        let outcomes = try plan(&planner)
        timer.lap()
        if !planner.rows.isEmpty { try copyRows(planner, connection, Self.copyStatement) }
        timer.lap()
        try Self.committing { try connection.execute("COMMIT") }
        timer.lap()
        cache.committed(head: planner.head, hash: planner.headHash, versions: planner.streamVersions)
        return outcomes
    }

    /// The steady-state path: planned from what the writer remembers and sent as one
    /// statement, `shido.append_events` (the writer lock and the rows: one round trip, its own
    /// transaction). If the memory is stale (another writer appended, a stream was written
    /// elsewhere, an id is reused) a unique index refuses the rows, nothing is written, and
    /// the writer replans after opening (see `AppendWriter`).
    private func commitInOneFlight(
        _ connection: PostgresConnection, cache: WriterCache, head: Int64, hash: [UInt8], timer: inout CommitTimer
    ) throws -> [Result<[AppendResult], EventStoreError>] {
        let streams = Set(requests.map(\.streamID))
        var planner = AppendPlanner(
            head: head, headHash: hash, recordedAtMicros: cache.nextTimestamp(),
            streamVersions: Dictionary(uniqueKeysWithValues: streams.map { ($0, cache.versions[$0] ?? 0) }), recorded: [:])
        timer.lap()
        let outcomes = try plan(&planner)
        timer.lap()
        if !planner.rows.isEmpty { try Self.committing { try connection.executeCached(Self.appendEvents, PlannedRow.columns(planner.rows)) } }
        timer.lap()
        timer.lap()  // the commit came with the statement: the commit phase is counted in the copy phase
        cache.committed(head: planner.head, hash: planner.headHash, versions: planner.streamVersions)
        return outcomes
    }

    /// A fed unit: the transaction opens with every stream it names read under the lock, then
    /// each part is planned and its rows copied as it arrives; any failure rolls it all back.
    private func commitFed(_ feed: AppendFeed, _ connection: PostgresConnection, cache: WriterCache, timer: inout CommitTimer) throws
        -> [Result<[AppendResult], EventStoreError>]
    {
        cache.invalidate()  // every stream's version comes from the database
        var planner = try openAppend(connection, cache: cache, streams: feed.streams)
        timer.lap()
        var results: [AppendResult] = []
        var written = 0
        try connection.copyInBinary(Self.copyStatement) { writer in
            while let part = try feed.next() {
                for request in part { results.append(try planner.plan(request).get()) }
                for row in planner.rows[written...] { try row.write(to: &writer) }
                written = planner.rows.count
            }
        }
        timer.lap()
        timer.lap()
        try Self.committing { try connection.execute("COMMIT") }
        timer.lap()
        cache.committed(head: planner.head, hash: planner.headHash, versions: planner.streamVersions)
        return [.success(results)]
    }

    /// Runs the step that carries COMMIT: if the link breaks there, whether the transaction
    /// committed is unknown, and the writer must find out before it answers.
    @discardableResult
    private static func committing<T>(_ step: () throws -> T) throws -> T {
        do { return try step() } catch let error as PostgresError where error.isConnectionFailure {
            throw CommitOutcomeUnknown(underlying: error.description)
        }
    }

    /// Plans every request; without id lookups, a version conflict may hide a retry, so it
    /// sends the group back to be replanned with lookups before anything is written.
    private func plan(_ planner: inout AppendPlanner) throws -> [Result<[AppendResult], EventStoreError>] {
        let outcomes = units.map { planner.plan($0) }
        if !lookUpIDs && outcomes.contains(where: \.isVersionConflict) { throw NeedsIDLookup() }
        return outcomes
    }

    private func copyRows(_ planner: AppendPlanner, _ connection: PostgresConnection, _ sql: StaticOrTrustedSQL) throws {
        try connection.copyInBinary(sql) { writer in
            for row in planner.rows { try row.write(to: &writer) }
        }
    }

    /// For groups of single-request units: one outcome per request.
    func run(on connection: PostgresConnection) throws -> [Result<AppendResult, EventStoreError>] {
        var timer = CommitTimer()
        return try run(on: connection, timer: &timer).map { $0.map { $0[0] } }
    }

    /// Binary COPY: the server parses only the JSON, not positions, ids, times or hashes.
    static let copyStatement: StaticOrTrustedSQL = """
        COPY shido.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                           recorded_at, prev_hash, hash) FROM STDIN (FORMAT binary)
        """

    /// Schema/0017_append_events.sql; the parameters are `PlannedRow.columns`.
    static let appendEvents = "SELECT shido.append_events($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], "
        + "$6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::bytea[], $11::bytea[])"

    private static let beginAppend =
        "SELECT head_position, head_hash, stream_versions, recorded::text FROM shido.begin_append($1::text[], $2::uuid[])"

    /// Opens the transaction, takes the writer lock and reads what planning needs: one flight,
    /// plus one more round trip only when the version cache turns out to be stale.
    private func openAppend(_ connection: PostgresConnection, cache: WriterCache, streams named: [String]? = nil) throws -> AppendPlanner {
        let streams = named ?? Array(Set(requests.map(\.streamID)))
        let toRead = cache.uncached(streams)
        let ids = lookUpIDs ? requests.flatMap { $0.events.map(\.id) } : []
        let results = try connection.pipeline([
            PipelineStatement("BEGIN"),
            PipelineStatement(Self.beginAppend, [ArrayParameter(toRead), ArrayParameter(ids)]),
        ])
        let opened = results[1]
        let head = try opened.int64(0, 0)
        var versions = try Self.versions(toRead, try opened.int64Array(0, 2))
        if cache.isValid(forHead: head) {
            for stream in streams where versions[stream] == nil { versions[stream] = cache.versions[stream] }
        } else if toRead.count < streams.count {
            cache.invalidate()
            let fresh = try connection.executeCached(Self.beginAppend, [ArrayParameter(streams), ArrayParameter([String]())])
            versions = try Self.versions(streams, try fresh.int64Array(0, 2))
        }
        return AppendPlanner(
            head: head, headHash: try opened.bytea(0, 1), recordedAtMicros: cache.nextTimestamp(),
            streamVersions: versions, recorded: try Self.recordedIdentities(try opened.string(0, 3)))
    }

    private static func versions(_ streams: [String], _ values: [Int64]) throws -> [String: Int64] {
        guard values.count == streams.count else {
            throw PostgresError(kind: .decoding, message: "begin_append returned \(values.count) versions for \(streams.count) streams")
        }
        return Dictionary(uniqueKeysWithValues: zip(streams, values))
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

/// Thrown before anything is written when a group must be replanned with id lookups.
struct NeedsIDLookup: Error {}

extension Result where Success == [AppendResult], Failure == EventStoreError {
    var isVersionConflict: Bool {
        if case .failure(.wrongExpectedVersion) = self { return true }
        return false
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

    /// Byte for byte: Swift's `==` on strings treats canonically equivalent text (NFC and
    /// NFD) as equal, but the log stores bytes, and a retry must carry the very same ones.
    func sameContent(as event: NewEvent, in stream: String) -> Bool {
        streamID.utf8.elementsEqual(stream.utf8) && type.utf8.elementsEqual(event.type.utf8) && schemaVersion == event.schemaVersion
            && data.utf8.elementsEqual(event.canonicalData.utf8)
    }
}
