import EventStore
import Foundation
import Hummingbird
import ShidoAPI
import ShidoJSON

extension API {
    /// The audit log: filters by stream, type, actor, time and position; paged by position.
    func listEvents(_ request: Request) async throws -> Response {
        let query = Query(request)
        var filter = EventFilter()
        filter.eventID = try query.uuid("id")
        filter.streamID = query.string("stream")
        filter.type = query.string("type")
        filter.actor = query.string("actor")
        filter.recordedSinceMicros = try query.instant("since")
        filter.recordedBeforeMicros = try query.instant("until")
        filter.fromPosition = try query.integer("from", in: 1...Int64.max) ?? 1
        filter.toPosition = try query.integer("to", in: 1...Int64.max)
        filter.limit = Int(try query.integer("limit", in: 1...10_000) ?? 100)
        let events = try await store.events(matching: filter)
        let next = events.count == filter.limit ? events.last.map { String($0.position + 1) } ?? "null" : "null"
        return JSONResponse.text("{\"events\":\(EventJSON.array(events)),\"next\":\(next)}")
    }

    /// One stream's events in version order.
    func readStream(_ request: Request, _ context: ShidoRequestContext) async throws -> Response {
        let stream = try context.parameters.require("streamID")
        let from = try Query(request).integer("fromVersion", in: 1...Int64.max) ?? 1
        let limit = Int(try Query(request).integer("limit", in: 1...10_000) ?? 1_000)
        let events = try await store.readStream(stream, fromVersion: from, limit: limit)
        guard !events.isEmpty || from > 1 else { throw Problem(.notFound, detail: "no stream '\(stream)' is recorded") }
        let next = events.count == limit ? events.last.map { String($0.streamVersion + 1) } ?? "null" : "null"
        let name = JSONValue.string(stream).canonicalText
        return JSONResponse.text("{\"stream\":\(name),\"events\":\(EventJSON.array(events)),\"nextVersion\":\(next)}")
    }

    /// Recomputes the hash chain and names the first broken link.
    func verifyChain(_ request: Request) async throws -> Response {
        let from = try Query(request).integer("from", in: 1...Int64.max) ?? 1
        let result = try await store.verifyChain(from: from)
        let head = try await store.head()
        var json: [String: JSONValue] = [
            "intact": .bool(result.isIntact), "from": number(result.from), "through": number(result.through),
            "checked": number(result.checkedCount), "head": headJSON(head), "firstBreak": .null,
        ]
        if let broken = result.firstBreak {
            json["firstBreak"] = ["position": number(broken.position), "kind": .string(broken.kind.rawValue)]
        }
        return JSONResponse.json(.object(json))
    }

    func status(_ caller: AuthorizedCaller) async throws -> Response {
        let head = try await store.head()
        let durability = info.durability
        let uptime = Int64(Date().timeIntervalSince(info.startedAt))
        return JSONResponse.json([
            "version": .string(info.version), "database": .string(info.database), "head": headJSON(head),
            "durability": [
                "synchronousCommit": .string(durability.synchronousCommit), "fsync": .string(durability.fsync),
                "fullPageWrites": .string(durability.fullPageWrites), "safe": .bool(durability.isSafe),
            ],
            "uptimeSeconds": number(uptime), "projections": (try? await projectionsJSON()) ?? .null,
            "role": .string(info.role.isWriter ? "writer" : "reader"), "replication": replicationJSON(info.role),
            "checkpointKey": info.checkpointSigner.map { .string($0.verifier.text) } ?? .null,
            "caller": ["uid": number(Int64(caller.uid)), "user": .string(caller.user), "role": .string(caller.role?.rawValue ?? "none")],
        ])
    }

    /// What a reader knows of its replica (null on the writer), and when a promotion made this daemon the writer.
    func replicationJSON(_ role: ServingRole) -> JSONValue {
        guard let replica = role.replica else {
            return role.promotedAt.map { ["promotedAt": .string(ISO8601DateFormatter().string(from: $0))] } ?? .null
        }
        return [
            "writesGoTo": replica.writesGoTo.map(JSONValue.string) ?? .null,
            "following": replica.following.map(JSONValue.string) ?? .null,
            "streaming": .bool(replica.streaming),
            "replayLagBytes": replica.replayLagBytes.map(number) ?? .null,
            "replayLagSeconds": replica.replayLagSeconds.flatMap(JSONNumber.init).map(JSONValue.number) ?? .null,
        ]
    }

    func headJSON(_ head: LogHead) -> JSONValue { ["position": number(head.position), "hash": .string(head.hashHex)] }
    func number(_ value: Int64) -> JSONValue { .number(JSONNumber(Int(value))) }
}
