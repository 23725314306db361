import EventStore
import Foundation

/// How a keyed request finds the answer its first try was given (see `IdempotencyKey`).
extension CommandHandler {
    /// What the request that first used `key` was answered, when it wrote events; nil when
    /// nothing was written under the key.
    func firstAnswer(to key: IdempotencyKey, line: Int = 0) async throws -> Receipt? {
        let recorded = try await store.events(withIDs: key.candidateIDs(line: line))
        guard let first = recorded.first else { return nil }
        try await requireSameRequest(key, first.id, recorded: first)
        return Receipt(streamID: first.streamID, events: recorded.map(Receipt.Event.init))
    }

    /// Refuses when the event `id` (written under `key`) was written for another request.
    func requireSameRequest(_ key: IdempotencyKey, _ id: UUID, recorded: RecordedEvent? = nil) async throws {
        let event: RecordedEvent?
        if let recorded { event = recorded } else { event = try await store.event(id: id) }
        guard let event, key.isSameRequest(asRecordedIn: try event.metadataValue()) else {
            throw HandlingError.idempotencyKeyReused(key: key.key)
        }
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
