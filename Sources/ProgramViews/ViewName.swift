/// The program-performance views, each answered from the projections' tables.
public enum ViewName: String, CaseIterable, Sendable {
    case summary, engagements, engineers, companies, industries, patterns, trade, years

    /// The projections a view reads (read-your-writes waits for each of them).
    public var projections: [String] { ["directory", "engagements"] }

    /// The columns of its rows, in display order.
    public var columns: [String] {
        switch self {
        case .summary: ["measure", "value"]
        case .engagements:
            ["engagement", "company", "companyName", "industry", "products", "engineer", "engineerName", "guidanceFields",
             "start", "completed", "year", "status", "sessions", "hours", "outcomes", "trade", "patterns"]
        case .engineers: ["engineer", "name", "specialty", "engagements", "companies", "sessions", "hours", "outcomes"]
        case .companies: ["company", "name", "industry", "engagements", "engineers", "outcomes", "trade"]
        case .industries: ["industry", "companies", "engagements", "share", "outcomes", "trade"]
        case .patterns: ["pattern", "engagements", "trade", "cases"]
        case .trade: ["period", "industry", "currency", "koreaToJapan", "japanToKorea", "balance", "flows"]
        case .years: ["year", "started", "completed", "sessions", "hours", "outcomes", "trade"]
        }
    }
}

/// What narrows a view; each view reads the filters it documents and ignores none silently
/// (the API refuses a filter a view does not take).
public struct ViewFilters: Sendable, Hashable {
    public var year: Int?
    public var industry: String?
    public var engineer: String?
    public var company: String?
    public var pattern: String?
    public var status: String?
    /// The trade view's period: month, quarter or year.
    public var period = "year"
    public var limit = 100
    public var offset = 0

    public init() {}

    /// The filters each view accepts, by query-parameter name.
    public static func accepted(by view: ViewName) -> Set<String> {
        switch view {
        case .engagements: ["year", "industry", "engineer", "company", "pattern", "status", "limit", "offset"]
        case .patterns: ["limit", "year", "industry"]
        case .trade: ["period", "industry", "year"]
        case .summary, .engineers, .companies, .industries, .years: ["year", "industry"]
        }
    }
}
