import Foundation
import PostgresClient

/// Which events an audit query wants: every condition given must hold.
///
/// Guarantees: values travel only as statement parameters; the SQL is assembled from fixed
/// fragments, one per condition, so a filter cannot change what the statement does.
public struct EventFilter: Sendable, Hashable {
    public var eventID: UUID?
    public var streamID: String?
    public var type: String?
    /// The actor's user name, as the daemon recorded it in the metadata.
    public var actor: String?
    /// Recorded at or after this instant (µs since 1970, UTC).
    public var recordedSinceMicros: Int64?
    /// Recorded strictly before this instant (µs since 1970, UTC).
    public var recordedBeforeMicros: Int64?
    public var fromPosition: Int64 = 1
    public var toPosition: Int64?
    public var limit = 100

    public init() {}

    /// The statement and its parameters.
    func statement() -> (sql: String, parameters: [any PostgresParameterEncodable & Sendable]) {
        var conditions = ["position >= $1"]
        var parameters: [any PostgresParameterEncodable & Sendable] = [fromPosition]
        func add(_ fragment: String, _ value: (any PostgresParameterEncodable & Sendable)?) {
            guard let value else { return }
            parameters.append(value)
            conditions.append(fragment.replacingOccurrences(of: "?", with: "$\(parameters.count)"))
        }
        add("position <= ?", toPosition)
        add("event_id = ?::uuid", eventID?.lowercaseText)
        add("stream_id = ?", streamID)
        add("type = ?", type)
        add("metadata -> 'actor' ->> 'user' = ?", actor)
        add("recorded_at >= to_timestamp(?::bigint / 1e6)", recordedSinceMicros)
        add("recorded_at < to_timestamp(?::bigint / 1e6)", recordedBeforeMicros)
        parameters.append(limit)
        let sql = "SELECT \(RecordedEvent.columns) FROM shido.events WHERE "
            + conditions.joined(separator: " AND ") + " ORDER BY position LIMIT $\(parameters.count)"
        return (sql, parameters)
    }
}

extension EventStore {
    /// Up to `filter.limit` events that match, in global order.
    public func events(matching filter: EventFilter) async throws -> [RecordedEvent] {
        let (sql, parameters) = filter.statement()
        return try await query(sql, parameters)
    }

    /// Every event of the given streams, ordered by stream and version (for loading state).
    public func readStreams(_ streamIDs: [String]) async throws -> [RecordedEvent] {
        guard !streamIDs.isEmpty else { return [] }
        // One index scan per stream, whatever the planner guesses: with `stream_id = ANY($1)`
        // and a thousand new streams (an import's), it expected a tenth of the log and scanned
        // all of it (350 ms at 1.6M events, growing with the log). OFFSET 0 keeps the lateral
        // subquery from being flattened into a hash join over the whole table.
        return try await query(
            """
            SELECT \(RecordedEvent.columns) FROM unnest($1::text[]) AS wanted (id)
            CROSS JOIN LATERAL (SELECT * FROM shido.events e WHERE e.stream_id = wanted.id OFFSET 0) AS e
            ORDER BY e.stream_id, e.stream_version
            """,
            [ArrayParameter(streamIDs)])
    }

    /// The event with this id, if it was recorded.
    public func event(id: UUID) async throws -> RecordedEvent? {
        try await query("SELECT \(RecordedEvent.columns) FROM shido.events WHERE event_id = $1", [id.lowercaseText]).first
    }

    /// The events with these ids that are recorded, in global order.
    public func events(withIDs ids: [UUID]) async throws -> [RecordedEvent] {
        guard !ids.isEmpty else { return [] }
        return try await query(
            "SELECT \(RecordedEvent.columns) FROM shido.events WHERE event_id = ANY($1::uuid[]) ORDER BY position",
            [ArrayParameter(ids.map(\.lowercaseText))])
    }
}
