import EventStore
import Foundation
import Hummingbird
import PostgresClient
import ProgramViews
import Projections
import ShidoAPI
import ShidoDomain
import ShidoJSON

/// The views, the engagement detail and the projections' status, with read-your-writes.
extension API {
    /// `GET /v1/views/{view}`: rows, the columns to show them in, and the position they reflect.
    func queryView(_ request: Request, _ context: ShidoRequestContext) async throws -> Response {
        let name = try context.parameters.require("view")
        guard let view = ViewName(rawValue: name) else {
            throw Problem(.notFound, detail: "no view '\(name)'; views: \(ViewName.allCases.map(\.rawValue).joined(separator: ", ")), engagement/{id}")
        }
        let query = Query(request)
        let viewRequest = try ViewParameters.request(for: view, from: query)
        // Without minPosition, the caller's own last write through this daemon (0 opts out).
        let minPosition = try query.integer("minPosition", in: 0...Int64.max) ?? written.last(try context.authorized().uid)
        // A position nobody has written yet cannot be waited for: say so at once. (Only asked
        // when a projection here is behind it and no write through this daemon reached it, so
        // reading right after one's own write costs no read of the head.) On a reader the
        // position may have been written on the primary and not be replayed yet: it waits.
        let behind = views.board.statuses.contains { $0.position < minPosition }
        if info.role.isWriter, minPosition > written.highest, behind, let head = try? await store.head(), minPosition > head.position {
            throw Problem(.notFound, detail: "minPosition \(minPosition) is beyond the log's head (position \(head.position)); use a position an append returned")
        }
        let answer = try await views.reader.answer(viewRequest, minPosition: minPosition, timeout: views.waitLimit)
        return JSONResponse.text(ViewParameters.envelope(view: view.rawValue, request: viewRequest, position: answer.position,
                                                          columns: view.columns, rows: answer.rowsJSON))
    }

    /// `GET /v1/views/engagement/{engagementID}`: everything about one engagement, from its stream.
    func engagementDetail(_ request: Request, _ context: ShidoRequestContext) async throws -> Response {
        let id = try context.parameters.require("engagementID")
        let query = Query(request)
        var viewRequest = ViewRequest(view: .engagements)
        try ViewParameters.applyMoment(to: &viewRequest, from: query)
        var events: [RecordedEvent] = []
        while true {
            let page = try await store.readStream("engagement-\(id)", fromVersion: Int64(events.count) + 1, limit: 5_000)
            events += page
            if page.count < 5_000 { break }
        }
        let cutoff = try await viewRequest.knownAt.asyncMap { try await views.reader.position(of: $0) }
        if let cutoff { events = events.filter { $0.position <= cutoff } }
        let asOf = try viewRequest.asOf.map { try CalendarDate($0) }
        guard let rows = try EngagementDetail.rows(from: events, asOf: asOf) else {
            throw Problem(.notFound, detail: "no engagement '\(id)' is recorded" + (cutoff.map { " by position \($0)" } ?? ""))
        }
        let position = cutoff ?? events.last?.position ?? 0
        return JSONResponse.text(ViewParameters.envelope(view: "engagement", request: viewRequest, position: position,
                                                          columns: EngagementDetail.columns, rows: rows.canonicalText))
    }

    /// `GET /v1/projections`: each projection's position, lag, state and last failure.
    func listProjections() async throws -> Response {
        JSONResponse.json(.object(["projections": try await projectionsJSON()]))
    }

    func projectionsJSON() async throws -> JSONValue {
        let rows = try await views.reader.withConnection { connection in try ProjectionReport.read(on: connection) }
        return .array(rows.map { row in
            let local = views.board.status(row.name)
            return row.json(
                localState: local?.state.rawValue ?? "not run here",
                localPosition: local?.generation == row.generation ? local?.position : nil, rebuildPosition: local?.rebuildPosition)
        })
    }

    /// `POST /v1/projections/{name}/rebuild` (admin): rebuilds in the background, no downtime.
    func rebuildProjection(_ context: ShidoRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard ShippedProjections.named(name) != nil else {
            throw Problem(.notFound, detail: "no projection '\(name)'; projections: \(ShippedProjections.all.map(\.name).joined(separator: ", "))")
        }
        let accepted = try await views.reader.withConnection { connection in try ProjectionService.requestRebuild(name, on: connection) }
        guard accepted else { throw Problem(.unavailable, detail: "projection '\(name)' has not started on this database yet") }
        return JSONResponse.json(["projection": .string(name), "rebuild": "requested"], status: .accepted)
    }
}

extension Optional {
    func asyncMap<Mapped>(_ transform: (Wrapped) async throws -> Mapped) async rethrows -> Mapped? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
