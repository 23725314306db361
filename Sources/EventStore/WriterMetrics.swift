import Metrics

/// The group-commit writer's figures for `/metrics`, through swift-metrics: nothing is kept
/// unless the process bootstrapped a metrics backend (the daemon does; tests and tools do not).
///
/// Guarantees: `shido_appends_total` counts appends answered with success, one per caller's
/// unit; `shido_append_failures_total` counts the others by `kind` (the `EventStoreError`
/// case); one commit records its events and its duration once.
struct WriterMetrics: Sendable {
    private let appends = Counter(label: "shido_appends_total")
    private let events = Counter(label: "shido_appended_events_total")
    private let eventsPerCommit = Recorder(label: "shido_events_per_commit", aggregate: true)
    private let commitDuration = Metrics.Timer(label: "shido_commit_duration_seconds")

    func committed(events count: Int, nanoseconds: Int64) {
        events.increment(by: count)
        eventsPerCommit.record(count)
        commitDuration.recordNanoseconds(nanoseconds)
    }

    func answered(_ outcome: Result<[AppendResult], EventStoreError>) {
        switch outcome {
        case .success: appends.increment()
        case .failure(let error): Counter(label: "shido_append_failures_total", dimensions: [("kind", error.kind)]).increment()
        }
    }
}

extension EventStoreError {
    /// The case's name, for metrics and logs.
    var kind: String {
        switch self {
        case .invalidInput: "invalid_input"
        case .wrongExpectedVersion: "wrong_expected_version"
        case .idempotencyConflict: "idempotency_conflict"
        case .unavailable: "unavailable"
        case .outcomeUnknown: "outcome_unknown"
        case .database: "database"
        case .shutDown: "shut_down"
        case .chainBroken: "chain_broken"
        }
    }
}
