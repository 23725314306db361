import Foundation
import PostgresClient

extension EventStore {
    /// Writes events exactly as a dump holds them (positions, ids, times, metadata, hashes),
    /// continuing the log from its current head.
    ///
    /// Guarantees: under the writer lock, the batch must start right after the head and
    /// every link must check out against the head's hash (recomputed, not trusted); otherwise
    /// `EventStoreError.chainBroken` names the first bad position and nothing of the batch is
    /// written. Returns the new head.
    @discardableResult
    public func restore(_ events: [RecordedEvent]) async throws -> LogHead {
        guard let last = events.last else { return try await head() }
        do {
            try await readers.run { connection in
                try connection.transaction {
                    _ = try connection.execute("SELECT shido.take_writer_lock()")
                    let head = try connection.execute("SELECT position, hash FROM shido.events ORDER BY position DESC LIMIT 1")
                    var verifier = ChainVerifier(start: 1)
                    if head.rowCount == 1 {
                        verifier = ChainVerifier(start: try head.int64(0, 0) + 1)
                        verifier.anchor(on: RecordedEvent.anchor(position: try head.int64(0, 0), hash: try head.bytea(0, 1)))
                    }
                    verifier.check(events)
                    if let broken = verifier.firstBreak { throw EventStoreError.chainBroken(broken) }
                    _ = try connection.copyIn(
                        "COPY shido.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash) FROM STDIN"
                    ) { writer in
                        for event in events { try writer.appendRow(event.copyFields) }
                    }
                }
            }
        } catch let error as PostgresError {
            throw error.isConnectionFailure ? EventStoreError.unavailable(error.description) : EventStoreError.database(error)
        }
        return LogHead(position: last.position, hash: last.hash)
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
