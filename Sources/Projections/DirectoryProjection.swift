import EventStore
import PostgresClient

/// Companies and engineers as registered and since updated, with their history.
///
/// Guarantees: one version per registration and per update of each company (`companies`)
/// and engineer (`engineers`), each holding every field as it stood from the event that
/// made it until the next one; names exactly as recorded. Applied next to the data: a
/// page's registrations in one statement, its updates (rare, and building on each other)
/// one statement each in log order; no event travels to the daemon.
public struct DirectoryProjection: Projection {
    public init() {}

    public let name = "directory"
    public let codeVersion = 2
    public let tablesSince = 2
    public let eventTypes = ["CompanyRegistered", "CompanyUpdated", "EngineerRegistered", "EngineerUpdated"]
    private static let updateTypes: Set<String> = ["CompanyUpdated", "EngineerUpdated"]
    public var tableDefinitions: String { ProjectionSQL.text("directory_tables") }
    public let sessionSetup: String? = nil

    public func apply(_ range: LogRange, on connection: PostgresConnection) throws {
        if range.mayHold(["CompanyRegistered", "EngineerRegistered"]) {
            try connection.executeCached(ProjectionSQL.text("directory_1_register"), [range.after, range.through])
        }
        guard range.mayHold(Self.updateTypes) else { return }
        let updates = try connection.executeCached(ProjectionSQL.text("directory_2_updates"), [range.after, range.through])
        for row in 0..<updates.rowCount {
            let statement = try updates.string(row, 1) == "CompanyUpdated" ? "directory_update_company" : "directory_update_engineer"
            try connection.executeCached(ProjectionSQL.text(statement), [try updates.int64(row, 0)])
        }
    }
}
