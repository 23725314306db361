import Foundation
import ShidoJSON

/// An event to append, before the store gives it a position.
///
/// Guarantees: `data` and `metadata` are JSON objects; their canonical (jsonb) text is
/// computed once here and is what the store writes and hashes.
public struct NewEvent: Sendable, Hashable {
    public let id: UUID
    public let type: String
    public let schemaVersion: Int
    public let data: JSONValue
    public let metadata: JSONValue
    let canonicalData: String
    let canonicalMetadata: String

    public init(id: UUID = .random(), type: String, schemaVersion: Int = 1, data: JSONValue, metadata: JSONValue = [:]) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
        canonicalData = data.canonicalText
        canonicalMetadata = metadata.canonicalText
    }

    /// An event whose data and metadata arrive as JSON text, parsed strictly.
    public init(id: UUID = .random(), type: String, schemaVersion: Int = 1, dataJSON: String, metadataJSON: String = "{}") throws(EventStoreError) {
        func parse(_ text: String, _ field: String) throws(EventStoreError) -> JSONValue {
            do { return try JSONParser.parse(text) } catch {
                throw .invalidInput(field: "/\(field)" + error.pointer, reason: error.message)
            }
        }
        self.init(id: id, type: type, schemaVersion: schemaVersion,
                  data: try parse(dataJSON, "data"), metadata: try parse(metadataJSON, "metadata"))
    }

    /// The same event with more metadata (the daemon adds the actor this way).
    public func addingMetadata(_ extra: [String: JSONValue]) -> NewEvent {
        var members = metadata.objectValue ?? [:]
        members.merge(extra) { _, new in new }
        return NewEvent(id: id, type: type, schemaVersion: schemaVersion, data: data, metadata: .object(members))
    }
}

/// One stream's events in an atomic append across streams.
public struct StreamAppend: Sendable {
    public let streamID: String
    public let expected: ExpectedVersion
    public let events: [NewEvent]

    public init(streamID: String, expected: ExpectedVersion, events: [NewEvent]) {
        self.streamID = streamID
        self.expected = expected
        self.events = events
    }
}
