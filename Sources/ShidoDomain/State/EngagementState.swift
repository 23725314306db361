/// One entry of an engagement (a session, outcome or trade flow) with its history.
public struct EngagementEntry: Hashable, Sendable {
    /// The id of the event that first recorded it.
    public let eventID: String
    /// The content as first recorded.
    public let original: DomainEvent
    /// The content now in force: the latest correction, or the original.
    public internal(set) var current: DomainEvent
    public internal(set) var corrections: [EntryCorrected] = []
    /// The ids of the events in `corrections`, in the same order.
    public internal(set) var correctionIDs: [String] = []
    public internal(set) var retraction: EntryRetracted?
    public internal(set) var retractionID: String?

    public var isRetracted: Bool { retraction != nil }
}

/// An engagement as its stream tells it: start, entries with their corrections, completion.
///
/// Guarantees: `apply` is the only way it changes, and replaying the same events gives the
/// same state; `sessions`, `outcomes` and `tradeFlows` hold only entries in force (retracted
/// ones excluded, corrected ones in their corrected form), in the order first recorded.
public struct EngagementState: Hashable, Sendable {
    public private(set) var started: EngagementStarted?
    public private(set) var startedBy: String?
    public private(set) var completed: EngagementCompleted?
    public private(set) var completedBy: String?
    public private(set) var version: Int64 = 0
    public private(set) var entries: [EngagementEntry] = []
    /// Every event id in the stream, with the type it had (corrections and retractions included).
    public private(set) var eventTypes: [String: String] = [:]
    private var entryIndex: [String: Int] = [:]
    /// Entry position by entity key (`session:s1`), so a repeated id is found without a scan.
    private var entityIndex: [String: Int] = [:]

    public init() {}

    public var isStarted: Bool { started != nil }
    public var isCompleted: Bool { completed != nil }

    public mutating func apply(_ event: DomainEvent, eventID: String) {
        version += 1
        eventTypes[eventID] = event.type
        switch event {
        case .engagementStarted(let start):
            started = start
            startedBy = eventID
        case .engagementCompleted(let completion):
            completed = completion
            completedBy = eventID
        case .guidanceSessionLogged, .outcomeReported, .exportRecorded:
            entryIndex[eventID] = entries.count
            if let key = event.entityKey, entityIndex[key] == nil { entityIndex[key] = entries.count }
            entries.append(EngagementEntry(eventID: eventID, original: event, current: event))
        case .entryCorrected(let correction):
            guard let index = entryIndex[correction.correctedEventID], let replacement = correction.replacement else { return }
            entries[index].current = replacement
            entries[index].corrections.append(correction)
            entries[index].correctionIDs.append(eventID)
        case .entryRetracted(let retraction):
            guard let index = entryIndex[retraction.retractedEventID] else { return }
            entries[index].retraction = retraction
            entries[index].retractionID = eventID
        default: break
        }
    }

    public func entry(eventID: String) -> EngagementEntry? { entryIndex[eventID].map { entries[$0] } }

    /// The entry recorded under an entity key (`session:s1`), retracted or not.
    public func entry(entityKey key: String) -> EngagementEntry? { entityIndex[key].map { entries[$0] } }

    /// The entry an `EntryReference` names: an event id or an entity key.
    public func entry(referencedBy reference: String) -> EngagementEntry? {
        EntryReference.entityKey(reference).map { entry(entityKey: $0) } ?? entry(eventID: reference.lowercased())
    }

    private var inForce: [DomainEvent] { entries.filter { !$0.isRetracted }.map(\.current) }

    public var sessions: [GuidanceSessionLogged] {
        inForce.compactMap { if case .guidanceSessionLogged(let session) = $0 { session } else { nil } }
    }

    public var outcomes: [OutcomeReported] {
        inForce.compactMap { if case .outcomeReported(let outcome) = $0 { outcome } else { nil } }
    }

    public var tradeFlows: [ExportRecorded] {
        inForce.compactMap { if case .exportRecorded(let trade) = $0 { trade } else { nil } }
    }

    /// Every entry ever recorded under an id, retracted or not: ids are never reused.
    func recordedEntry(matching event: DomainEvent) -> EngagementEntry? {
        event.entityKey.flatMap { entityIndex[$0] }.map { entries[$0] }
    }
}

extension EntryCorrected {
    /// The corrected content as an event of the corrected type.
    public var replacement: DomainEvent? {
        if let session { return .guidanceSessionLogged(session) }
        if let outcome { return .outcomeReported(outcome) }
        if let trade { return .exportRecorded(trade) }
        return nil
    }
}

extension DomainEvent {
    /// Which entry an engagement event records ("session:S1"), for duplicate checks.
    var entityKey: String? {
        switch self {
        case .guidanceSessionLogged(let session): "session:\(session.sessionID)"
        case .outcomeReported(let outcome): "outcome:\(outcome.outcomeID)"
        case .exportRecorded(let trade): "trade:\(trade.tradeID)"
        default: nil
        }
    }
}
