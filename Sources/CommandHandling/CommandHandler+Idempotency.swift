import EventStore
import Foundation

/// How a keyed request finds the answer its first try was given (see `IdempotencyKey`).
extension CommandHandler {
    /// What the request that first used `key` was answered, when it wrote events; nil when
    /// nothing was written under the key.
    func firstAnswer(to key: IdempotencyKey, line: Int = 0) async throws -> Receipt? {
        let recorded = try await store.events(withIDs: key.candidateIDs(line: line))
        guard let first = recorded.first else { return nil }
        try Self.requireSameRequest(key, first)
        return Receipt(streamID: first.streamID, events: recorded.map(Receipt.Event.init))
    }

    /// Refuses when `event` (written under `key`) was written for another request.
    static func requireSameRequest(_ key: IdempotencyKey, _ event: RecordedEvent) throws {
        guard key.isSameRequest(asRecordedIn: try event.metadataValue()) else { throw HandlingError.idempotencyKeyReused(key: key.key) }
    }

    /// Errors a keyed retry may meet where its first try succeeded: the stream moved on, or
    /// the key's event ids are taken (by that first try, or by another request).
    static func mayHideFirstAnswer(_ error: any Error) -> Bool {
        switch error {
        case HandlingError.rejected, HandlingError.conflict, HandlingError.contended, EventStoreError.idempotencyConflict,
             EventStoreError.wrongExpectedVersion: true
        default: false
        }
    }
}
