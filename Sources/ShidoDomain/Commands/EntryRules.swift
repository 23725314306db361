/// The content rules of sessions, outcomes and trade flows (also applied to corrections).
enum EntryRules {
    static func session(_ payload: GuidanceSessionLogged, _ state: EngagementState, prefix: String = "") throws(Rejection) -> GuidanceSessionLogged {
        let started = try EngagementRules.requireOpenUnlessCorrecting(state, correcting: !prefix.isEmpty)
        try notBeforeStart(payload.date, started, at: prefix + "/date")
        guard payload.hours.isFinite, payload.hours > 0, payload.hours <= 24 else {
            throw Rejection(.hoursOutOfRange, at: prefix + "/hours", "hours must be more than 0 and at most 24, not \(payload.hours)")
        }
        guard payload.attendees >= 0 else { throw Rejection(.attendeesNegative, at: prefix + "/attendees", "attendees cannot be negative") }
        var clean = payload
        clean.topic = try TextRules.check(payload.topic, at: prefix + "/topic", maxCharacters: 300)
        clean.notes = try TextRules.optional(payload.notes, at: prefix + "/notes", maxCharacters: 4000, multiline: true)
        return clean
    }

    static func outcome(_ payload: OutcomeReported, _ state: EngagementState, prefix: String = "") throws(Rejection) -> OutcomeReported {
        let started = try EngagementRules.requireOpenUnlessCorrecting(state, correcting: !prefix.isEmpty)
        try notBeforeStart(payload.date, started, at: prefix + "/date")
        var clean = payload
        clean.description = try TextRules.check(payload.description, at: prefix + "/description", maxCharacters: 4000, multiline: true)
        if let metric = payload.metric {
            clean.metric = Metric(
                name: try TextRules.check(metric.name, at: prefix + "/metric/name", maxCharacters: 100),
                unit: try TextRules.check(metric.unit, at: prefix + "/metric/unit", maxCharacters: 30),
                before: try nonNegative(metric.before, at: prefix + "/metric/before"),
                after: try nonNegative(metric.after, at: prefix + "/metric/after"))
        }
        return clean
    }

    static func trade(_ payload: ExportRecorded, _ state: EngagementState, prefix: String = "") throws(Rejection) -> ExportRecorded {
        let started = try EngagementRules.requireOpenUnlessCorrecting(state, correcting: !prefix.isEmpty)
        try checkPeriod(payload.period, started, at: prefix + "/period")
        var clean = payload
        clean.counterparty = try TextRules.check(payload.counterparty, at: prefix + "/counterparty", maxCharacters: 200)
        clean.product = try TextRules.check(payload.product, at: prefix + "/product", maxCharacters: 200)
        if let quantity = payload.quantity {
            clean.quantity = Quantity(amount: quantity.amount, unit: try TextRules.check(quantity.unit, at: prefix + "/quantity/unit", maxCharacters: 30))
        }
        return clean
    }

    private static func notBeforeStart(_ date: CalendarDate, _ started: EngagementStarted, at field: String) throws(Rejection) {
        guard date >= started.startDate else {
            throw Rejection(.dateBeforeStart, at: field, "\(date) is before the engagement's start \(started.startDate)")
        }
    }

    private static func nonNegative(_ value: Double, at field: String) throws(Rejection) -> Double {
        guard value.isFinite else { throw Rejection(.valueNotFinite, at: field, "must be a finite number") }
        guard value >= 0 else { throw Rejection(.valueNegative, at: field, "cannot be negative") }
        return value
    }

    private static func checkPeriod(_ period: TradePeriod, _ started: EngagementStarted, at field: String) throws(Rejection) {
        switch (period.month, period.from, period.to) {
        case (.some, nil, nil): break
        case (nil, .some(let from), .some(let to)):
            guard from <= to else { throw Rejection(.periodInvalid, at: field + "/to", "the period ends (\(to)) before it starts (\(from))") }
        default:
            throw Rejection(.periodInvalid, at: field, "give either a month (\"month\": \"2015-03\") or a range (\"from\" and \"to\" dates)")
        }
        if let end = period.end, end < started.startDate {
            throw Rejection(.dateBeforeStart, at: field, "the period ends before the engagement's start \(started.startDate)")
        }
    }
}

extension EngagementRules {
    /// New entries need a running engagement; corrections may also fix a completed one.
    static func requireOpenUnlessCorrecting(_ state: EngagementState, correcting: Bool) throws(Rejection) -> EngagementStarted {
        if correcting, let started = state.started { return started }
        return try requireOpen(state)
    }
}
