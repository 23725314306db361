import Foundation
import HexEncoding
import PostgresClient
import Synchronization

extension EventStore {
    /// Opens a restore: one transaction on a connection of its own, under the writer lock,
    /// so appends wait until it ends. Feed it the dump in batches, then commit.
    public func beginRestore() async throws -> RestoreSession {
        let session = RestoreSession(settings: Self.writerSession(settings, configuration))
        do { try await session.open() } catch {
            session.close()
            throw error
        }
        return session
    }

    /// Writes events exactly as a dump holds them, continuing the log from its head, all or
    /// nothing (see `RestoreSession`). Returns the new head.
    @discardableResult
    public func restore(_ events: [RecordedEvent]) async throws -> LogHead {
        let session = try await beginRestore()
        do {
            try await session.append(events)
            return try await session.commit()
        } catch {
            await session.abort()
            throw error
        }
    }
}

/// A restore in progress.
///
/// Guarantees: every batch must continue the chain from the head (recomputed, not trusted),
/// else `EventStoreError.chainBroken` names the first bad position and the restore is
/// rolled back; rows are copied as batches arrive, so memory holds one batch, not the dump;
/// nothing is visible to anyone before `commit()`, which makes it all durable at once.
/// All database work runs on the session's own thread.
public final class RestoreSession: Sendable {
    private let worker: PostgresWorker
    private let state = Mutex(State())

    private struct State {
        var verifier = ChainVerifier(start: 1)
        var head = LogHead(position: 0, hash: HashChain.genesis)
    }

    /// The head the log had when the restore began.
    public var headAtStart: LogHead { state.withLock { $0.head } }

    init(settings: ConnectionSettings) {
        worker = PostgresWorker(name: "shido-restore", settings: settings)
    }

    func open() async throws {
        let head = try await run { connection in
            try connection.execute("BEGIN")
            _ = try connection.execute("SELECT shido.take_writer_lock()")
            let result = try connection.execute("SELECT position, hash FROM shido.events ORDER BY position DESC LIMIT 1")
            guard result.rowCount == 1 else { return LogHead(position: 0, hash: HashChain.genesis) }
            return LogHead(position: try result.int64(0, 0), hash: try result.bytea(0, 1))
        }
        state.withLock { state in
            state.head = head
            state.verifier = ChainVerifier(start: head.position + 1)
            if head.position > 0 { state.verifier.anchor(on: RecordedEvent.anchor(position: head.position, hash: head.hash)) }
        }
    }

    /// Checks a batch against the chain and copies it into the open transaction.
    public func append(_ events: [RecordedEvent]) async throws {
        guard !events.isEmpty else { return }
        let broken: ChainBreak? = state.withLock { state in
            state.verifier.check(events)
            return state.verifier.firstBreak
        }
        if let broken { throw EventStoreError.chainBroken(broken) }
        try await run { connection in
            _ = try connection.copyIn(
                "COPY shido.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash) FROM STDIN"
            ) { writer in
                for event in events { try writer.appendRow(event.copyFields) }
            }
        }
    }

    /// Commits everything appended; returns the new head.
    public func commit() async throws -> LogHead {
        _ = try await run { connection in try connection.execute("COMMIT") }
        close()
        // The verifier starts from the head (anchored on its hash), so it names the new head.
        return state.withLock { LogHead(position: $0.verifier.expectedPosition - 1, hash: $0.verifier.lastHash) }
    }

    /// Rolls everything back.
    public func abort() async {
        _ = try? await run { connection in try connection.execute("ROLLBACK") }
        close()
    }

    func close() { worker.shutdown() }

    private func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do {
            return try await worker.run { session in try body(try session.connection()) }
        } catch let error as PostgresError {
            throw error.isConnectionFailure ? EventStoreError.unavailable(error.description) : EventStoreError.database(error)
        }
    }
}

extension RecordedEvent {
    /// A stand-in for the head event: only its position and hash matter to the verifier.
    static func anchor(position: Int64, hash: [UInt8]) -> RecordedEvent {
        RecordedEvent(
            position: position, id: UUID(), streamID: "", streamVersion: 0, type: "", schemaVersion: 0, data: "",
            metadata: "", recordedAtMicros: 0, previousHash: [], hash: hash)
    }

    var copyFields: [String?] {
        [
            String(position), id.lowercaseText, streamID, String(streamVersion), type, String(schemaVersion), data, metadata,
            PostgresTimestamp.iso8601UTC(micros: recordedAtMicros), "\\x" + Hex.encode(previousHash), "\\x" + Hex.encode(hash),
        ]
    }
}
