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
        var bytes: [UInt8] = []
        appendCanonicalBytes(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// sha256(previous ‖ canonical text as UTF-8).
    public static func link(previous: [UInt8], _ fields: Fields) -> [UInt8] {
        link(previous: previous, fields, recordedAtText: PostgresTimestamp.iso8601UTC(micros: fields.recordedAtMicros))
    }

    /// The same, with `recordedAtMicros` already formatted (a group commit stamps one time on all its events).
    static func link(previous: [UInt8], _ fields: Fields, recordedAtText: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(previous.count + fields.data.utf8.count + fields.metadata.utf8.count + 160)
        bytes.append(contentsOf: previous)
        appendCanonicalBytes(fields, recordedAtText: recordedAtText, to: &bytes)
        return Array(SHA256.hash(data: bytes))
    }

    private static func appendCanonicalBytes(_ fields: Fields, to bytes: inout [UInt8]) {
        appendCanonicalBytes(fields, recordedAtText: PostgresTimestamp.iso8601UTC(micros: fields.recordedAtMicros), to: &bytes)
    }

    private static func appendCanonicalBytes(_ fields: Fields, recordedAtText: String, to bytes: inout [UInt8]) {
        let newline = UInt8(ascii: "\n")
        bytes.append(contentsOf: "shido-event-v1".utf8)
        for line in [
            String(fields.position), fields.eventID.lowercaseText, fields.streamID, String(fields.streamVersion),
            fields.type, String(fields.schemaVersion), recordedAtText,
        ] {
            bytes.append(newline)
            bytes.append(contentsOf: line.utf8)
        }
        bytes.append(newline)
        bytes.append(contentsOf: fields.data.utf8)
        bytes.append(newline)
        bytes.append(contentsOf: fields.metadata.utf8)
    }
}

extension RecordedEvent {
    public var hashFields: HashChain.Fields {
        .init(position: position, eventID: id, streamID: streamID, streamVersion: streamVersion, type: type,
              schemaVersion: schemaVersion, recordedAtMicros: recordedAtMicros, data: data, metadata: metadata)
    }
}
