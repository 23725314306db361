import EventStore
import ShidoDomain

extension RecordedEvent {
    /// The domain event, or a failure naming this event.
    func domainEvent() throws(ProjectionFailure) -> DomainEvent {
        do {
            return try DomainEvent.decode(type: type, schemaVersion: schemaVersion, data: try dataValue())
        } catch {
            throw ProjectionFailure(position: position, eventID: id.uuidString.lowercased(), message: "unreadable event: \(error)")
        }
    }
}
