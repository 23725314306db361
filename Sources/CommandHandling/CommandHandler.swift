import EventStore
import Foundation
import ShidoDomain
import ShidoJSON

/// Records commands: loads the streams a command depends on, lets `Decider` judge it, and
/// appends the resulting events with the stream version the decision was based on.
///
/// Guarantees: a command is recorded against the state it was decided on or not at all
/// (the append expects that exact stream version); when another writer got there first and
/// the caller named no version, the command is decided again on the new state, a few times
/// at most; a rejected command writes nothing; an exact repeat writes nothing.
public final class CommandHandler: Sendable {
    public let store: EventStore
    private let cache: StateCache
    private let attempts = 5

    /// - Parameter cachedStreams: how many streams' states to keep between commands.
    public init(store: EventStore, cachedStreams: Int = 100_000) {
        self.store = store
        cache = StateCache(capacity: cachedStreams)
    }

    /// Records one command as `caller`. With `expectedVersion`, the command's stream must be
    /// at that version before it (else `HandlingError.conflict`). With `key`, a repeat of
    /// the request that first used the key answers what that request was answered (the
    /// same events and positions), whatever happened to the stream since, and another
    /// request under the same key is refused (`HandlingError.idempotencyKeyReused`).
    public func handle(_ command: Command, as caller: Caller, expectedVersion: Int64? = nil, key: IdempotencyKey? = nil) async throws -> Receipt {
        guard let key else { return try await decideAndAppend(command, as: caller, expectedVersion: expectedVersion, key: nil) }
        let receipt: Receipt
        do { receipt = try await decideAndAppend(command, as: caller, expectedVersion: expectedVersion, key: key) } catch {
            guard Self.mayHideFirstAnswer(error), let first = try await firstAnswer(to: key) else { throw error }
            return first
        }
        if receipt.unchanged, let first = try await firstAnswer(to: key) { return first }
        return receipt
    }

    private func decideAndAppend(_ command: Command, as caller: Caller, expectedVersion: Int64?, key: IdempotencyKey?) async throws -> Receipt {
        for attempt in 1...attempts {
            do {
                return try await self.attempt(command, as: caller, expectedVersion: expectedVersion, key: key, trustCache: attempt == 1)
            } catch EventStoreError.wrongExpectedVersion where expectedVersion == nil && attempt < attempts {
                continue
            } catch EventStoreError.wrongExpectedVersion where expectedVersion == nil {
                throw HandlingError.contended(stream: command.streamID)
            }
        }
        throw HandlingError.contended(stream: command.streamID)
    }

    /// One try. With `trustCache`, cached states stand in for reads, and a stream that is not
    /// cached is assumed new; the append's expected version checks both assumptions. Only a
    /// decision to record may rest on them: a refusal or an "unchanged" is taken again on
    /// the state read from the log, since the cache may be older than the stream's head
    /// (an import, or another daemon, wrote meanwhile).
    private func attempt(_ command: Command, as caller: Caller, expectedVersion: Int64?, key: IdempotencyKey?, trustCache: Bool) async throws -> Receipt {
        let own = command.streamID
        let loaded = try await load(command, trustCache: trustCache && expectedVersion == nil)
        var states = loaded.states
        let version = states.version(of: own)
        if let expectedVersion, expectedVersion != version {
            throw HandlingError.conflict(stream: own, expected: expectedVersion, actual: version)
        }
        let events: [DomainEvent]
        switch Decider.decide(command, in: states.context(for: command)) {
        case .success(.record(let decided)): events = decided
        case _ where loaded.assumed: return try await attempt(command, as: caller, expectedVersion: expectedVersion, key: key, trustCache: false)
        case .failure(let rejection): throw HandlingError.rejected(rejection)
        case .success(.unchanged(let ids)): return try await receipt(repeating: ids, in: own)
        }
        var pending = PendingAppend(streamID: own, baseVersion: version)
        let ids = pending.add(events, caller: caller, command: command, channel: "api", key: key)
        let receipt: Receipt
        do { receipt = try await pending.append(to: store) } catch {
            cache.drop(own)
            throw error
        }
        for (event, id) in zip(events, ids) { states.record(event, id: id.uuidString.lowercased(), in: own) }
        if let entry = states.entry(own) { cache.put(own, entry) }
        return receipt
    }

    /// The states a command is decided against; `assumed` when any came from the cache or
    /// was taken to be new without a read.
    private func load(_ command: Command, trustCache: Bool) async throws -> (states: StreamStates, assumed: Bool) {
        let own = command.streamID
        var states = StreamStates()
        var assumed = false
        var reads: [String] = []
        for stream in StreamStates.streams(for: command) {
            let cached = trustCache ? cache.get(stream) : nil
            if let cached, stream == own || StreamStates.isSettled(cached) {
                states.restore(cached, as: stream)
                assumed = true
            } else if stream == own && trustCache {
                assumed = true
            } else {
                reads.append(stream)
            }
        }
        try states.replay(try await store.readStreams(reads))
        for stream in reads { if let entry = states.entry(stream) { cache.put(stream, entry) } }
        return (states, assumed)
    }

    /// The answer to a command that repeats recorded events: their ids and positions.
    private func receipt(repeating ids: [String], in stream: String) async throws -> Receipt {
        let recorded = try await store.events(withIDs: ids.compactMap(UUID.init(uuidString:)))
        return Receipt(streamID: stream, events: recorded.map(Receipt.Event.init), unchanged: true)
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
struct PendingAppend: Sendable {
    let streamID: String
    /// The stream version the decisions were based on; the append expects exactly it.
    let baseVersion: Int64
    /// Each event with its id and metadata; encoded only when the append is built (an import
    /// builds its appends side by side).
    private(set) var decided: [(id: UUID, event: DomainEvent, metadata: JSONValue)] = []

    init(streamID: String, baseVersion: Int64) {
        self.streamID = streamID
        self.baseVersion = baseVersion
    }

    /// Adds events with the caller's metadata; returns the ids, in order. The ids are fresh,
    /// or with a key derived from it, the command's `line` and each event's index.
    @discardableResult
    mutating func add(_ events: [DomainEvent], caller: Caller, command: Command, channel: String, key: IdempotencyKey? = nil, line: Int = 0) -> [UUID] {
        let metadata = caller.metadata(command: command.kind.rawValue, via: channel, key: key)
        return events.enumerated().map { index, event in
            let id = key?.eventID(line: line, index: index) ?? .random()
            decided.append((id, event, metadata))
            return id
        }
    }

    /// The events as the store takes them: data encoded, canonical text made.
    var newEvents: [NewEvent] {
        decided.map { NewEvent(id: $0.id, type: $0.event.type, schemaVersion: $0.event.schemaVersion, data: $0.event.data, metadata: $0.metadata) }
    }

    var streamAppend: StreamAppend { StreamAppend(streamID: streamID, expected: .exactly(baseVersion), events: newEvents) }

    func append(to store: EventStore) async throws -> Receipt {
        let result = try await store.append(newEvents, to: streamID, expecting: .exactly(baseVersion))
        let receipts = zip(result.events, decided).map { event, decided in
            Receipt.Event(id: event.id, type: decided.event.type, position: event.position, streamVersion: event.streamVersion)
        }
        return Receipt(streamID: streamID, events: receipts)
    }
}
