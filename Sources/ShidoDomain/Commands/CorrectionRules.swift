/// Corrections and retractions: new events that point at an earlier entry of the same engagement.
enum CorrectionRules {
    static func correct(_ payload: EntryCorrected, _ state: EngagementState) throws(Rejection) -> Decision {
        let entry = try target(payload.correctedEventID, state, at: "/correctedEventID", verb: "correct")
        let reason = try TextRules.check(payload.reason, at: "/reason", maxCharacters: 1000, multiline: true)
        let given = [payload.session != nil, payload.outcome != nil, payload.trade != nil].filter { $0 }.count
        guard given == 1, let replacement = payload.replacement else {
            throw Rejection(.replacementMismatch, at: "", "give exactly one of session, outcome or trade: the corrected content")
        }
        let clean: EntryCorrected
        switch (entry.original, replacement) {
        case (.guidanceSessionLogged, .guidanceSessionLogged(let session)):
            clean = EntryCorrected(correctedEventID: entry.eventID, reason: reason, session: try EntryRules.session(session, state, prefix: "/session"))
        case (.outcomeReported, .outcomeReported(let outcome)):
            clean = EntryCorrected(correctedEventID: entry.eventID, reason: reason, outcome: try EntryRules.outcome(outcome, state, prefix: "/outcome"))
        case (.exportRecorded, .exportRecorded(let trade)):
            clean = EntryCorrected(correctedEventID: entry.eventID, reason: reason, trade: try EntryRules.trade(trade, state, prefix: "/trade"))
        default:
            throw Rejection(.replacementMismatch, at: "", "the corrected event is a \(entry.original.type); give the corrected content of that type")
        }
        guard clean.replacement?.entityKey == entry.original.entityKey else {
            throw Rejection(.replacementMismatch, at: replacement.correctionPrefix + replacement.idField, "a correction cannot change the entry's id")
        }
        // The same correction again (a retry, or an import run twice) changes nothing.
        if entry.corrections.last == clean { return .unchanged(recordedBy: entry.correctionIDs.suffix(1)) }
        return .record([.entryCorrected(clean)])
    }

    static func retract(_ payload: EntryRetracted, _ state: EngagementState) throws(Rejection) -> Decision {
        let reason = try TextRules.check(payload.reason, at: "/reason", maxCharacters: 1000, multiline: true)
        if let entry = state.entry(referencedBy: payload.retractedEventID), let retracted = entry.retraction, retracted.reason == reason {
            return .unchanged(recordedBy: entry.retractionID.map { [$0] } ?? [])
        }
        let entry = try target(payload.retractedEventID, state, at: "/retractedEventID", verb: "retract")
        return .record([.entryRetracted(EntryRetracted(retractedEventID: entry.eventID, reason: reason))])
    }

    /// The entry a reference names (its event id, or `session:<id>`, `outcome:<id>`,
    /// `trade:<id>`): a session, outcome or trade flow of this engagement, not retracted.
    /// Corrections and retractions themselves cannot be corrected.
    private static func target(_ eventID: String, _ state: EngagementState, at field: String, verb: String) throws(Rejection) -> EngagementEntry {
        guard state.isStarted else { throw Rejection(.unknownEngagement, at: "/engagementID", "no such engagement") }
        if let key = EntryReference.entityKey(eventID) {
            guard let entry = state.entry(entityKey: key) else {
                throw Rejection(.unknownEntry, at: field, "this engagement has no \(key.split(separator: ":", maxSplits: 1).joined(separator: " "))")
            }
            guard !entry.isRetracted else { throw Rejection(.alreadyRetracted, at: field, "\(key) is retracted") }
            return entry
        }
        let id = eventID.lowercased()
        guard let type = state.eventTypes[id] else {
            throw Rejection(.unknownEntry, at: field, "event \(eventID) is not part of this engagement")
        }
        guard let entry = state.entry(eventID: id) else {
            throw Rejection(.cannotCorrectThis, at: field, "a \(type) event cannot be \(verb == "correct" ? "corrected" : "retracted")")
        }
        guard !entry.isRetracted else { throw Rejection(.alreadyRetracted, at: field, "event \(eventID) is retracted") }
        return entry
    }
}

extension DomainEvent {
    var correctionPrefix: String {
        switch self {
        case .guidanceSessionLogged: "/session"
        case .outcomeReported: "/outcome"
        case .exportRecorded: "/trade"
        default: ""
        }
    }
}
