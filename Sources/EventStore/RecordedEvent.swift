import Foundation
import HexEncoding
import PostgresClient
import ShidoJSON

/// An event as the log holds it.
///
/// Guarantees: `data` and `metadata` are PostgreSQL's canonical jsonb text, the very text
/// the hash covers; `hash` is the stored link of the chain (check it with `verifyChain`).
public struct RecordedEvent: Sendable, Hashable {
    public let position: Int64
    public let id: UUID
    public let streamID: String
    public let streamVersion: Int64
    public let type: String
    public let schemaVersion: Int
    public let data: String
    public let metadata: String
    public let recordedAtMicros: Int64
    public let previousHash: [UInt8]
    public let hash: [UInt8]

    public func dataValue() throws -> JSONValue { try JSONParser.parse(data) }
    public func metadataValue() throws -> JSONValue { try JSONParser.parse(metadata) }

    public var recordedAt: Date { Date(timeIntervalSince1970: Double(recordedAtMicros) / 1_000_000) }

    /// The columns, in order, that `init(row:of:)` reads.
    public static let columns = """
        position, event_id, stream_id, stream_version, type, schema_version, data::text, metadata::text,
        recorded_at, prev_hash, hash
        """

    /// Every row of a result selecting `columns`.
    public static func all(in result: PostgresResult) throws(PostgresError) -> [RecordedEvent] {
        try (0..<result.rowCount).map { row throws(PostgresError) in try RecordedEvent(row: row, of: result) }
    }

    init(row: Int, of result: PostgresResult) throws(PostgresError) {
        position = try result.int64(row, 0)
        let idText = try result.string(row, 1)
        guard let id = UUID(uuidString: idText) else {
            throw PostgresError(kind: .decoding, message: "event_id '\(idText)' is not a UUID")
        }
        self.id = id
        streamID = try result.string(row, 2)
        streamVersion = try result.int64(row, 3)
        type = try result.string(row, 4)
        schemaVersion = try result.int(row, 5)
        data = try result.string(row, 6)
        metadata = try result.string(row, 7)
        recordedAtMicros = try result.timestampMicros(row, 8)
        previousHash = try result.bytea(row, 9)
        hash = try result.bytea(row, 10)
    }

    public init(
        position: Int64, id: UUID, streamID: String, streamVersion: Int64, type: String, schemaVersion: Int,
        data: String, metadata: String, recordedAtMicros: Int64, previousHash: [UInt8], hash: [UInt8]
    ) {
        self.position = position
        self.id = id
        self.streamID = streamID
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
        self.recordedAtMicros = recordedAtMicros
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// What one append produced.
///
/// Guarantees: `events` are in the order given, with consecutive positions and stream
/// versions; `alreadyRecorded` is true when the call was a retry and nothing new was written.
public struct AppendResult: Sendable, Hashable {
    public struct Event: Sendable, Hashable {
        public let id: UUID
        public let position: Int64
        public let streamVersion: Int64
    }

    public let streamID: String
    public let events: [Event]
    public let alreadyRecorded: Bool

    public var firstPosition: Int64 { events.first!.position }
    public var lastPosition: Int64 { events.last!.position }
    public var streamVersion: Int64 { events.last!.streamVersion }
}

/// The newest event's position and hash: what an auditor writes down.
public struct LogHead: Sendable, Hashable {
    public let position: Int64
    public let hash: [UInt8]
    public var hashHex: String { Hex.encode(hash) }
}
