import EventStore
import Foundation
import PostgresClient
import Projections

/// The engagements projection with a bug: it writes part of a page, then fails on one event.
struct PoisonedProjection: Projection {
    let inner = EngagementsProjection()
    let poison: UUID

    var name: String { inner.name }
    var codeVersion: Int { inner.codeVersion }
    var tableNames: [String] { inner.tableNames }
    var tableDefinitions: String { inner.tableDefinitions }
    var eventTypes: [String] { inner.eventTypes }

    func apply(_ events: [RecordedEvent], to tables: TableSet, on connection: PostgresConnection) throws {
        guard let bad = events.firstIndex(where: { $0.id == poison }) else { return try inner.apply(events, to: tables, on: connection) }
        try inner.apply(Array(events[..<bad]), to: tables, on: connection)
        struct Bug: Error {}
        throw Bug()
    }
}

/// The engagements projection under another code version (a new build).
struct RevisedProjection: Projection {
    let inner = EngagementsProjection()
    let codeVersion: Int

    var name: String { inner.name }
    var tableNames: [String] { inner.tableNames }
    var tableDefinitions: String { inner.tableDefinitions }
    var eventTypes: [String] { inner.eventTypes }

    func apply(_ events: [RecordedEvent], to tables: TableSet, on connection: PostgresConnection) throws {
        try inner.apply(events, to: tables, on: connection)
    }
}
