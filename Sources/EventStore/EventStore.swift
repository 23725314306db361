import Foundation
import PostgresClient
import ServiceLifecycle

/// The channel on which every commit announces the new head position (`NOTIFY`); a rebuild
/// request is announced on it too (payload `rebuild`), to wake the projectors.
public enum LogNotifications {
    public static let channel = "shido_events"
    /// The payload that announces a rebuild request (any other is a head position).
    public static let rebuildPayload = "rebuild"
}

/// How the store uses its database.
public struct EventStoreConfiguration: Sendable {
    /// Reader connections (each on its own thread).
    public var readers = 2
    /// The most events one group commit takes; a single larger append still commits whole.
    public var maxEventsPerCommit = 10_000
    /// How long the writer keeps reconnecting before it fails the appends it holds.
    public var reconnectTimeout: Duration = .seconds(30)
    /// Under contention, how long the writer may wait for a group to fill before committing.
    public var groupDelay: Duration = .microseconds(1_000)
    /// How long an append waits for the writer lock that another session holds (a second
    /// daemon mid-commit, or a stopped one) before it is answered "unavailable".
    public var writerLockTimeout: Duration = .seconds(5)
    /// How long the writer's own session may sit idle inside a transaction before the server
    /// ends it, releasing the writer lock (a daemon stopped mid-commit must not hold it forever).
    public var idleInTransactionTimeout: Duration = .seconds(10)
    public var limits = EventStoreLimits.default
    /// Faults the writer injects on purpose, for tests of what a lost answer does.
    @_spi(FaultInjection) public var faults = WriterFaults()

    public init() {}
}

/// Faults injected into the writer, for tests only.
@_spi(FaultInjection)
public struct WriterFaults: Sendable {
    /// Runs on the writer thread right after a COMMIT succeeded and before its answer is
    /// used; throwing makes the writer act as if the connection died with the answer in flight.
    public var afterCommit: (@Sendable () throws -> Void)?

    public init() {}
}

/// The append-only, hash-chained event log in PostgreSQL.
///
/// Guarantees (tested against a real PostgreSQL, see Tests/EventStoreTests):
/// - an append returns only after its transaction committed durably;
/// - global positions are gapless and commit-ordered: a reader never sees N+1 before N;
/// - per-stream optimistic concurrency: a wrong expected version fails that append only;
/// - retries are safe: the same event ids with the same content return the original positions;
/// - every event extends the SHA-256 hash chain, and `verifyChain` names the first broken link;
/// - every commit sends `NOTIFY shido_events` with the new head position.
/// All database work happens on dedicated threads, never on Swift's cooperative pool.
public final class EventStore: Sendable {
    private let writer: AppendWriter
    let readers: ReaderPool
    let settings: ConnectionSettings
    public let configuration: EventStoreConfiguration

    /// - Parameter settings: a session that may SELECT and INSERT on `shido.events`
    ///   (the daemon assumes `shido_app`); migrations must have been applied.
    public init(settings: ConnectionSettings, configuration: EventStoreConfiguration = .init()) {
        self.configuration = configuration
        self.settings = settings
        writer = AppendWriter(settings: Self.writerSession(settings, configuration), configuration: configuration)
        // Reads are key lookups and ranges: compiling a plan (JIT) would cost more than running it.
        readers = ReaderPool(settings: settings.setting("jit", "off"), count: configuration.readers)
    }

    /// The writer's session: durable commits and bounded lock waits, whatever the server's,
    /// the database's or the role's defaults say (an `ALTER DATABASE … SET synchronous_commit
    /// = off` must not make acknowledged appends lose their durability).
    static func writerSession(_ settings: ConnectionSettings, _ configuration: EventStoreConfiguration) -> ConnectionSettings {
        settings
            .setting("synchronous_commit", "on")
            .setting("lock_timeout", "\(configuration.writerLockTimeout.milliseconds)ms")
            .setting("idle_in_transaction_session_timeout", "\(configuration.idleInTransactionTimeout.milliseconds)ms")
    }

    /// The durability settings in force, read from the writer's own session.
    public func durability() async throws -> DurabilitySettings {
        try await writer.durability()
    }

