import EventStore
import PostgresClient
import ShidoDomain

/// Companies and engineers as registered and since updated, with their history.
///
/// Guarantees: one version per registration and per update of each company (`companies`)
/// and engineer (`engineers`), each holding every field as it stood from the event that
/// made it until the next one; names exactly as recorded. These events are rare (one per
/// company or engineer, and their updates), so they are decoded here with the domain's own
/// decoder and applied one statement each.
public struct DirectoryProjection: Projection {
    public init() {}

    public let name = "directory"
    public let codeVersion = 2
    public let tablesSince = 2
    public let eventTypes = ["CompanyRegistered", "CompanyUpdated", "EngineerRegistered", "EngineerUpdated"]
    public var tableDefinitions: String { ProjectionSQL.text("directory_tables") }
    public let sessionSetup: String? = nil

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        let page = try LogPage.read(
            on: connection, after: range.after, through: range.through, types: eventTypes, limit: Int(range.through - range.after),
            ownSnapshot: false)
        for recorded in page.events {
            let event = try recorded.domainEvent()
            do {
                try apply(event, at: recorded.position, on: connection)
            } catch {
                throw ProjectionFailure(position: recorded.position, eventID: recorded.id.uuidString.lowercased(), message: "\(error)")
            }
        }
    }

    private func apply(_ event: DomainEvent, at position: Int64, on connection: PostgresConnection) throws {
        switch event {
        case .companyRegistered(let company):
            try connection.executeCached(ProjectionSQL.text("directory_register_company"),
                                         [company.code.text, company.name, company.industry, ArrayParameter(company.products), position])
        case .companyUpdated(let update):
            try connection.executeCached(ProjectionSQL.text("directory_update_company"),
                                         [update.code.text, update.name, update.industry, update.products.map { ArrayParameter($0) }, position])
        case .engineerRegistered(let engineer):
            try connection.executeCached(ProjectionSQL.text("directory_register_engineer"),
                                         [engineer.engineerID.text, engineer.name, engineer.specialty, engineer.career, position])
        case .engineerUpdated(let update):
            try connection.executeCached(ProjectionSQL.text("directory_update_engineer"),
                                         [update.engineerID.text, update.name, update.specialty, update.career, position])
        default:
            break
        }
    }
}
