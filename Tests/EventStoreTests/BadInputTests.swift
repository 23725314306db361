import EventStore
import Foundation
import ShidoJSON
import Testing

@Suite("Bad input: a typed error naming the field, nothing written")
struct BadInputTests {
    static func expectRefusal(_ field: String, _ body: (EventStore) async throws -> Void) async throws {
        let fixture = try StoreFixture("badinput")
        defer { Task { await fixture.store.shutdown() } }
        await #expect {
            try await body(fixture.store)
        } throws: { error in
            guard case .invalidInput(let pointer, _) = error as? EventStoreError else { return false }
            return pointer == field
        }
        #expect(try fixture.count() == 0)
    }

    @Test("an empty stream id") func emptyStream() async throws {
        try await Self.expectRefusal("/streamID") { try await $0.append([sessionEvent(1)], to: "") }
    }

    @Test("a stream id with spaces or control characters") func badStream() async throws {
        try await Self.expectRefusal("/streamID") { try await $0.append([sessionEvent(1)], to: "engagement\n1") }
    }

    @Test("no events") func noEvents() async throws {
        try await Self.expectRefusal("/events") { try await $0.append([], to: "s") }
    }

    @Test("oversized event data") func oversized() async throws {
        let big = String(repeating: "가", count: 30_000)  // 90,000 bytes of UTF-8
        try await Self.expectRefusal("/events/1/data") {
            try await $0.append([sessionEvent(1), NewEvent(type: "X", data: ["text": .string(big)])], to: "s")
        }
    }

    @Test("data that is not an object") func notAnObject() async throws {
        try await Self.expectRefusal("/events/0/data") { try await $0.append([NewEvent(type: "X", data: [1, 2])], to: "s") }
    }

    @Test("an event type that is not a name") func badType() async throws {
        try await Self.expectRefusal("/events/0/type") { try await $0.append([NewEvent(type: "9 lives", data: [:])], to: "s") }
    }

    @Test("a schema version of 0") func badSchemaVersion() async throws {
        try await Self.expectRefusal("/events/0/schemaVersion") {
            try await $0.append([NewEvent(type: "X", schemaVersion: 0, data: [:])], to: "s")
        }
    }

    @Test("one event id twice in one append") func duplicateIDs() async throws {
        let id = UUID()
        try await Self.expectRefusal("/events/1/id") { try await $0.append([sessionEvent(1, id: id), sessionEvent(2, id: id)], to: "s") }
    }

    @Test("invalid JSON names the place inside the data")
    func invalidJSON() throws {
        #expect {
            try NewEvent(type: "X", dataJSON: #"{"hours": 1, "hours": 2}"#)
        } throws: { error in
            guard case .invalidInput(let pointer, let reason) = error as? EventStoreError else { return false }
            return pointer == "/data/hours" && reason.contains("duplicate")
        }
    }

    @Test("expected-version forms", arguments: [
        ("any", ExpectedVersion.any), ("no-stream", .noStream), ("0", .exactly(0)), ("42", .exactly(42)),
    ])
    func expectedVersionForms(text: String, expected: ExpectedVersion) {
        #expect(ExpectedVersion.parse(text) == expected)
        #expect(expected.description == text)
    }

    @Test("unknown expected-version forms are refused", arguments: ["", "-1", "latest", "1.0", "٣", " 1", "no_stream"])
    func unknownExpectedVersion(text: String) {
        #expect(ExpectedVersion.parse(text) == nil)
    }
}
