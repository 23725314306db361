import Foundation
import ProgramReport
import ShidoJSON

/// What a report asks the daemon about.
struct ReportMoment {
    var asOf: String?
    var knownAt: String?
    var minPosition: Int64?
    var year: Int?
    var industry: String?
}

/// Reads everything a report shows, every view at one log position: the first answer's
/// position becomes the known-at of all the others, so records made meanwhile change nothing.
struct ReportGathering {
    let daemon: Daemon

    func source(_ moment: ReportMoment) async throws -> ReportSource {
        let status = try await daemon.call(.GET, "/v1/status")
        let asked = Daemon.readYourWrites(moment.minPosition)
        let scope: [(String, String?)] = [("year", moment.year.map(String.init)), ("industry", moment.industry)]
        let summary = try await view("summary", [("asOf", moment.asOf), ("knownAt", moment.knownAt), ("minPosition", asked.map(String.init))] + scope)
        guard let position = summary["position"]?.numberValue?.int64Value else {
            throw Failure(message: "the daemon's summary names no log position", code: Exit.serverError)
        }
        let at: [(String, String?)] = [("asOf", moment.asOf), ("knownAt", String(position))] + scope
        // Once the position is fixed the answers do not depend on each other: asked at once,
        // they are answered by the daemon's reader connections side by side.
        async let hash = headHash(at: position)
        async let signed = checkpoint(at: position)
        async let engagements = allEngagements(at)
        async let patterns = view("patterns", at + [("limit", "10000")])
        async let trade = view("trade", at + [("period", "year")])
        async let years = view("years", at)
        async let industries = view("industries", at)
        async let engineers = view("engineers", at)
        async let companies = view("companies", at)
        let stamp = ReportStamp(
            asOf: moment.asOf, position: position, headHash: try await hash, checkpoint: try await signed,
            year: moment.year, industry: moment.industry, madeAt: Date().formatted(.iso8601),
            madeBy: "\(status[path: "caller", "user"].cell) (uid \(status[path: "caller", "uid"].cell))")
        return ReportSource(
            summary: summary, engagements: try await engagements, patterns: try await patterns, trade: try await trade,
            years: try await years, industries: try await industries, engineers: try await engineers, companies: try await companies,
            stamp: stamp)
    }

    private func view(_ name: String, _ parameters: [(String, String?)]) async throws -> JSONValue {
        try await daemon.call(.GET, "/v1/views/\(name)?" + Field.query(parameters))
    }

    /// The case table, every page of it.
    private func allEngagements(_ parameters: [(String, String?)]) async throws -> JSONValue {
        let page = 10_000
        var rows: [JSONValue] = []
        var first: JSONValue = .null
        repeat {
            let reply = try await view("engagements", parameters + [("limit", String(page)), ("offset", String(rows.count))])
            if first == .null { first = reply }
            let more = reply["rows"]?.arrayValue ?? []
            rows += more
            if more.count < page { break }
        } while true
        guard case .object(var whole) = first else { return first }
        whole["rows"] = .array(rows)
        return .object(whole)
    }

    /// The chain's head at `position`: the hash of the event there (zeros for an empty log).
    private func headHash(at position: Int64) async throws -> String {
        guard position > 0 else { return String(repeating: "0", count: 64) }
        let reply = try await daemon.call(.GET, "/v1/events?from=\(position)&limit=1")
        guard let hash = reply["events"]?.arrayValue?.first?["hash"]?.stringValue else {
            throw Failure(message: "the daemon has no event at position \(position)", code: Exit.serverError)
        }
        return hash
    }

    /// The signed checkpoint of the first `position` events. Without one (the tree being
    /// rebuilt, say) the report is still made, without it, and stderr says why.
    private func checkpoint(at position: Int64) async throws -> String? {
        guard position > 0 else { return nil }
        do {
            return try await daemon.call(.GET, "/v1/audit/checkpoint?size=\(position)")["note"]?.stringValue
        } catch let failure as Failure {
            Terminal.note("the report carries no signed checkpoint: \(failure.message)")
            return nil
        }
    }
}
