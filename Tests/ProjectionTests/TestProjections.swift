import EventStore
import Foundation
import PostgresClient
import Projections

/// The engagements projection with a bug: it writes part of a range, then fails on one event.
struct PoisonedProjection: Projection {
    let inner = EngagementsProjection()
    let poison: UUID

    var name: String { inner.name }
    var codeVersion: Int { inner.codeVersion }
    var tablesSince: Int { inner.tablesSince }
    var tableDefinitions: String { inner.tableDefinitions }
    var sessionSetup: String? { inner.sessionSetup }
    var sessionUpkeep: String? { inner.sessionUpkeep }
    var eventTypes: [String] { inner.eventTypes }

    func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        let found = try connection.executeCached("SELECT position FROM shido.events WHERE event_id = $1::uuid", [poison.uuidString])
        let bad = try found.int64(0, 0)
        guard range.after < bad, bad <= range.through else { return try inner.apply(range, on: connection) }
        try inner.apply(LogRange(after: range.after, through: bad - 1), on: connection)
        struct Bug: Error {}
        throw Bug()
    }
}

/// The engagements projection under another code version (a new build).
struct RevisedProjection: Projection {
    let inner = EngagementsProjection()
    let codeVersion: Int

    var name: String { inner.name }
    /// The same tables: the old generation is kept current by the new code meanwhile.
    var tablesSince: Int { inner.tablesSince }
    var tableDefinitions: String { inner.tableDefinitions }
    var sessionSetup: String? { inner.sessionSetup }
    var sessionUpkeep: String? { inner.sessionUpkeep }
    var eventTypes: [String] { inner.eventTypes }

    func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        try inner.apply(range, on: connection)
    }
}

/// The engagements projection under a new code version with one more table, which it
/// writes at every range (so writing it into the old generation would fail); its build
/// from scratch waits for the advisory lock `ReshapedProjection.gate` (a test holds it to
/// keep the rebuild running while it looks).
struct ReshapedProjection: Projection {
    static let gate = 4_242
    let inner = EngagementsProjection()

    var name: String { inner.name }
    var codeVersion: Int { inner.codeVersion + 1 }
    var tablesSince: Int { codeVersion }
    var tableDefinitions: String { inner.tableDefinitions + "\nCREATE TABLE ranges_applied (through bigint PRIMARY KEY);" }
    var sessionSetup: String? { inner.sessionSetup }
    var sessionUpkeep: String? { inner.sessionUpkeep }
    var eventTypes: [String] { inner.eventTypes }

    func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        try inner.apply(range, on: connection)
        try connection.executeCached("INSERT INTO ranges_applied (through) VALUES ($1)", [range.through])
    }

    func build(_ range: LogRange, on connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(\(Self.gate))")
        try inner.build(range, on: connection)
        try connection.executeCached("INSERT INTO ranges_applied (through) VALUES ($1)", [range.through])
    }
}
