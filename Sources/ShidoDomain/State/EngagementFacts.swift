/// The derived facts the program-performance views need, defined once.
///
/// Guarantees: computed only from entries in force (retractions excluded, corrections
/// applied). Pattern 1 (`productionStabilisation`) holds when there is at least one
/// Korea→Japan trade flow; pattern 2 (`salesToJapaneseExports`) when there is at least one
/// Japan→Korea flow; an engagement can show both or neither.
public struct EngagementFacts: Hashable, Sendable {
    public let sessionCount: Int
    public let hours: Double
    public let outcomes: [OutcomeReported]
    public let tradeFlows: [ExportRecorded]
    public let patterns: Set<OutcomePattern>

    public init(_ state: EngagementState) {
        let sessions = state.sessions
        sessionCount = sessions.count
        hours = sessions.reduce(0) { $0 + $1.hours }
        outcomes = state.outcomes
        tradeFlows = state.tradeFlows
        var patterns = Set<OutcomePattern>()
        if tradeFlows.contains(where: { $0.direction == .koreaToJapan }) { patterns.insert(.productionStabilisation) }
        if tradeFlows.contains(where: { $0.direction == .japanToKorea }) { patterns.insert(.salesToJapaneseExports) }
        self.patterns = patterns
    }

    /// The evidence for a pattern: the trade flows that establish it, and the outcomes.
    public func evidence(for pattern: OutcomePattern) -> (flows: [ExportRecorded], outcomes: [OutcomeReported]) {
        guard patterns.contains(pattern) else { return ([], []) }
        let direction: TradeDirection = pattern == .productionStabilisation ? .koreaToJapan : .japanToKorea
        return (tradeFlows.filter { $0.direction == direction }, outcomes)
    }
}

extension OutcomeReported {
    /// How much the metric improved, as a fraction of its starting value (0.10 = 10% better),
    /// with "better" meaning lower for defect rates and costs and higher otherwise; nil
    /// without a metric or with a zero starting value.
    public var improvement: Double? {
        guard let metric, metric.before != 0 else { return nil }
        let change = (metric.after - metric.before) / abs(metric.before)
        return kind.lowerIsBetter ? -change : change
    }
}
