/// One question to a view: which view, filtered how, and about which moment.
///
/// `asOf` keeps only what is dated on or before a business date (engagements by start,
/// sessions and outcomes by date, trade flows by the first day of their period), with every
/// correction recorded so far. `knownAt` answers exactly as the log stood at a position (or
/// the last position recorded at or before a time), from the versions known then; both may
/// be combined.
public struct ViewRequest: Sendable, Hashable {
    public enum Cutoff: Sendable, Hashable {
        case position(Int64)
        /// Microseconds since 1970, UTC.
        case recordedAt(Int64)
    }

    public var view: ViewName
    public var filters = ViewFilters()
    /// ISO date (YYYY-MM-DD), already validated.
    public var asOf: String?
    public var knownAt: Cutoff?
    /// Answer with the view's general statement even where a fast one exists: the reference
    /// the fast forms are held to (by the tests, and by anyone who doubts one).
    public var generalForm = false

    public init(view: ViewName) { self.view = view }

    /// Whether the request narrows the program to a year or an industry (the fast forms answer the whole program only).
    public var isNarrowed: Bool { filters.year != nil || filters.industry != nil }

    /// The statement's parameters (see `ViewStatements`), with the known-at cut-off resolved to a position.
    public func parameters(knownAt position: Int64?) -> [String?] {
        let f = filters
        let moment = [asOf, position.map(String.init)]
        switch view {
        case .engagements:
            return moment + [f.year.map(String.init), f.industry, f.engineer, f.company, f.pattern, f.status, String(f.limit), String(f.offset)]
        case .patterns: return moment + [String(f.limit), f.year.map(String.init), f.industry]
        case .trade: return moment + [f.period, f.industry, f.year.map(String.init)]
        case .summary, .engineers, .companies, .industries, .years: return moment + [f.year.map(String.init), f.industry]
        }
    }
}

/// A view's answer: its rows as JSON text, and the log position they reflect.
///
/// Guarantees: `position` is a position every projection read had reached (for a live
/// answer) or the cut-off (for `knownAt`); `rowsJSON` is a JSON array of objects.
public struct ViewAnswer: Sendable {
    public let view: ViewName
    public let position: Int64
    public let rowsJSON: String
}
