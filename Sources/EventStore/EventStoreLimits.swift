import Foundation
import PostgresClient

/// The bounds every append is checked against before anything is queued.
///
/// Guarantees: an append outside these bounds fails with `invalidInput` naming the field,
/// and nothing is written. Defaults are documented in docs/event-store.md.
public struct EventStoreLimits: Sendable, Hashable {
    public var maxEventsPerAppend = 10_000
    public var maxDataBytes = 64 * 1024
    public var maxMetadataBytes = 8 * 1024
    public var maxStreamIDLength = 200
    public var maxTypeLength = 100
    public var maxSchemaVersion = 1_000

    public init() {}

    public static let `default` = EventStoreLimits()

    func check(streamID: String, events: [NewEvent]) throws(EventStoreError) {
        try checkStreamID(streamID)
        guard !events.isEmpty else { throw .invalidInput(field: "/events", reason: "an append needs at least one event") }
        guard events.count <= maxEventsPerAppend else {
            throw .invalidInput(field: "/events", reason: "\(events.count) events in one append; the limit is \(maxEventsPerAppend)")
        }
        var seen = Set<UUID>()
        for (index, event) in events.enumerated() {
            try check(event, at: "/events/\(index)")
            guard seen.insert(event.id).inserted else {
                throw .invalidInput(field: "/events/\(index)/id", reason: "event id \(event.id.lowercaseText) appears twice in one append")
            }
        }
    }

    private func checkStreamID(_ streamID: String) throws(EventStoreError) {
        guard !streamID.isEmpty else { throw .invalidInput(field: "/streamID", reason: "the stream id is empty") }
        guard streamID.utf8.count <= maxStreamIDLength else {
            throw .invalidInput(field: "/streamID", reason: "the stream id is longer than \(maxStreamIDLength) bytes")
        }
        guard streamID.unicodeScalars.allSatisfy(Self.isStreamIDScalar) else {
            throw .invalidInput(field: "/streamID", reason: "a stream id may contain only ASCII letters, digits and . _ : -")
        }
    }

    private func check(_ event: NewEvent, at pointer: String) throws(EventStoreError) {
        guard let first = event.type.unicodeScalars.first, Self.isASCIILetter(first),
              event.type.unicodeScalars.allSatisfy({ Self.isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "." }),
              event.type.utf8.count <= maxTypeLength
        else {
            throw .invalidInput(field: pointer + "/type", reason: "an event type is 1–\(maxTypeLength) ASCII letters, digits and dots, starting with a letter")
        }
        guard (1...maxSchemaVersion).contains(event.schemaVersion) else {
            throw .invalidInput(field: pointer + "/schemaVersion", reason: "the schema version must be 1…\(maxSchemaVersion)")
        }
        guard event.data.objectValue != nil else { throw .invalidInput(field: pointer + "/data", reason: "event data must be a JSON object") }
        guard event.metadata.objectValue != nil else {
            throw .invalidInput(field: pointer + "/metadata", reason: "event metadata must be a JSON object")
        }
        guard event.canonicalData.utf8.count <= maxDataBytes else {
            throw .invalidInput(field: pointer + "/data", reason: "event data is \(event.canonicalData.utf8.count) bytes; the limit is \(maxDataBytes)")
        }
        guard event.canonicalMetadata.utf8.count <= maxMetadataBytes else {
            throw .invalidInput(field: pointer + "/metadata", reason: "event metadata is larger than \(maxMetadataBytes) bytes")
        }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isStreamIDScalar(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == ":" || scalar == "-"
    }
}
