import Foundation
import Hummingbird
import PostgresClient
import ShidoAPI

/// Query-string parameters, validated: a malformed one is a 400 naming the parameter.
struct Query {
    let request: Request

    init(_ request: Request) { self.request = request }

    func string(_ name: String) -> String? { request.uri.queryParameters.get(name) }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw Problem(.badRequest, detail: "query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return value
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let text = string(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw Problem(.badRequest, detail: "query parameter '\(name)' must be a UUID, not '\(text)'") }
        return id
    }

    /// An instant: `2026-11-25T10:00:00Z` (any offset) or a date `2026-11-25` (midnight UTC).
    func instant(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        if let micros = PostgresTimestamp.parseMicros(text) ?? PostgresTimestamp.parseMicros(text + "T00:00:00Z") { return micros }
        throw Problem(.badRequest, detail: "query parameter '\(name)' must be a timestamp like 2026-11-25T10:00:00Z or a date like 2026-11-25, not '\(text)'")
    }
}
