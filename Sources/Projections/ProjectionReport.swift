import Foundation
import PostgresClient
import ShidoJSON

/// What the registry says of each projection, with its lag behind the log's head.
///
/// Guarantees: read in one statement (one snapshot); the lag in seconds is the age of the
/// oldest event not yet applied (0 when caught up).
public struct ProjectionReport: Sendable {
    public let name: String
    public let generation: Int
    public let codeVersion: Int
    public let position: Int64
    public let head: Int64
    public let lagSeconds: Double
    public let rebuilding: Int?
    public let failure: ProjectionFailure?

    public var lagEvents: Int64 { max(0, head - position) }

    public static func read(on connection: PostgresConnection) throws -> [ProjectionReport] {
        let result = try connection.executeCached(
            """
            SELECT p.name, p.generation, p.code_version, c.position, h.head,
                coalesce(extract(epoch FROM now() - (SELECT recorded_at FROM shido.events WHERE position = c.position + 1)), 0)::float8,
                p.rebuilding, p.failed_position, p.failed_event_id::text, p.failure
            FROM shido.projections p
            JOIN shido.projection_checkpoints c ON c.name = p.name AND c.generation = p.generation
            CROSS JOIN (SELECT coalesce(max(position), 0) AS head FROM shido.events) h
            ORDER BY p.name
            """)
        return try (0..<result.rowCount).map { row in
            let failure = result.isNull(row, 7) ? nil : ProjectionFailure(
                position: try result.int64(row, 7), eventID: result.text(row, 8) ?? "", message: result.text(row, 9) ?? "")
            return ProjectionReport(
                name: try result.string(row, 0), generation: try result.int(row, 1), codeVersion: try result.int(row, 2),
                position: try result.int64(row, 3), head: try result.int64(row, 4), lagSeconds: Double(try result.string(row, 5)) ?? 0,
                rebuilding: result.isNull(row, 6) ? nil : try result.int(row, 6), failure: failure)
        }
    }

    /// The report as the API shows it, with the state this daemon sees.
    /// `localPosition`: where this daemon's runner is, when it runs this generation (it may be
    /// past the stored checkpoint across events the projection ignores).
    public func json(localState: String, localPosition: Int64?, rebuildPosition: Int64?) -> JSONValue {
        let position = max(self.position, localPosition ?? 0)
        let lagEvents = max(0, head - position)
        func number(_ value: Int64) -> JSONValue { .number(JSONNumber(Int(value))) }
        var members: [String: JSONValue] = [
            "name": .string(name), "generation": number(Int64(generation)), "codeVersion": number(Int64(codeVersion)),
            "position": number(position), "lagEvents": number(lagEvents),
            "lagSeconds": .number(JSONNumber(literal: String(format: "%.3f", lagEvents == 0 ? 0 : lagSeconds))!),
            "state": .string(failure != nil && localState != "failed" ? "failed" : localState),
            "rebuilding": rebuilding.map { number(Int64($0)) } ?? .null,
            "rebuildPosition": rebuildPosition.map(number) ?? .null,
            "failure": .null,
        ]
        if let failure {
            members["failure"] = ["position": number(failure.position), "eventID": .string(failure.eventID), "message": .string(failure.message)]
        }
        return .object(members)
    }
}
