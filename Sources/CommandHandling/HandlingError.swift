import ShidoDomain

/// Why a command was not recorded. Nothing was written in any case.
public enum HandlingError: Error, Sendable, Hashable {
    /// A domain rule refused the command.
    case rejected(Rejection)
    /// The caller named the stream version it expected, and the stream is elsewhere.
    case conflict(stream: String, expected: Int64, actual: Int64)
    /// Other writers kept changing the stream while the command was being decided.
    case contended(stream: String)
    /// The Idempotency-Key was first used for another request (`request` is that one's digest).
    case idempotencyKeyReused(key: String)
    /// A stored event could not be read back as a domain event (a bug or a foreign row).
    case unreadableEvent(position: Int64, reason: String)
}

extension HandlingError {
    /// The domain's refusal, when that is what this is.
    public var rejection: Rejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

/// A command at a line of a bulk import that was refused.
public struct ImportError: Error, Sendable {
    /// 1-based line number within the batch.
    public let line: Int
    public let underlying: any Error

    public init(line: Int, underlying: any Error) {
        self.line = line
        self.underlying = underlying
    }
}
