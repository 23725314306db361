import EventStore
import PostgresClient

/// Engagements and their entries (sessions, outcomes, trade flows) with their whole history,
/// and the figures views read instead of aggregating: each engagement's measures now, the
/// program totals as a timeline by log position, and the totals by business date.
///
/// Guarantees: every version of an engagement or entry says between which log positions it
/// was the one known (see `engagements_tables.sql`); after a range, `measures`, `totals`,
/// `daily`, `yearly`, `first_flows`, `both_trade`, `cases`, `counts_known` and
/// `counts_monthly` are exactly what the versions
/// give. The range is projected in SQL next to the log (no event leaves the database, none
/// is decoded in Swift), in the steps `engagements_1_start.sql` … `engagements_13_scratch_clear.sql`
/// (those for event types the range does not hold left out), sent in one round trip; a new
/// generation is built from the whole log at once by `engagements_bulk_*.sql`, to the same
/// rows as far as any view can tell (tested).
public struct EngagementsProjection: Projection {
    /// How many log positions each stretch of `counts_known` spans (1024 unless set: tests
    /// make it short, so that small programs cross stretches).
    public let stretchLength: Int

    public init(stretchLength: Int = 1024) {
        precondition(stretchLength > 0, "a stretch spans at least one position")
        self.stretchLength = stretchLength
    }

    public let name = "engagements"
    public let codeVersion = 6
    /// Version 6 added `counts_known`, `counts_monthly` and the generation's own
    /// `engagement_facts` that reads them.
    public let tablesSince = 6
    public let eventTypes = [
        "EngagementStarted", "GuidanceSessionLogged", "OutcomeReported", "ExportRecorded", "EngagementCompleted",
        "EntryCorrected", "EntryRetracted",
    ]
    public var tableDefinitions: String {
        ProjectionSQL.text("engagements_tables") + "\nUPDATE counts_stretch SET length = \(stretchLength);\n"
    }
    public var sessionSetup: String? { ProjectionSQL.text("engagements_scratch") }
    public var sessionUpkeep: String? { ProjectionSQL.text("engagements_scratch_upkeep") }

    /// Each step, whether it takes the range ($1 after, $2 through), only its start, or
    /// nothing, and the event types it depends on (nil: any; both's trade moves only with
    /// flows, which only these events record or change).
    private static let steps: [(file: String, takes: Int, reads: [String]?)] = [
        ("engagements_1_start", 2, ["EngagementStarted"]),
        ("engagements_2_complete", 2, ["EngagementCompleted"]),
        ("engagements_3_record", 2, ["GuidanceSessionLogged", "OutcomeReported", "ExportRecorded"]),
        ("engagements_4_change", 2, ["EntryCorrected", "EntryRetracted"]),
        ("engagements_5_deltas", 0, nil), ("engagements_6_measures_move", 0, nil), ("engagements_7_measures_prune", 0, nil),
        ("engagements_8_totals", 1, nil), ("engagements_9_dated", 1, nil),
        ("engagements_10_pattern_trade", 0, ["ExportRecorded", "EntryCorrected", "EntryRetracted"]),
        ("engagements_11_cases", 0, nil),
        ("engagements_12_counts", 0, ["GuidanceSessionLogged", "OutcomeReported", "EntryCorrected", "EntryRetracted"]),
        ("engagements_13_scratch_clear", 0, nil),
    ]

    /// From scratch, each table is filled by one set-based statement over the whole log
    /// (`engagements_bulk_*.sql`), its secondary indexes dropped first and built after.
    public func build(_ range: LogRange, on connection: PostgresConnection) throws {
        precondition(range.after == 0, "a build starts from the log's start")
        try connection.executeScript(StaticOrTrustedSQL(trusted: ProjectionSQL.text("bulk_indexes_drop")))
        _ = try connection.pipeline(Self.buildSteps.map { step in
            PipelineStatement(ProjectionSQL.text(step.file), step.readsLog ? [range.through] : [])
        })
        try connection.executeScript(StaticOrTrustedSQL(trusted: ProjectionSQL.text("bulk_indexes_restore")))
    }

    /// Each step of a build, and whether it reads the log ($1 its last position) or only the
    /// tables filled before it.
    private static let buildSteps: [(file: String, readsLog: Bool)] = [
        ("engagements_bulk_1_engagements", true), ("engagements_bulk_2_entries", true), ("engagements_bulk_3_measures", false),
        ("engagements_bulk_4_totals", false), ("engagements_bulk_5_dated", false), ("engagements_bulk_6_cases", false),
        ("engagements_bulk_7_counts", false),
    ]

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        let bounds: [any PostgresParameterEncodable] = [range.after, range.through]
        let steps = Self.steps.filter { step in step.reads.map { range.mayHold($0) } ?? true }
        _ = try connection.pipeline(steps.map { step in
            PipelineStatement(ProjectionSQL.text(step.file), Array(bounds.prefix(step.takes)))
        })
    }
}
