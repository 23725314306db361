import EventStore
import PostgresClient

/// Engagements and their entries (sessions, outcomes, trade flows) with their whole history,
/// and the figures views read instead of aggregating: each engagement's measures now, the
/// program totals as a timeline by log position, and the totals by business date.
///
/// Guarantees: every version of an engagement or entry says between which log positions it
/// was the one known (see `engagements_tables.sql`); after a range, `measures`, `totals`,
/// `daily`, `yearly`, `first_flows`, `both_trade` and `cases` are exactly what the versions give. The range is
/// projected in SQL next to the log (no event leaves the database, none is decoded in
/// Swift), in the steps `engagements_1_start.sql` … `engagements_11_cases.sql`, sent in one
/// round trip.
public struct EngagementsProjection: Projection {
    public init() {}

    public let name = "engagements"
    public let codeVersion = 5
    public let eventTypes = [
        "EngagementStarted", "GuidanceSessionLogged", "OutcomeReported", "ExportRecorded", "EngagementCompleted",
        "EntryCorrected", "EntryRetracted",
    ]
    public var tableDefinitions: String { ProjectionSQL.text("engagements_tables") }
    public var sessionSetup: String? { ProjectionSQL.text("engagements_scratch") }

    /// Each step, whether it takes the range ($1 after, $2 through), only its start, or
    /// nothing, and the event types it reads (nil: it works from what the earlier steps wrote).
    private static let steps: [(file: String, takes: Int, reads: [String]?)] = [
        ("engagements_1_start", 2, ["EngagementStarted"]),
        ("engagements_2_complete", 2, ["EngagementCompleted"]),
        ("engagements_3_record", 2, ["GuidanceSessionLogged", "OutcomeReported", "ExportRecorded"]),
        ("engagements_4_change", 2, ["EntryCorrected", "EntryRetracted"]),
        ("engagements_5_deltas", 0, nil), ("engagements_6_measures_move", 0, nil), ("engagements_7_measures_prune", 0, nil),
        ("engagements_8_totals", 1, nil), ("engagements_9_dated", 1, nil), ("engagements_10_pattern_trade", 0, nil),
        ("engagements_11_cases", 0, nil),
    ]

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        let bounds: [any PostgresParameterEncodable] = [range.after, range.through]
        let steps = Self.steps.filter { step in step.reads.map { range.mayHold($0) } ?? true }
        _ = try connection.pipeline(steps.map { step in
            PipelineStatement(ProjectionSQL.text(step.file), Array(bounds.prefix(step.takes)))
        })
    }
}
