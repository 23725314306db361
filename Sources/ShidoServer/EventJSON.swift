import CommandHandling
import EventStore
import Foundation
import HexEncoding
import PostgresClient
import ShidoAPI
import ShidoJSON

/// The wire form of a recorded event (audit log, streams, dump) and its inverse (restore).
///
/// Guarantees: `data` and `metadata` are written exactly as stored (the canonical text the
/// hash covers), so `parse(line(event)) == event` for every event, and a dump restores to
/// the same positions, times and hashes.
enum EventJSON {
    static func line(_ event: RecordedEvent) -> String {
        func string(_ text: String) -> String { JSONValue.string(text).canonicalText }
        return "{\"position\":\(event.position),\"id\":\"\(event.id.lowercaseText)\",\"stream\":\(string(event.streamID))"
            + ",\"version\":\(event.streamVersion),\"type\":\(string(event.type)),\"schemaVersion\":\(event.schemaVersion)"
            + ",\"recordedAt\":\"\(PostgresTimestamp.iso8601UTC(micros: event.recordedAtMicros))\",\"recordedAtMicros\":\(event.recordedAtMicros)"
            + ",\"data\":\(event.data),\"metadata\":\(event.metadata)"
            + ",\"prevHash\":\"\(Hex.encode(event.previousHash))\",\"hash\":\"\(Hex.encode(event.hash))\"}"
    }

    static func array(_ events: [RecordedEvent]) -> String {
        "[" + events.map(line).joined(separator: ",") + "]"
    }

    /// Reads one dump line; the problem names the field at fault.
    static func parse(_ bytes: [UInt8]) throws(Problem) -> RecordedEvent {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw Problem(.rejected, detail: "not valid JSON: \(error.message)", field: error.pointer)
        }
        func field<T>(_ name: String, _ read: (JSONValue) -> T?) throws(Problem) -> T {
            guard let member = value[name], let result = read(member) else {
                throw Problem(.rejected, detail: "missing or malformed '\(name)'", field: "/\(name)")
            }
            return result
        }
        let integer: (JSONValue) -> Int64? = { $0.numberValue.flatMap { Int64($0.literal) } }
        let hex: (JSONValue) -> [UInt8]? = { $0.stringValue.flatMap { Hex.decode($0) }.flatMap { $0.count == 32 ? $0 : nil } }
        let object: (JSONValue) -> String? = { $0.objectValue != nil ? $0.canonicalText : nil }
        return RecordedEvent(
            position: try field("position", integer), id: try field("id") { $0.stringValue.flatMap(UUID.init(uuidString:)) },
            streamID: try field("stream", \.stringValue), streamVersion: try field("version", integer),
            type: try field("type", \.stringValue), schemaVersion: Int(try field("schemaVersion", integer)),
            data: try field("data", object), metadata: try field("metadata", object),
            recordedAtMicros: try field("recordedAtMicros", integer),
            previousHash: try field("prevHash", hex), hash: try field("hash", hex))
    }
}

extension Receipt {
    var json: JSONValue {
        [
            "stream": .string(streamID),
            "unchanged": .bool(unchanged),
            "events": .array(events.map { event in
                [
                    "id": .string(event.id.lowercaseText), "type": .string(event.type),
                    "position": .number(JSONNumber(Int(event.position))), "streamVersion": .number(JSONNumber(Int(event.streamVersion))),
                ]
            }),
        ]
    }
}
