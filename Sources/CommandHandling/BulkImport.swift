import EventStore
import Foundation
import ShidoDomain

/// One command of a bulk import, with the line it came from.
public struct ImportLine: Sendable {
    public let line: Int
    public let command: Command

    public init(line: Int, command: Command) {
        self.line = line
        self.command = command
    }
}

/// What a bulk import did.
public struct ImportSummary: Sendable, Hashable {
    public var commands = 0
    /// Commands that were already recorded (a re-run): nothing written for them.
    public var unchanged = 0
    public var events = 0
    public var firstPosition: Int64?
    public var lastPosition: Int64?

    public init() {}

    mutating func count(_ positions: [Int64]) {
        events += positions.count
        firstPosition = ([firstPosition].compactMap { $0 } + positions).min()
        lastPosition = ([lastPosition].compactMap { $0 } + positions).max()
    }
}

extension CommandHandler {
    /// Records a whole import, all or nothing: one read for every stream it touches,
    /// decisions in line order (later lines see earlier ones, so a line may correct an
    /// entry recorded above it), then one transaction for every stream.
    ///
    /// Guarantees: a rejected line throws `ImportError` with its line number and nothing of
    /// the import is written; a re-run of the same lines writes nothing (`unchanged`); with
    /// `key`, a retry of the same body answers the first answer's counts and positions.
    /// Another writer racing on one of the streams makes it decide again, a few times.
    public func importAll(_ lines: [ImportLine], as caller: Caller, key: IdempotencyKey? = nil) async throws -> ImportSummary {
        for attempt in 1...4 {
            do { return try await importOnce(lines, as: caller, key: key) } catch EventStoreError.wrongExpectedVersion where attempt < 4 {
                continue
            } catch EventStoreError.wrongExpectedVersion(let stream, _, _) {
                throw ImportError(line: lines.first { $0.command.streamID == stream }?.line ?? 0, underlying: HandlingError.contended(stream: stream))
            }
        }
        throw HandlingError.contended(stream: "")
    }

    /// The appends of every stream, in order, their events encoded in slices side by side
    /// (encoding and canonical text are most of an import's work after the decisions).
    private static func streamAppends(_ pending: [PendingAppend]) async -> [StreamAppend] {
        (try? await pending.mapInSlices(minimumSlice: 64) { $0.streamAppend }) ?? []
    }

    /// Imports of at least this many lines stream their events into the transaction as they
    /// are decided, `feedPartLines` lines at a time (see `AppendFeed`): PostgreSQL ingests the
    /// first parts while the rest are decided.
    static let feedThreshold = 2_000
    static let feedPartLines = 2_000

    private func importOnce(_ lines: [ImportLine], as caller: Caller, key: IdempotencyKey?) async throws -> ImportSummary {
        var states = StreamStates()
        let streams = Set(lines.flatMap { StreamStates.streams(for: $0.command) })
        try states.replay(try await store.readStreams(Array(streams)))
        let feed = lines.count >= Self.feedThreshold ? AppendFeed(streams: Array(streams), limits: store.configuration.limits) : nil
        let store = self.store
        let fed = feed.map { feed in Task { try await store.append(feed: feed) } }
        do {
            var pending: [String: PendingAppend] = [:]
            var order: [String] = []
            var summary = ImportSummary()
            summary.commands = lines.count
            var writtenBefore: [UUID] = []
            for (index, line) in lines.enumerated() {
                let command = line.command
                switch Decider.decide(command, in: states.context(for: command)) {
                case .failure(let rejection):
                    guard let key, let first = try await firstAnswer(to: key, line: line.line) else {
                        throw ImportError(line: line.line, underlying: HandlingError.rejected(rejection))
                    }
                    writtenBefore += first.events.map(\.id)
                case .success(.unchanged(let recordedBy)):
                    let ids = recordedBy.compactMap(UUID.init(uuidString:))
                    if let key, !ids.isEmpty, Set(ids).isSubset(of: key.candidateIDs(line: line.line)) { writtenBefore += ids } else { summary.unchanged += 1 }
                case .success(.record(let events)):
                    let stream = command.streamID
                    if pending[stream] == nil { order.append(stream) }
                    let ids = pending[stream, default: PendingAppend(streamID: stream, baseVersion: states.version(of: stream))]
                        .add(events, caller: caller, command: command, channel: "import", key: key, line: line.line)
                    for (event, id) in zip(events, ids) { states.record(event, id: id.uuidString.lowercased(), in: stream) }
                }
                if let feed, (index + 1) % Self.feedPartLines == 0 {
                    try feed.send(await Self.streamAppends(order.compactMap { pending[$0] }))
                    (pending, order) = ([:], [])
                }
            }
            let before = try await store.events(withIDs: writtenBefore)
            if let key, let first = before.first { try Self.requireSameRequest(key, first) }
            summary.count(before.map(\.position))
            let appends = await Self.streamAppends(order.compactMap { pending[$0] })
            if let feed, let fed {
                try feed.send(appends)
                feed.finish()
                summary.count(try await fed.value.flatMap { $0.events.map(\.position) })
            } else {
                summary.count(try await appendAtomically(appends, key: key))
            }
            Self.releaseAfterAnswering((states, pending, appends))
            return summary
        } catch {
            feed?.fail("the import stopped: \(error)")
            _ = try? await fed?.value
            throw error
        }
    }

    /// The positions of the appends, all or nothing; an id taken by another request under the
    /// same key is refused as a reused key.
    private func appendAtomically(_ appends: [StreamAppend], key: IdempotencyKey?) async throws -> [Int64] {
        do {
            return try await store.appendAtomically(appends).flatMap { $0.events.map(\.position) }
        } catch EventStoreError.idempotencyConflict(let eventID, let reason) {
            if let key, let id = UUID(uuidString: eventID), let taken = try await store.event(id: id) { try Self.requireSameRequest(key, taken) }
            throw EventStoreError.idempotencyConflict(eventID: eventID, reason: reason)
        }
    }

    /// Freeing a whole import's states and events takes a tenth of a second or more: it
    /// happens in a task of its own, not before the caller is answered.
    private static func releaseAfterAnswering(_ large: sending some Any) {
        Task.detached(priority: .background) { withExtendedLifetime(large) {} }
    }
}
