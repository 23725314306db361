/// Starting, adding to and completing an engagement.
enum EngagementRules {
    static let firstProgramYear = 2008

    static func start(_ payload: EngagementStarted, _ context: DecisionContext) throws(Rejection) -> Decision {
        guard context.company.isRegistered else {
            throw Rejection(.unknownCompany, at: "/companyCode", "company \(payload.companyCode) is not registered")
        }
        guard context.engineer.isRegistered else {
            throw Rejection(.unknownEngineer, at: "/engineerID", "engineer \(payload.engineerID) is not registered")
        }
        guard !payload.goals.isEmpty else { throw Rejection(.listRequired, at: "/goals", "name at least one goal: \(Goal.validValues)") }
        if let repeated = payload.goals.indices.first(where: { payload.goals[..<$0].contains(payload.goals[$0]) }) {
            throw Rejection(.duplicateInList, at: "/goals/\(repeated)", "goal \(payload.goals[repeated].rawValue) is listed twice")
        }
        if let end = payload.plannedEndDate, end < payload.startDate {
            throw Rejection(.dateOrder, at: "/plannedEndDate", "the planned end \(end) is before the start \(payload.startDate)")
        }
        guard (firstProgramYear...2199).contains(payload.programYear) else {
            throw Rejection(.programYearOutOfRange, at: "/programYear", "the program began in \(firstProgramYear); \(payload.programYear) is out of range")
        }
        var clean = payload
        clean.guidanceFields = try TextRules.list(payload.guidanceFields, at: "/guidanceFields", maxItems: 20, maxCharacters: 200, required: true)
        if let existing = context.engagement.started {
            guard existing == clean else {
                throw Rejection(.idConflict, at: "/engagementID", "engagement \(payload.engagementID) already exists with other details")
            }
            return .unchanged(recordedBy: context.engagement.startedBy.map { [$0] } ?? [])
        }
        return .record([.engagementStarted(clean)])
    }

    /// The engagement must exist and still be running.
    static func requireOpen(_ state: EngagementState) throws(Rejection) -> EngagementStarted {
        guard let started = state.started else { throw Rejection(.unknownEngagement, at: "/engagementID", "no such engagement") }
        guard !state.isCompleted else {
            throw Rejection(.engagementCompleted, at: "/engagementID", "engagement \(started.engagementID) is completed; nothing more can be added")
        }
        return started
    }

    /// Records a checked entry, or recognises a repeat of one (same id, same content).
    static func addEntry(_ entry: DomainEvent, _ state: EngagementState) throws(Rejection) -> Decision {
        if let existing = state.recordedEntry(matching: entry) {
            guard existing.original == entry else {
                throw Rejection(.idConflict, at: entry.idField, "\(entry.entityKey ?? "this id") is already recorded with other content; use a new id or a correction")
            }
            return .unchanged(recordedBy: [existing.eventID])
        }
        return .record([entry])
    }

    static func complete(_ payload: EngagementCompleted, _ state: EngagementState) throws(Rejection) -> Decision {
        guard let started = state.started else { throw Rejection(.unknownEngagement, at: "/engagementID", "no such engagement") }
        let clean = EngagementCompleted(
            date: payload.date, summary: try TextRules.check(payload.summary, at: "/summary", maxCharacters: 4000, multiline: true))
        if let completed = state.completed {
            guard completed == clean else { throw Rejection(.engagementCompleted, at: "/engagementID", "the engagement is already completed") }
            return .unchanged(recordedBy: state.completedBy.map { [$0] } ?? [])
        }
        guard payload.date >= started.startDate else {
            throw Rejection(.dateBeforeStart, at: "/date", "\(payload.date) is before the engagement's start \(started.startDate)")
        }
        return .record([.engagementCompleted(clean)])
    }
}

extension DomainEvent {
    /// The pointer of the field that holds an entry's id.
    var idField: String {
        switch self {
        case .guidanceSessionLogged: "/sessionID"
        case .outcomeReported: "/outcomeID"
        case .exportRecorded: "/tradeID"
        default: ""
        }
    }
}
