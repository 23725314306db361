/// One question to a view: which view, filtered how, and about which moment.
///
/// `asOf` keeps only what is dated on or before a business date (engagements by start,
/// sessions and outcomes by date, trade flows by the first day of their period), with every
/// correction recorded so far. `knownAt` answers exactly as the log stood at a position (or
/// the last position recorded at or before a time), by replaying it; both may be combined.
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

    public init(view: ViewName) { self.view = view }

    /// The statement's parameters, in `ViewSQL`'s order for this view.
    var parameters: [String?] {
        let f = filters
        switch view {
        case .engagements:
            return [asOf, f.year.map(String.init), f.industry, f.engineer, f.company, f.pattern, f.status, String(f.limit), String(f.offset)]
        case .patterns: return [asOf, String(f.limit)]
        case .trade: return [asOf, f.period, f.industry]
        case .summary, .engineers, .companies, .industries, .years: return [asOf]
        }
    }
}

/// A view's answer: its rows as JSON text, and the log position they reflect.
///
/// Guarantees: `position` is a position every projection read had reached (for a live
/// answer) or the replay's cut-off (for `knownAt`); `rowsJSON` is a JSON array of objects.
public struct ViewAnswer: Sendable {
    public let view: ViewName
    public let position: Int64
    public let rowsJSON: String
}
