import PostgresClient

/// Why an event-store call did not do what was asked.
///
/// Guarantees: when an append throws, none of its events were written (appends are atomic
/// per call); every case names what was wrong and, where it helps, what to do.
public enum EventStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input breaks a rule of the store; `field` is a JSON pointer into the append
    /// (`/events/2/type`, `/streamID`), nothing was written.
    case invalidInput(field: String, reason: String)
    /// The stream's version was not the one the caller expected; nothing was written.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: Int64)
    /// An event id is already recorded with different content (or together with other ids).
    case idempotencyConflict(eventID: String, reason: String)
    /// PostgreSQL could not be reached within the reconnect timeout.
    case unavailable(String)
    /// The connection broke after the COMMIT was sent and the database did not come back
    /// within the reconnect timeout: the events may or may not be recorded. Appending the
    /// same events again (same event ids, or the same Idempotency-Key) is safe: it records
    /// them once, or answers their original positions.
    case outcomeUnknown(String)
    /// PostgreSQL refused a statement.
    case database(PostgresError)
    /// The store is shutting down.
    case shutDown
    /// Events to restore do not continue the hash chain; nothing of them was written.
    case chainBroken(ChainBreak)

    public var description: String {
        switch self {
        case .invalidInput(let field, let reason):
            "invalid input at \(field.isEmpty ? "the request" : field): \(reason)"
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "stream \(stream) is at version \(actual), but the append expected \(expected); "
                + "read the stream again and retry with the current version"
        case .idempotencyConflict(let eventID, let reason):
            "event id \(eventID) was already used: \(reason); choose a new event id"
        case .unavailable(let detail):
            "the database is unavailable: \(detail)"
        case .outcomeUnknown(let detail):
            "the connection broke after the commit was sent, and the database did not come back in time to tell whether it "
                + "committed (\(detail)); retrying with the same event ids or Idempotency-Key is safe"
        case .database(let error):
            "the database refused the operation: \(error)"
        case .shutDown:
            "the event store is shutting down"
        case .chainBroken(let broken):
            "the events do not continue the hash chain at \(broken)"
        }
    }

    /// Equal when they say the same thing (PostgresError, carried by `.database`, is not Equatable).
    public static func == (lhs: EventStoreError, rhs: EventStoreError) -> Bool { lhs.description == rhs.description }
}
