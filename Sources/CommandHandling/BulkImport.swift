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

    public mutating func add(_ other: ImportSummary) {
        commands += other.commands
        unchanged += other.unchanged
        events += other.events
        firstPosition = [firstPosition, other.firstPosition].compactMap { $0 }.min()
        lastPosition = [lastPosition, other.lastPosition].compactMap { $0 }.max()
    }
}

extension CommandHandler {
    /// Records a chunk of commands: one read for every stream the chunk touches, decisions
    /// in line order (later lines see earlier ones), then one append per stream, concurrently,
    /// so that the writer commits them together.
    ///
    /// Guarantees: a rejected line throws `ImportError` with its line number before anything
    /// of the chunk is written; a re-run of the same lines writes nothing (`unchanged`).
    /// Another writer racing on one of the streams fails that stream's append only
    /// (`HandlingError.contended` at its first line); re-running the chunk completes it.
    public func importChunk(_ lines: [ImportLine], as caller: Caller) async throws -> ImportSummary {
        var states = StreamStates()
        let streams = Set(lines.flatMap { StreamStates.streams(for: $0.command) })
        try states.replay(try await store.readStreams(Array(streams)))
        var pending: [String: (firstLine: Int, append: PendingAppend)] = [:]
        var summary = ImportSummary()
        summary.commands = lines.count
        for line in lines {
            let command = line.command
            switch Decider.decide(command, in: states.context(for: command)) {
            case .failure(let rejection):
                throw ImportError(line: line.line, underlying: HandlingError.rejected(rejection))
            case .success(.unchanged):
                summary.unchanged += 1
            case .success(.record(let events)):
                let stream = command.streamID
                var entry = pending[stream] ?? (line.line, PendingAppend(streamID: stream, baseVersion: states.version(of: stream)))
                let ids = entry.append.add(events, caller: caller, command: command, channel: "import")
                for (event, id) in zip(events, ids) { states.record(event, id: id.uuidString.lowercased(), in: stream) }
                pending[stream] = entry
            }
        }
        try await appendAll(pending.values.map { $0 }, into: &summary)
        return summary
    }

    private func appendAll(_ appends: [(firstLine: Int, append: PendingAppend)], into summary: inout ImportSummary) async throws {
        let store = self.store
        let receipts = try await withThrowingTaskGroup(of: Receipt.self) { group in
            for (line, append) in appends {
                group.addTask {
                    do { return try await append.append(to: store) } catch EventStoreError.wrongExpectedVersion {
                        throw ImportError(line: line, underlying: HandlingError.contended(stream: append.streamID))
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for receipt in receipts {
            summary.events += receipt.events.count
            summary.firstPosition = [summary.firstPosition, receipt.events.first?.position].compactMap { $0 }.min()
            summary.lastPosition = [summary.lastPosition, receipt.events.last?.position].compactMap { $0 }.max()
        }
    }
}
