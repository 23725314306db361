import EventStore
import Foundation
import PostgresClient
import ShidoJSON
import TestSupport

/// A migrated database of its own and a store on it that runs as `shido_app`, as the daemon does.
struct StoreFixture {
    let superuser: ConnectionSettings
    let store: EventStore

    init(_ label: String, configuration: EventStoreConfiguration = .init()) throws {
        superuser = try TestCluster.migratedDatabase(label)
        store = EventStore(settings: superuser.assuming(role: "shido_app"), configuration: configuration)
    }

    func count(_ sql: String = "SELECT count(*) FROM shido.events") throws -> Int64 {
        let connection = try PostgresConnection(superuser)
        defer { connection.close() }
        return try connection.execute(sql).int64(0, 0)
    }

    func connection() throws -> PostgresConnection { try PostgresConnection(superuser) }
}

func sessionEvent(_ index: Int, id: UUID = UUID(), hours: String = "2.5") -> NewEvent {
    NewEvent(id: id, type: "GuidanceSessionLogged", data: [
        "sessionID": .string("s-\(index)"),
        "topic": .string("금형 설계 改善 \(index)"),
        "hours": .number(JSONNumber(literal: hours)!),
    ])
}
