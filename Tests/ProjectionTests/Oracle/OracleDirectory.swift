import EventStore
import PostgresClient
import Projections
import ShidoDomain

/// The replay oracle's directory: the projection shido shipped before its tables kept their
/// history (code version 1).
///
/// Guarantees: one row per registered company (`companies`) and engineer (`engineers`),
/// holding the latest value of every field; names exactly as recorded.
struct OracleDirectory {
    let tableNames = ["companies", "engineers"]
    let eventTypes = ["CompanyRegistered", "CompanyUpdated", "EngineerRegistered", "EngineerUpdated"]
    let tableDefinitions = """
        CREATE TABLE {companies} (
            code     text   COLLATE "C" PRIMARY KEY,
            name     text   NOT NULL,
            industry text   NOT NULL,
            products text[] NOT NULL
        );
        CREATE TABLE {engineers} (
            engineer_id text COLLATE "C" PRIMARY KEY,
            name        text NOT NULL,
            specialty   text NOT NULL,
            career      text NOT NULL
        );
        CREATE INDEX ON {companies} (industry);
        """

    func apply(_ events: [RecordedEvent], to tables: OracleTables, on connection: PostgresConnection) throws {
        for recorded in events {
            let event = try DomainEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, data: try recorded.dataValue())
            do {
                try apply(event, to: tables, on: connection)
            } catch {
                throw ProjectionFailure(position: recorded.position, eventID: recorded.id.uuidString.lowercased(), message: "\(error)")
            }
        }
    }

    private func apply(_ event: DomainEvent, to tables: OracleTables, on connection: PostgresConnection) throws {
        switch event {
        case .companyRegistered(let company):
            try connection.executeCached(
                tables.sql("INSERT INTO {companies} (code, name, industry, products) VALUES ($1, $2, $3, $4)"),
                [company.code.text, company.name, company.industry, ArrayParameter(company.products)])
        case .companyUpdated(let update):
            try connection.executeCached(
                tables.sql("""
                    UPDATE {companies} SET name = coalesce($2, name), industry = coalesce($3, industry),
                        products = coalesce($4::text[], products) WHERE code = $1
                    """),
                [update.code.text, update.name, update.industry, update.products.map { ArrayParameter($0) }])
        case .engineerRegistered(let engineer):
            try connection.executeCached(
                tables.sql("INSERT INTO {engineers} (engineer_id, name, specialty, career) VALUES ($1, $2, $3, $4)"),
                [engineer.engineerID.text, engineer.name, engineer.specialty, engineer.career])
        case .engineerUpdated(let update):
            try connection.executeCached(
                tables.sql("""
                    UPDATE {engineers} SET name = coalesce($2, name), specialty = coalesce($3, specialty),
                        career = coalesce($4, career) WHERE engineer_id = $1
                    """),
                [update.engineerID.text, update.name, update.specialty, update.career])
        default:
            break
        }
    }
}
