import PostgresClient

/// The outcome of recomputing the hash chain.
///
/// Guarantees: `firstBreak` is the lowest position at which the stored log disagrees with
/// the chain's definition (a missing position, a `prev_hash` that is not the previous
/// event's hash, or a hash that does not match the event's content); nil when intact.
public struct ChainVerification: Sendable, Hashable {
    public let from: Int64
    public let through: Int64
    public let firstBreak: ChainBreak?

    public var isIntact: Bool { firstBreak == nil }
    public var checkedCount: Int64 { max(0, through - from + 1) }
}

/// Where and how the chain broke.
public struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case missingPosition = "missing position"
        case previousHashMismatch = "prev_hash is not the previous event's hash"
        case hashMismatch = "hash does not match the event's content"
    }

    public let position: Int64
    public let kind: Kind

    public init(position: Int64, kind: Kind) {
        self.position = position
        self.kind = kind
    }

    public var description: String { "position \(position): \(kind.rawValue)" }
}

/// Walks events in order and checks each link.
///
/// Guarantees: `firstBreak` is the first link that does not check out, and nothing after
/// it is looked at; `lastHash` is the hash of the last event that did.
public struct ChainVerifier: Sendable {
    public let start: Int64
    public private(set) var expectedPosition: Int64
    private var previousHash = HashChain.genesis
    public private(set) var firstBreak: ChainBreak?
    /// The hash of the last event that checked out.
    public var lastHash: [UInt8] { previousHash }

    public init(start: Int64) {
        self.start = start
        expectedPosition = start
    }

    /// Starts mid-log from the stored hash of the event before `start`.
    mutating func anchor(on previous: RecordedEvent?) {
        guard let previous, previous.position == start - 1 else {
            firstBreak = ChainBreak(position: start - 1, kind: .missingPosition)
            return
        }
        previousHash = previous.hash
    }

    public mutating func check(_ events: [RecordedEvent]) {
        for event in events {
            guard firstBreak == nil else { return }
            if event.position != expectedPosition {
                firstBreak = ChainBreak(position: expectedPosition, kind: .missingPosition)
            } else if event.previousHash != previousHash {
                firstBreak = ChainBreak(position: event.position, kind: .previousHashMismatch)
            } else if HashChain.link(previous: previousHash, event.hashFields) != event.hash {
                firstBreak = ChainBreak(position: event.position, kind: .hashMismatch)
            } else {
                previousHash = event.hash
                expectedPosition += 1
            }
        }
    }

    var result: ChainVerification {
        ChainVerification(from: start, through: expectedPosition - 1, firstBreak: firstBreak)
    }
}
