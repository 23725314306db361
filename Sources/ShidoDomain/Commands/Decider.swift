/// Decides commands: pure, deterministic, no I/O and no clock.
///
/// Guarantees: the same command against the same state always yields the same decision;
/// a rejected command yields no events; an exact repeat of something recorded yields
/// `.unchanged`, a different command reusing its id is rejected with `idConflict`; text in
/// the recorded events is trimmed.
public enum Decider {
    public static func decide(_ command: Command, in context: DecisionContext) -> Result<Decision, Rejection> {
        Result { () throws(Rejection) in try decision(command, context) }
    }

    private static func decision(_ command: Command, _ context: DecisionContext) throws(Rejection) -> Decision {
        switch command {
        case .registerCompany(let payload): return try RegistrationRules.register(payload, context.company)
        case .updateCompany(let payload): return try RegistrationRules.update(payload, context.company)
        case .registerEngineer(let payload): return try RegistrationRules.register(payload, context.engineer)
        case .updateEngineer(let payload): return try RegistrationRules.update(payload, context.engineer)
        case .startEngagement(let payload): return try EngagementRules.start(payload, context)
        case .logSession(_, let payload):
            return try EngagementRules.addEntry(.guidanceSessionLogged(try EntryRules.session(payload, context.engagement)), context.engagement)
        case .reportOutcome(_, let payload):
            return try EngagementRules.addEntry(.outcomeReported(try EntryRules.outcome(payload, context.engagement)), context.engagement)
        case .recordExport(_, let payload):
            return try EngagementRules.addEntry(.exportRecorded(try EntryRules.trade(payload, context.engagement)), context.engagement)
        case .completeEngagement(_, let payload): return try EngagementRules.complete(payload, context.engagement)
        case .correctEntry(_, let payload): return try CorrectionRules.correct(payload, context.engagement)
        case .retractEntry(_, let payload): return try CorrectionRules.retract(payload, context.engagement)
        }
    }
}
