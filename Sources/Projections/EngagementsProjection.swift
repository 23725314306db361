import Foundation
import EventStore
import PostgresClient
import ShidoDomain

/// Engagements and their entries (sessions, outcomes, trade flows) in their current form.
///
/// Guarantees: one `engagements` row per started engagement; one `entries` row per entry
/// ever recorded, keyed by the position of the event that recorded it, holding the latest
/// correction's content, the number of corrections, and whether it was retracted. Views
/// count only rows with `retracted = false`.
public struct EngagementsProjection: Projection {
    public init() {}

    public let name = "engagements"
    public let codeVersion = 1
    public let tableNames = ["engagements", "entries"]
    public let eventTypes = [
        "EngagementStarted", "GuidanceSessionLogged", "OutcomeReported", "ExportRecorded", "EngagementCompleted",
        "EntryCorrected", "EntryRetracted",
    ]
    public let tableDefinitions = """
        CREATE TABLE {engagements} (
            engagement_id    text    COLLATE "C" PRIMARY KEY,
            company_code     text    COLLATE "C" NOT NULL,
            engineer_id      text    COLLATE "C" NOT NULL,
            guidance_fields  text[]  NOT NULL,
            goals            text[]  NOT NULL,
            start_date       date    NOT NULL,
            planned_end_date date,
            program_year     integer NOT NULL,
            completed_date   date,
            completion       text
        );
        CREATE TABLE {entries} (
            position      bigint  PRIMARY KEY,
            engagement_id text    COLLATE "C" NOT NULL,
            kind          text    COLLATE "C" NOT NULL,
            entry_date    date    NOT NULL,
            end_date      date,
            hours         double precision,
            outcome_kind  text    COLLATE "C",
            label         text    NOT NULL,
            counterparty  text,
            direction     text    COLLATE "C",
            currency      text    COLLATE "C",
            value         numeric,
            corrections   integer NOT NULL DEFAULT 0,
            retracted     boolean NOT NULL DEFAULT false
        );
        CREATE INDEX ON {entries} (engagement_id);
        """

    public func apply(_ events: [RecordedEvent], to tables: TableSet, on connection: PostgresConnection) throws {
        var pending = PendingRows()
        for recorded in events {
            let event = try recorded.domainEvent()
            let engagementID = String(recorded.streamID.dropFirst("engagement-".count))
            do {
                switch event {
                case .engagementStarted(let start):
                    pending.engagements.append(EngagementRow.fields(start))
                case .guidanceSessionLogged, .outcomeReported, .exportRecorded:
                    pending.entries.append([String(recorded.position), engagementID] + EntryRow.fields(event))
                case .engagementCompleted(let completion):
                    try pending.flush(to: tables, on: connection)
                    try connection.executeCached(
                        tables.sql("UPDATE {engagements} SET completed_date = $2::date, completion = $3 WHERE engagement_id = $1"),
                        [engagementID, completion.date.text, completion.summary])
                case .entryCorrected(let correction):
                    guard let replacement = correction.replacement else { break }
                    try pending.flush(to: tables, on: connection)
                    try connection.executeCached(tables.sql(EntryRow.correction), [correction.correctedEventID] + EntryRow.fields(replacement))
                case .entryRetracted(let retraction):
                    try pending.flush(to: tables, on: connection)
                    try connection.executeCached(tables.sql(EntryRow.retraction), [retraction.retractedEventID])
                default:
                    break
                }
            } catch {
                throw ProjectionFailure(position: recorded.position, eventID: recorded.id.uuidString.lowercased(), message: "\(error)")
            }
        }
        try pending.flush(to: tables, on: connection)
    }
}

/// New rows collected between updates and loaded with COPY, in event order.
private struct PendingRows {
    var engagements: [[String?]] = []
    var entries: [[String?]] = []

    mutating func flush(to tables: TableSet, on connection: PostgresConnection) throws {
        if !engagements.isEmpty {
            try connection.copyIn(StaticOrTrustedSQL(trusted: tables.sql("COPY {engagements} (\(EngagementRow.columns)) FROM STDIN"))) { writer in
                for row in engagements { try writer.appendRow(row) }
            }
            engagements.removeAll(keepingCapacity: true)
        }
        if !entries.isEmpty {
            try connection.copyIn(StaticOrTrustedSQL(trusted: tables.sql("COPY {entries} (position, engagement_id, \(EntryRow.columns)) FROM STDIN"))) { writer in
                for row in entries { try writer.appendRow(row) }
            }
            entries.removeAll(keepingCapacity: true)
        }
    }
}

/// How an engagement start becomes a row.
enum EngagementRow {
    static let columns = "engagement_id, company_code, engineer_id, guidance_fields, goals, start_date, planned_end_date, program_year"

    static func fields(_ start: EngagementStarted) -> [String?] {
        [
            start.engagementID.text, start.companyCode.text, start.engineerID.text, arrayLiteral(start.guidanceFields),
            arrayLiteral(start.goals.map(\.rawValue)), start.startDate.text, start.plannedEndDate?.text, String(start.programYear),
        ]
    }

    /// PostgreSQL's text form of a text[] (every element quoted and escaped).
    static func arrayLiteral(_ elements: [String]) -> String {
        let quoted = elements.map { element in
            "\"" + element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}

/// How a session, outcome or trade flow becomes the typed columns of an entry.
enum EntryRow {
    static let columns = "kind, entry_date, end_date, hours, outcome_kind, label, counterparty, direction, currency, value"

    static let correction = """
        UPDATE {entries} SET kind = $2, entry_date = $3::date, end_date = $4::date, hours = $5::float8, outcome_kind = $6,
            label = $7, counterparty = $8, direction = $9, currency = $10, value = $11::numeric, corrections = corrections + 1
        WHERE position = (SELECT position FROM shido.events WHERE event_id = $1::uuid)
        """

    static let retraction = """
        UPDATE {entries} SET retracted = true WHERE position = (SELECT position FROM shido.events WHERE event_id = $1::uuid)
        """

    static func fields(_ event: DomainEvent) -> [String?] {
        switch event {
        case .guidanceSessionLogged(let session):
            ["session", session.date.text, nil, String(session.hours), nil, session.topic, nil, nil, nil, nil]
        case .outcomeReported(let outcome):
            ["outcome", outcome.date.text, nil, nil, outcome.kind.rawValue, outcome.description, nil, nil, nil, nil]
        case .exportRecorded(let trade):
            [
                "trade", trade.period.start?.text ?? "", trade.period.end?.text, nil, nil, trade.product, trade.counterparty,
                trade.direction.rawValue, trade.value.currency.code, trade.value.amount.text,
            ]
        default:
            []
        }
    }
}
