import ShidoJSON

/// Everything a report is made of, as the daemon answered it: the views' JSON (all read at one
/// log position) and the facts that tie the document to the chain.
///
/// Guarantees: the report shows these and nothing else; two sources equal but for `madeAt`
/// render to documents equal but for the line that prints it.
public struct ReportSource: Sendable {
    /// The views, by name, each the daemon's whole reply (`rows`, `position`, `asOf`…).
    public var summary: JSONValue
    public var engagements: JSONValue
    public var patterns: JSONValue
    public var trade: JSONValue
    public var years: JSONValue
    public var industries: JSONValue
    public var engineers: JSONValue
    public var companies: JSONValue
    public var stamp: ReportStamp

    public init(
        summary: JSONValue, engagements: JSONValue, patterns: JSONValue, trade: JSONValue, years: JSONValue,
        industries: JSONValue, engineers: JSONValue, companies: JSONValue, stamp: ReportStamp
    ) {
        self.summary = summary
        self.engagements = engagements
        self.patterns = patterns
        self.trade = trade
        self.years = years
        self.industries = industries
        self.engineers = engineers
        self.companies = companies
        self.stamp = stamp
    }
}

/// Where and when a report stands: the moment asked about, the log position its figures
/// reflect, the chain's head hash there, the signed checkpoint of that size, who made it.
public struct ReportStamp: Sendable {
    /// The business date asked about (`--as-of`), nil for every recorded date.
    public var asOf: String?
    /// The log position every view was read at.
    public var position: Int64
    /// The hash chain's head at `position` (hex), which `shido audit verify` recomputes.
    public var headHash: String
    /// The signed checkpoint of the log's first `position` events (a C2SP signed note), when the daemon gave one.
    public var checkpoint: String?
    /// The program year and industry every view was narrowed to (nil: all).
    public var year: Int?
    public var industry: String?
    /// When the report was made (UTC, ISO 8601) and by whom (as the daemon saw the caller).
    public var madeAt: String
    public var madeBy: String

    public init(
        asOf: String?, position: Int64, headHash: String, checkpoint: String?, year: Int?, industry: String?, madeAt: String, madeBy: String
    ) {
        self.asOf = asOf
        self.position = position
        self.headHash = headHash
        self.checkpoint = checkpoint
        self.year = year
        self.industry = industry
        self.madeAt = madeAt
        self.madeBy = madeBy
    }
}
