/// One company began hosting one engineer. Stream: `engagement-<engagementID>`.
/// Schema version 2 (version 1 had a single `goal`; see `Upcaster`).
public struct EngagementStarted: Hashable, Sendable, Codable {
    public var engagementID: EngagementID
    public var companyCode: CompanyCode
    public var engineerID: EngineerID
    public var guidanceFields: [String]
    public var goals: [Goal]
    public var startDate: CalendarDate
    public var plannedEndDate: CalendarDate?
    public var programYear: Int

    public init(
        engagementID: EngagementID, companyCode: CompanyCode, engineerID: EngineerID, guidanceFields: [String],
        goals: [Goal], startDate: CalendarDate, plannedEndDate: CalendarDate? = nil, programYear: Int
    ) {
        self.engagementID = engagementID
        self.companyCode = companyCode
        self.engineerID = engineerID
        self.guidanceFields = guidanceFields
        self.goals = goals
        self.startDate = startDate
        self.plannedEndDate = plannedEndDate
        self.programYear = programYear
    }
}

/// One visit or meeting of the engagement.
public struct GuidanceSessionLogged: Hashable, Sendable, Codable {
    public var sessionID: SessionID
    public var date: CalendarDate
    public var hours: Double
    public var topic: String
    public var format: SessionFormat
    public var attendees: Int
    public var notes: String?

    public init(sessionID: SessionID, date: CalendarDate, hours: Double, topic: String, format: SessionFormat = .onSite,
                attendees: Int = 0, notes: String? = nil) {
        self.sessionID = sessionID
        self.date = date
        self.hours = hours
        self.topic = topic
        self.format = format
        self.attendees = attendees
        self.notes = notes
    }
}

/// A measured value before and after the guidance.
public struct Metric: Hashable, Sendable, Codable {
    public var name: String
    public var unit: String
    public var before: Double
    public var after: Double

    public init(name: String, unit: String, before: Double, after: Double) {
        self.name = name
        self.unit = unit
        self.before = before
        self.after = after
    }
}

/// A result the engagement reported.
public struct OutcomeReported: Hashable, Sendable, Codable {
    public var outcomeID: OutcomeID
    public var date: CalendarDate
    public var kind: OutcomeKind
    public var metric: Metric?
    public var description: String
    public var evidence: Evidence

    public init(outcomeID: OutcomeID, date: CalendarDate, kind: OutcomeKind, metric: Metric? = nil, description: String,
                evidence: Evidence = .selfAssessed) {
        self.outcomeID = outcomeID
        self.date = date
        self.kind = kind
        self.metric = metric
        self.description = description
        self.evidence = evidence
    }
}

/// When trade happened: one month, or a range of dates.
public struct TradePeriod: Hashable, Sendable, Codable {
    public var month: YearMonth?
    public var from: CalendarDate?
    public var to: CalendarDate?

    public static func month(_ month: YearMonth) -> TradePeriod { TradePeriod(month: month, from: nil, to: nil) }
    public static func range(_ from: CalendarDate, _ to: CalendarDate) -> TradePeriod { TradePeriod(month: nil, from: from, to: to) }

    /// The first day the period covers (nil when the period is malformed).
    public var start: CalendarDate? { month?.firstDay ?? from }
    public var end: CalendarDate? { month?.lastDay ?? to }
}

/// Trade that followed the guidance ("export recorded"), in either direction.
public struct ExportRecorded: Hashable, Sendable, Codable {
    public var tradeID: TradeID
    public var direction: TradeDirection
    public var period: TradePeriod
    public var counterparty: String
    public var product: String
    public var quantity: Quantity?
    public var value: Money

    public init(tradeID: TradeID, direction: TradeDirection, period: TradePeriod, counterparty: String, product: String,
                quantity: Quantity? = nil, value: Money) {
        self.tradeID = tradeID
        self.direction = direction
        self.period = period
        self.counterparty = counterparty
        self.product = product
        self.quantity = quantity
        self.value = value
    }
}

/// The engagement ended.
public struct EngagementCompleted: Hashable, Sendable, Codable {
    public var date: CalendarDate
    public var summary: String

    public init(date: CalendarDate, summary: String) {
        self.date = date
        self.summary = summary
    }
}

/// An earlier entry of the same engagement is superseded by corrected content. Exactly one
/// of `session`, `outcome`, `trade`, matching the corrected event's type, holds the new content.
public struct EntryCorrected: Hashable, Sendable, Codable {
    public var correctedEventID: String
    public var reason: String
    public var session: GuidanceSessionLogged?
    public var outcome: OutcomeReported?
    public var trade: ExportRecorded?

    public init(correctedEventID: String, reason: String, session: GuidanceSessionLogged? = nil,
                outcome: OutcomeReported? = nil, trade: ExportRecorded? = nil) {
        self.correctedEventID = correctedEventID
        self.reason = reason
        self.session = session
        self.outcome = outcome
        self.trade = trade
    }
}

/// An earlier entry of the same engagement is void; it counts nowhere from now on.
public struct EntryRetracted: Hashable, Sendable, Codable {
    public var retractedEventID: String
    public var reason: String

    public init(retractedEventID: String, reason: String) {
        self.retractedEventID = retractedEventID
        self.reason = reason
    }
}
