import Projections

/// Which SQL file answers a view for a moment, from `Sources/ProgramViews/SQL/`, embedded at
/// build time.
///
/// Every statement takes `$1` the as-of date and `$2` the known-at position (NULL: none,
/// now), then the view's own filters, and returns one row with one JSON array: the view's
/// rows, keys in `ViewName.columns` order. The general form of each view reads the versioned
/// tables through the shared rules (`shido.engagements_in_view`, `shido.entries_in_view`,
/// `shido.engagement_facts`); the fast forms read the figures the engagements projection
/// keeps, and answer the same rows (tests hold them to the general forms).
enum ViewStatements {
    private static let files = SQLFiles(EmbeddedSQL.files, target: "ProgramViews")

    /// The fast form where there is one for this moment and scope, else the general one. The
    /// summary's and the patterns' fast forms read program totals, so they answer the whole
    /// program only; the case table's narrows by year and industry itself.
    static func statement(for view: ViewName, asOf: Bool, knownAt: Bool, narrowed: Bool) -> String {
        switch (view, asOf, knownAt, narrowed) {
        case (.summary, false, _, false): text("summary_known_at")
        case (.summary, true, false, false): text("summary_as_of")
        case (.engagements, false, false, _): text("engagements_now")
        case (.patterns, false, false, false): text("patterns_now")
        default: general(for: view)
        }
    }

    /// Whether a statement runs its generic plan, made once per connection: the fast forms
    /// with no optional filter (their parameters only bound index probes), where planning
    /// would cost more than running. The others are planned for each request's values,
    /// which fold their `$n IS NULL` tests away.
    static func runsGenericPlan(_ statement: String) -> Bool { genericPlans.contains(statement) }

    private static let genericPlans: Set<String> = [text("summary_known_at"), text("patterns_now")]

    /// The general form, which answers every moment.
    static func general(for view: ViewName) -> String { text(view.rawValue) }

    static func text(_ name: String) -> String { files.text(name) }
}
