import ShidoDomain

/// Streams kept in memory, for deciding commands the way the daemon does, without a database.
///
/// Guarantees: a command is decided against the state folded from its streams' events;
/// recorded events get sequential ids (`e1`, `e2`, …) and are applied at once.
public struct DomainHarness {
    public private(set) var companies: [String: CompanyState] = [:]
    public private(set) var engineers: [String: EngineerState] = [:]
    public private(set) var engagements: [String: EngagementState] = [:]
    public private(set) var log: [(stream: String, eventID: String, event: DomainEvent)] = []

    public init() {}

    /// Decides and, when accepted, records the command's events.
    @discardableResult
    public mutating func execute(_ command: Command) -> Result<Decision, Rejection> {
        let decision = Decider.decide(command, in: context(for: command))
        if case .success(.record(let events)) = decision {
            for event in events { record(event, in: command.streamID) }
        }
        return decision
    }

    /// Like `execute`, but a rejection stops the test with its message.
    @discardableResult
    public mutating func accept(_ command: Command) throws -> Decision {
        try execute(command).get()
    }

    public func engagement(_ id: String) -> EngagementState { engagements["engagement-" + id] ?? EngagementState() }

    /// The id of the n-th recorded event (1-based), as the harness named it.
    public func eventID(_ number: Int) -> String { "e\(number)" }

    public var lastEventID: String { "e\(log.count)" }

    mutating func record(_ event: DomainEvent, in stream: String) {
        let eventID = "e\(log.count + 1)"
        log.append((stream, eventID, event))
        switch event {
        case .companyRegistered, .companyUpdated: companies[stream, default: CompanyState()].apply(event, eventID: eventID)
        case .engineerRegistered, .engineerUpdated: engineers[stream, default: EngineerState()].apply(event, eventID: eventID)
        default: engagements[stream, default: EngagementState()].apply(event, eventID: eventID)
        }
    }

    private func context(for command: Command) -> DecisionContext {
        var context = DecisionContext()
        switch command {
        case .registerCompany, .updateCompany: context.company = companies[command.streamID] ?? CompanyState()
        case .registerEngineer, .updateEngineer: context.engineer = engineers[command.streamID] ?? EngineerState()
        case .startEngagement(let start):
            context.company = companies[StreamName.company(start.companyCode)] ?? CompanyState()
            context.engineer = engineers[StreamName.engineer(start.engineerID)] ?? EngineerState()
            context.engagement = engagements[command.streamID] ?? EngagementState()
        default: context.engagement = engagements[command.streamID] ?? EngagementState()
        }
        return context
    }
}
