import Crypto
import Foundation
import PostgresClient

/// The hash chain's one definition on the Swift side (the SQL side is
/// `shido.event_canonical_text` and `shido.event_hash`; docs/hash-chain.md describes both).
///
/// Guarantees: `canonicalText` is byte-identical to `shido.event_canonical_text(e)` for the
/// same row, and `link` to `shido.event_hash(e)`; tests check both against PostgreSQL.
public enum HashChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public struct Fields {
        public var position: Int64
        public var eventID: UUID
        public var streamID: String
        public var streamVersion: Int64
        public var type: String
        public var schemaVersion: Int
        public var recordedAtMicros: Int64
        public var data: String
        public var metadata: String

        public init(
            position: Int64, eventID: UUID, streamID: String, streamVersion: Int64, type: String,
            schemaVersion: Int, recordedAtMicros: Int64, data: String, metadata: String
        ) {
            self.position = position
            self.eventID = eventID
            self.streamID = streamID
            self.streamVersion = streamVersion
            self.type = type
            self.schemaVersion = schemaVersion
            self.recordedAtMicros = recordedAtMicros
            self.data = data
            self.metadata = metadata
        }
    }

    public static func canonicalText(_ fields: Fields) -> String {
        [
            "shido-event-v1",
            String(fields.position),
            fields.eventID.uuidString.lowercased(),
            fields.streamID,
            String(fields.streamVersion),
            fields.type,
            String(fields.schemaVersion),
            PostgresTimestamp.iso8601UTC(micros: fields.recordedAtMicros),
            fields.data,
            fields.metadata,
        ].joined(separator: "\n")
    }

    /// sha256(previous ‖ canonical text as UTF-8).
    public static func link(previous: [UInt8], _ fields: Fields) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: Data(canonicalText(fields).utf8))
        return Array(hasher.finalize())
    }
}

extension RecordedEvent {
    var hashFields: HashChain.Fields {
        .init(position: position, eventID: id, streamID: streamID, streamVersion: streamVersion, type: type,
              schemaVersion: schemaVersion, recordedAtMicros: recordedAtMicros, data: data, metadata: metadata)
    }
}
