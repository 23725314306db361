import Hummingbird
import Metrics
import Projections

extension API {
    /// `GET /metrics` (reader): Prometheus' text exposition of everything recorded through
    /// swift-metrics (appends, commits, HTTP requests), after the figures that are read at
    /// scrape time: the database's reachability and head, each projection's position, lag and
    /// state, and on a reader its replica's replay lag.
    func metrics() async -> Response {
        await recordScrapeTimeFigures()
        var response = Response(status: .ok, body: .init(byteBuffer: .init(bytes: metricsRegistry.emitToBuffer())))
        response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return response
    }

    private func recordScrapeTimeFigures() async {
        let head = try? await store.head()
        Gauge(label: "shido_database_up").record(head == nil ? 0 : 1)
        if let head { Gauge(label: "shido_log_head_position").record(head.position) }
        Gauge(label: "shido_role_writer").record(info.role.isWriter ? 1 : 0)
        if let replica = info.role.replica {
            Gauge(label: "shido_replica_streaming").record(replica.streaming ? 1 : 0)
            if let bytes = replica.replayLagBytes { Gauge(label: "shido_replica_replay_lag_bytes").record(bytes) }
            if let seconds = replica.replayLagSeconds { Gauge(label: "shido_replica_replay_lag_seconds").record(seconds) }
        }
        guard let reports = try? await views.reader.withConnection({ connection in try ProjectionReport.read(on: connection) }) else { return }
        for report in reports {
            let local = views.board.status(report.name)
            let position = max(report.position, local?.generation == report.generation ? local?.position ?? 0 : 0)
            let dimensions = [("projection", report.name)]
            Gauge(label: "shido_projection_position", dimensions: dimensions).record(position)
            Gauge(label: "shido_projection_lag_events", dimensions: dimensions).record(max(0, report.head - position))
            Gauge(label: "shido_projection_lag_seconds", dimensions: dimensions).record(position >= report.head ? 0 : report.lagSeconds)
            let state = local.map { $0.isLedHere ? $0.state.rawValue : "not-run-here" } ?? "not-run-here"
            for candidate in ProjectionStatus.State.allCases.map(\.rawValue) + ["not-run-here"] {
                Gauge(label: "shido_projection_state", dimensions: dimensions + [("state", candidate)]).record(candidate == state ? 1 : 0)
            }
        }
    }
}
