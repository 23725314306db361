import PostgresClient

/// One page of the log read on a connection the caller owns (projectors keep their own).
///
/// Guarantees: events come in global order, all above `after` and at most `through`;
/// `scannedThrough` is the position up to which every event of the requested types has been
/// returned, so a consumer may checkpoint there even when a filter skipped the tail: the
/// head is read in the same snapshot, and positions become visible in order, without gaps.
public struct LogPage: Sendable {
    public let events: [RecordedEvent]
    public let scannedThrough: Int64

    /// Reads up to `limit` events after `after` (only of `types` when given). Inside a
    /// transaction the caller already holds (`ownSnapshot: false`) it reads in that snapshot.
    public static func read(
        on connection: PostgresConnection, after: Int64, through: Int64? = nil, types: [String]? = nil, limit: Int,
        ownSnapshot: Bool = true
    ) throws -> LogPage {
        let ceiling = through ?? Int64.max
        guard let types else {
            // Unfiltered, a short page holds everything up to the head of its own snapshot.
            let events = try select(
                on: connection,
                "SELECT \(RecordedEvent.columns) FROM shido.events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3",
                [after, ceiling, limit])
            return LogPage(events: events, scannedThrough: events.last?.position ?? after)
        }
        let page = {
            let events = try select(
                on: connection,
                """
                SELECT \(RecordedEvent.columns) FROM shido.events
                WHERE position > $1 AND position <= $2 AND type = ANY($3::text[]) ORDER BY position LIMIT $4
                """, [after, ceiling, ArrayParameter(types), limit])
            if events.count == limit { return LogPage(events: events, scannedThrough: events.last!.position) }
            let head = try connection.executeCached(
                "SELECT coalesce(max(position), 0) FROM shido.events WHERE position <= $1", [ceiling]).int64(0, 0)
            return LogPage(events: events, scannedThrough: max(after, head))
        }
        return ownSnapshot ? try connection.transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", page) : try page()
    }

    private static func select(
        on connection: PostgresConnection, _ sql: String, _ parameters: [any PostgresParameterEncodable]
    ) throws -> [RecordedEvent] {
        try RecordedEvent.all(in: try connection.executeCached(sql, parameters))
    }
}
