import EventStore
import Foundation
import ShidoDomain

/// Records commands: loads the streams a command depends on, lets `Decider` judge it, and
/// appends the resulting events with the stream version the decision was based on.
///
/// Guarantees: a command is recorded against the state it was decided on or not at all
/// (the append expects that exact stream version); when another writer got there first and
/// the caller named no version, the command is decided again on the new state, a few times
/// at most; a rejected command writes nothing; an exact repeat writes nothing.
public final class CommandHandler: Sendable {
    public let store: EventStore
    private let attempts = 5

    public init(store: EventStore) { self.store = store }

    /// Records one command as `caller`. With `expectedVersion`, the command's stream must be
    /// at that version before it (else `HandlingError.conflict`).
    public func handle(_ command: Command, as caller: Caller, expectedVersion: Int64? = nil) async throws -> Receipt {
        for _ in 1..<attempts {
            do {
                return try await attempt(command, as: caller, expectedVersion: expectedVersion)
            } catch EventStoreError.wrongExpectedVersion where expectedVersion == nil {
                continue
            }
        }
        do {
            return try await attempt(command, as: caller, expectedVersion: expectedVersion)
        } catch EventStoreError.wrongExpectedVersion {
            throw HandlingError.contended(stream: command.streamID)
        }
    }

    private func attempt(_ command: Command, as caller: Caller, expectedVersion: Int64?) async throws -> Receipt {
        var states = StreamStates()
        try states.replay(try await store.readStreams(StreamStates.streams(for: command)))
        let version = states.version(of: command.streamID)
        if let expectedVersion, expectedVersion != version {
            throw HandlingError.conflict(stream: command.streamID, expected: expectedVersion, actual: version)
        }
        let events: [DomainEvent]
        switch Decider.decide(command, in: states.context(for: command)) {
        case .failure(let rejection): throw HandlingError.rejected(rejection)
        case .success(.unchanged): return Receipt(streamID: command.streamID, events: [])
        case .success(.record(let decided)): events = decided
        }
        var pending = PendingAppend(streamID: command.streamID, baseVersion: version)
        pending.add(events, caller: caller, command: command, channel: "api")
        return try await pending.append(to: store)
    }

    /// The engagement an entry (session, outcome, trade flow) belongs to, for corrections
    /// and retractions, which name only the entry's event id.
    public func engagement(ofEntry eventID: String, field: String) async throws -> EngagementID {
        let unknown = HandlingError.rejected(Rejection(.unknownEntry, at: field, "no event with id \(eventID) is recorded"))
        guard let id = UUID(uuidString: eventID), let event = try await store.event(id: id) else { throw unknown }
        let prefix = "engagement-"
        guard event.streamID.hasPrefix(prefix), let engagement = try? EngagementID(String(event.streamID.dropFirst(prefix.count))) else {
            throw HandlingError.rejected(Rejection(.cannotCorrectThis, at: field, "event \(eventID) is a \(event.type), not an entry of an engagement"))
        }
        return engagement
    }
}

/// Events decided for one stream, waiting to be appended.
struct PendingAppend {
    let streamID: String
    /// The stream version the decisions were based on; the append expects exactly it.
    let baseVersion: Int64
    private(set) var events: [NewEvent] = []
    private(set) var types: [String] = []

    init(streamID: String, baseVersion: Int64) {
        self.streamID = streamID
        self.baseVersion = baseVersion
    }

    /// Adds events with fresh ids and the caller's metadata; returns the ids, in order.
    @discardableResult
    mutating func add(_ decided: [DomainEvent], caller: Caller, command: Command, channel: String) -> [UUID] {
        let metadata = caller.metadata(command: command.kind.rawValue, via: channel)
        return decided.map { event in
            let new = NewEvent(type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: metadata)
            events.append(new)
            types.append(event.type)
            return new.id
        }
    }

    func append(to store: EventStore) async throws -> Receipt {
        let result = try await store.append(events, to: streamID, expecting: .exactly(baseVersion))
        let receipts = zip(result.events, types).map { event, type in
            Receipt.Event(id: event.id, type: type, position: event.position, streamVersion: event.streamVersion)
        }
        return Receipt(streamID: streamID, events: receipts)
    }
}
