/// Something program staff ask shido to record.
///
/// Guarantees: each command names the one stream it appends to; `Decider` checks it against
/// that stream's state (and, to start an engagement, the company's and engineer's).
public enum Command: Hashable, Sendable {
    case registerCompany(CompanyRegistered)
    case updateCompany(CompanyUpdated)
    case registerEngineer(EngineerRegistered)
    case updateEngineer(EngineerUpdated)
    case startEngagement(EngagementStarted)
    case logSession(EngagementID, GuidanceSessionLogged)
    case reportOutcome(EngagementID, OutcomeReported)
    case recordExport(EngagementID, ExportRecorded)
    case completeEngagement(EngagementID, EngagementCompleted)
    case correctEntry(EngagementID, EntryCorrected)
    case retractEntry(EngagementID, EntryRetracted)

    /// The command's name, as the API and the import format spell it.
    public var kind: CommandKind {
        switch self {
        case .registerCompany: .registerCompany
        case .updateCompany: .updateCompany
        case .registerEngineer: .registerEngineer
        case .updateEngineer: .updateEngineer
        case .startEngagement: .startEngagement
        case .logSession: .logSession
        case .reportOutcome: .reportOutcome
        case .recordExport: .recordExport
        case .completeEngagement: .completeEngagement
        case .correctEntry: .correctEntry
        case .retractEntry: .retractEntry
        }
    }

    /// The stream the command's events go to.
    public var streamID: String {
        switch self {
        case .registerCompany(let payload): StreamName.company(payload.code)
        case .updateCompany(let payload): StreamName.company(payload.code)
        case .registerEngineer(let payload): StreamName.engineer(payload.engineerID)
        case .updateEngineer(let payload): StreamName.engineer(payload.engineerID)
        case .startEngagement(let payload): StreamName.engagement(payload.engagementID)
        case .logSession(let id, _), .reportOutcome(let id, _), .recordExport(let id, _), .completeEngagement(let id, _),
             .correctEntry(let id, _), .retractEntry(let id, _):
            StreamName.engagement(id)
        }
    }
}

/// The state a command is decided against.
public struct DecisionContext: Sendable {
    public var company: CompanyState
    public var engineer: EngineerState
    public var engagement: EngagementState

    public init(company: CompanyState = .init(), engineer: EngineerState = .init(), engagement: EngagementState = .init()) {
        self.company = company
        self.engineer = engineer
        self.engagement = engagement
    }
}

/// What a command leads to.
public enum Decision: Hashable, Sendable {
    /// Append these events to the command's stream.
    case record([DomainEvent])
    /// The command repeats what is already recorded (a retry): nothing to append.
    /// `recordedBy` names the events that recorded it (for an update that changes nothing,
    /// the stream's latest event: the state in force is established there), so that a retry
    /// answers the original event ids and positions.
    case unchanged(recordedBy: [String])

    /// Whether nothing is to be appended.
    public var isUnchanged: Bool {
        if case .unchanged = self { return true }
        return false
    }
}
