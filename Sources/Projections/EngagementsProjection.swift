import EventStore
import PostgresClient

/// Engagements and their entries (sessions, outcomes, trade flows) with their whole history,
/// and the figures views read instead of aggregating: each engagement's measures now, the
/// program totals as a timeline by log position, and the totals by business date.
///
/// Guarantees: every version of an engagement or entry says between which log positions it
/// was the one known (see `engagements_tables.sql`); after a range, `measures`, `totals`,
/// `daily`, `yearly` and `first_flows` are exactly what the versions give. The range is
/// projected in SQL next to the log (no event leaves the database, none is decoded in
/// Swift), in the steps `engagements_1_start.sql` … `engagements_9_dated.sql`, sent in one
/// round trip.
public struct EngagementsProjection: Projection {
    public init() {}

    public let name = "engagements"
    public let codeVersion = 4
    public let eventTypes = [
        "EngagementStarted", "GuidanceSessionLogged", "OutcomeReported", "ExportRecorded", "EngagementCompleted",
        "EntryCorrected", "EntryRetracted",
    ]
    public var tableDefinitions: String { ProjectionSQL.text("engagements_tables") }
    public var sessionSetup: String? { ProjectionSQL.text("engagements_scratch") }

    /// Each step and whether it takes the range ($1 after, $2 through), only its start, or nothing.
    private static let steps: [(file: String, takes: Int)] = [
        ("engagements_1_start", 2), ("engagements_2_complete", 2), ("engagements_3_record", 2), ("engagements_4_change", 2),
        ("engagements_5_deltas", 0), ("engagements_6_measures_move", 0), ("engagements_7_measures_prune", 0),
        ("engagements_8_totals", 1), ("engagements_9_dated", 1),
    ]

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        let bounds: [any PostgresParameterEncodable] = [range.after, range.through]
        _ = try connection.pipeline(Self.steps.map { step in
            PipelineStatement(ProjectionSQL.text(step.file), Array(bounds.prefix(step.takes)))
        })
    }
}
