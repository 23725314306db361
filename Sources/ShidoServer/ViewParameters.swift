import Foundation
import ProgramViews
import ShidoAPI
import ShidoDomain
import ShidoJSON

/// A view's query string, validated: an unknown or malformed parameter is a 400 naming it,
/// and a filter the view does not take is refused rather than ignored.
enum ViewParameters {
    static let moment: Set<String> = ["asOf", "knownAt", "minPosition"]

    static func request(for view: ViewName, from query: Query) throws -> ViewRequest {
        let accepted = ViewFilters.accepted(by: view)
        for name in query.request.uri.queryParameters.map({ String($0.key) }) where !moment.contains(name) && !accepted.contains(name) {
            let valid = (accepted.sorted() + moment.sorted()).joined(separator: ", ")
            throw Problem(.badRequest, detail: "the \(view.rawValue) view takes no parameter '\(name)'; it takes: \(valid)")
        }
        var request = ViewRequest(view: view)
        try applyMoment(to: &request, from: query)
        var filters = ViewFilters()
        filters.year = try query.integer("year", in: 1900...2200).map { Int($0) }
        filters.industry = query.string("industry")
        filters.engineer = query.string("engineer")
        filters.company = query.string("company")
        filters.pattern = try oneOf("pattern", query, OutcomePattern.allCases.map(\.rawValue) + ["both", "neither"])
        filters.status = try oneOf("status", query, ["active", "completed"])
        filters.period = try oneOf("period", query, ["month", "quarter", "year"]) ?? "year"
        // A pattern's cases carry their evidence, so fewer are listed by default.
        filters.limit = Int(try query.integer("limit", in: 1...10_000) ?? (view == .patterns ? 10 : 100))
        filters.offset = Int(try query.integer("offset", in: 0...Int64(Int32.max)) ?? 0)
        request.filters = filters
        return request
    }

    /// `asOf` (a date) and `knownAt` (a position, or a time: the last position recorded by then).
    static func applyMoment(to request: inout ViewRequest, from query: Query) throws {
        if let text = query.string("asOf") {
            do { request.asOf = try CalendarDate(text).text } catch {
                throw Problem(.badRequest, detail: "query parameter 'asOf' must be a date like 2016-12-31, not '\(text)'")
            }
        }
        if let text = query.string("knownAt") {
            if let position = Int64(text), position >= 0 {
                request.knownAt = .position(position)
            } else if let micros = try query.instant("knownAt") {
                request.knownAt = .recordedAt(micros)
            }
        }
    }

    private static func oneOf(_ name: String, _ query: Query, _ values: [String]) throws -> String? {
        guard let text = query.string(name) else { return nil }
        guard values.contains(text) else {
            throw Problem(.badRequest, detail: "query parameter '\(name)' must be one of \(values.joined(separator: ", ")), not '\(text)'")
        }
        return text
    }

    /// The response: `{"view", "position", "asOf", "knownAt", "columns", "rows"}`, rows spliced in as the database wrote them.
    static func envelope(view: String, request: ViewRequest, position: Int64, columns: [String], rows: String) -> String {
        let knownAt: JSONValue = switch request.knownAt {
        case .position(let position): .number(JSONNumber(Int(position)))
        case .recordedAt(let micros): .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(micros) / 1e6)))
        case nil: .null
        }
        let head: [String: JSONValue] = [
            "view": .string(view), "position": .number(JSONNumber(Int(position))), "asOf": request.asOf.map(JSONValue.string) ?? .null,
            "knownAt": knownAt, "columns": .array(columns.map(JSONValue.string)),
        ]
        let text = JSONValue.object(head).canonicalText
        return String(text.dropLast()) + ",\"rows\":" + rows + "}"
    }
}