    /// Appends `events` to one stream, atomically, if the stream is at `expected`.
    @discardableResult
    public func append(_ events: [NewEvent], to streamID: String, expecting expected: ExpectedVersion = .any) async throws -> AppendResult {
        try configuration.limits.check(streamID: streamID, events: events)
        return try await writer.append(AppendUnit(requests: [AppendRequest(streamID: streamID, expected: expected, events: events)]))[0]
    }

    /// Appends to several streams in one transaction: all of them, or (when one stream is
    /// not at its expected version, or an id conflicts) none. Results follow `appends`' order.
    public func appendAtomically(_ appends: [StreamAppend]) async throws -> [AppendResult] {
        guard !appends.isEmpty else { return [] }
        for part in appends { try configuration.limits.check(streamID: part.streamID, events: part.events) }
        guard Set(appends.map(\.streamID)).count == appends.count else {
            throw EventStoreError.invalidInput(field: "/streamID", reason: "each stream may appear once in an atomic append")
        }
        return try await writer.append(AppendUnit(requests: appends.map {
            AppendRequest(streamID: $0.streamID, expected: $0.expected, events: $0.events)
        }))
    }

    /// Appends everything `feed` receives in one transaction that opens now and commits when
    /// the feed finishes (see `AppendFeed`); results follow the order sent.
    public func append(feed: AppendFeed) async throws -> [AppendResult] {
        try await writer.append(AppendUnit(feed: feed))
    }

    /// The group-commit writer as a `Service`: first in the daemon's ServiceGroup, so it stops
    /// last, after the socket has answered every request; it then answers every accepted
    /// append and closes its connection.
    public var writerService: any Service { writer }

    /// What the group-commit writer has done so far.
    public var writerStatistics: WriterStatistics { writer.statistics }

    /// Answers accepted appends, then closes every connection.
    public func shutdown() async {
        await writer.shutdown()
        readers.shutdown()
    }

    /// Up to `limit` events in global order, starting at `position`.
    public func read(from position: Int64, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await query(
            "SELECT \(RecordedEvent.columns) FROM shido.events WHERE position >= $1 ORDER BY position LIMIT $2",
            [position, limit])
    }

    /// Up to `limit` events of one stream, from `version` on.
    public func readStream(_ streamID: String, fromVersion version: Int64 = 1, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await query(
            "SELECT \(RecordedEvent.columns) FROM shido.events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3",
            [streamID, version, limit])
    }

    /// Up to `limit` events of one type in global order, starting at `position`.
    public func readByType(_ type: String, from position: Int64 = 1, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await query(
            "SELECT \(RecordedEvent.columns) FROM shido.events WHERE type = $1 AND position >= $2 ORDER BY position LIMIT $3",
            [type, position, limit])
    }

    /// The newest event's position and hash (position 0 and the genesis hash when empty).
    public func head() async throws -> LogHead {
        try await readers.run { connection in
            let result = try connection.execute("SELECT position, hash FROM shido.events ORDER BY position DESC LIMIT 1")
            guard result.rowCount == 1 else { return LogHead(position: 0, hash: HashChain.genesis) }
            return LogHead(position: try result.int64(0, 0), hash: try result.bytea(0, 1))
        }
    }

    /// Recomputes the hash chain from `position` to the head, reading `batchSize` events at
    /// a time (memory stays bounded), and reports the first position that does not check out.
    public func verifyChain(
        from position: Int64 = 1, batchSize: Int = 5_000, progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws -> ChainVerification {
        var verifier = ChainVerifier(start: max(1, position))
        if verifier.expectedPosition > 1 {
            let anchor = try await read(from: verifier.expectedPosition - 1, limit: 1)
            verifier.anchor(on: anchor.first)
        }
        while verifier.firstBreak == nil {
            let batch = try await read(from: verifier.expectedPosition, limit: batchSize)
            verifier.check(batch)
            progress?(verifier.expectedPosition - 1)
            if batch.count < batchSize { break }
        }
        return verifier.result
    }

    func query(_ sql: String, _ parameters: [any PostgresParameterEncodable & Sendable]) async throws -> [RecordedEvent] {
        do {
            return try await readers.run { connection in
                try RecordedEvent.all(in: try connection.execute(sql, parameters))
            }
        } catch let error as PostgresError {
            throw error.isConnectionFailure ? EventStoreError.unavailable(error.description) : EventStoreError.database(error)
        }
    }
}
