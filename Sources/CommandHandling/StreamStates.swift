import EventStore
import ShidoDomain

/// The state of every stream a set of commands is decided against, built from the log.
///
/// Guarantees: a stream's state is exactly its events replayed in version order; `record`
/// applies events the caller is about to append, so that later commands of the same batch
/// see them; `version` is the stream version that state corresponds to.
struct StreamStates {
    /// One stream's state, whichever kind of stream it is.
    enum Entry: Sendable {
        case company(CompanyState)
        case engineer(EngineerState)
        case engagement(EngagementState)
    }

    private var companies: [String: CompanyState] = [:]
    private var engineers: [String: EngineerState] = [:]
    private var engagements: [String: EngagementState] = [:]

    func entry(_ stream: String) -> Entry? {
        if let company = companies[stream] { return .company(company) }
        if let engineer = engineers[stream] { return .engineer(engineer) }
        return engagements[stream].map(Entry.engagement)
    }

    mutating func restore(_ entry: Entry, as stream: String) {
        switch entry {
        case .company(let state): companies[stream] = state
        case .engineer(let state): engineers[stream] = state
        case .engagement(let state): engagements[stream] = state
        }
    }

    /// Whether the entry may stand in for a dependency read: only a registration, which is never undone.
    static func isSettled(_ entry: Entry) -> Bool {
        switch entry {
        case .company(let state): state.isRegistered
        case .engineer(let state): state.isRegistered
        case .engagement: false
        }
    }

    /// The streams a command is decided against (its own, and for a start the company's and engineer's).
    static func streams(for command: Command) -> [String] {
        guard case .startEngagement(let start) = command else { return [command.streamID] }
        return [command.streamID, StreamName.company(start.companyCode), StreamName.engineer(start.engineerID)]
    }

    /// Replays recorded events (ordered by stream and version, as `readStreams` returns them).
    mutating func replay(_ events: [RecordedEvent]) throws(HandlingError) {
        for recorded in events {
            let event: DomainEvent
            do {
                event = try DomainEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, data: try recorded.dataValue())
            } catch {
                throw .unreadableEvent(position: recorded.position, reason: "\(error)")
            }
            record(event, id: recorded.id.uuidString.lowercased(), in: recorded.streamID)
        }
    }

    mutating func record(_ event: DomainEvent, id: String, in stream: String) {
        switch event {
        case .companyRegistered, .companyUpdated: companies[stream, default: .init()].apply(event, eventID: id)
        case .engineerRegistered, .engineerUpdated: engineers[stream, default: .init()].apply(event, eventID: id)
        default: engagements[stream, default: .init()].apply(event, eventID: id)
        }
    }

    func context(for command: Command) -> DecisionContext {
        var context = DecisionContext()
        switch command {
        case .registerCompany, .updateCompany: context.company = companies[command.streamID] ?? .init()
        case .registerEngineer, .updateEngineer: context.engineer = engineers[command.streamID] ?? .init()
        case .startEngagement(let start):
            context.company = companies[StreamName.company(start.companyCode)] ?? .init()
            context.engineer = engineers[StreamName.engineer(start.engineerID)] ?? .init()
            context.engagement = engagements[command.streamID] ?? .init()
        default: context.engagement = engagements[command.streamID] ?? .init()
        }
        return context
    }

    /// The number of events the stream holds in this state.
    func version(of stream: String) -> Int64 {
        companies[stream]?.version ?? engineers[stream]?.version ?? engagements[stream]?.version ?? 0
    }
}
