import Foundation
import EventStore
import PostgresClient
import ShidoDomain

/// The replay oracle's engagements: the projection shido shipped before its tables kept
/// their history (code version 3, Swift folding of decoded events), kept as an independent
/// implementation the versioned tables are tested against.
///
/// Guarantees: one `engagements` row per started engagement; one `entries` row per entry
/// ever recorded, keyed by the position of the event that recorded it, holding the latest
/// correction's content, the number of corrections, and whether it was retracted.
struct OracleEngagements {
    let tableNames = ["engagements", "entries"]
    let eventTypes = [
        "EngagementStarted", "GuidanceSessionLogged", "OutcomeReported", "ExportRecorded", "EngagementCompleted",
        "EntryCorrected", "EntryRetracted",
    ]
    let tableDefinitions = """
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
        CREATE INDEX ON {engagements} (program_year);
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

    func apply(_ events: [RecordedEvent], to tables: OracleTables, on connection: PostgresConnection) throws {
        var page = PageChanges()
        for recorded in events {
            let event = try DomainEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, data: try recorded.dataValue())
            let engagementID = String(recorded.streamID.dropFirst("engagement-".count))
            page.touched.insert(engagementID)
            switch event {
            case .engagementStarted(let start):
                page.startEngagement(engagementID, OracleEngagementRow.fields(start))
            case .guidanceSessionLogged, .outcomeReported, .exportRecorded:
                page.addEntry(recorded.id.uuidString.lowercased(), [String(recorded.position), engagementID] + OracleEntryRow.fields(event))
            case .engagementCompleted(let completion):
                page.complete(engagementID, date: completion.date.text, summary: completion.summary)
            case .entryCorrected(let correction):
                if let replacement = correction.replacement { page.correct(correction.correctedEventID, OracleEntryRow.fields(replacement)) }
            case .entryRetracted(let retraction):
                page.retract(retraction.retractedEventID)
            default:
                break
            }
        }
        try page.write(to: tables, on: connection)
    }
}

/// A page's changes, folded in memory first: rows created in the page are corrected,
/// retracted and completed before they are written; changes to older rows become one
/// set-based UPDATE each. Order within the page is kept where it matters: the last
/// correction of an entry wins, and every correction is counted.
private struct PageChanges {
    var touched = Set<String>()
    private var engagements: [[String?]] = []
    private var engagementIndex: [String: Int] = [:]
    private var entries: [[String?]] = []
    private var entryIndex: [String: Int] = [:]
    private var completions: [String: (date: String, summary: String)] = [:]
    private var corrections: [String: (fields: [String?], count: Int)] = [:]
    private var retractions = Set<String>()

    // Column offsets in a new entry row: position, engagement, the typed fields, corrections, retracted.
    private static let correctionsColumn = 2 + OracleEntryRow.fieldCount
    private static let retractedColumn = correctionsColumn + 1

    var startsEngagements: Bool { !engagements.isEmpty }

    mutating func startEngagement(_ id: String, _ fields: [String?]) {
        engagementIndex[id] = engagements.count
        engagements.append(fields + [nil, nil])
    }

    mutating func addEntry(_ eventID: String, _ row: [String?]) {
        entryIndex[eventID] = entries.count
        entries.append(row + ["0", "f"])
    }

    mutating func complete(_ id: String, date: String, summary: String) {
        if let index = engagementIndex[id] {
            engagements[index][OracleEngagementRow.fieldCount] = date
            engagements[index][OracleEngagementRow.fieldCount + 1] = summary
        } else {
            completions[id] = (date, summary)
        }
    }

    mutating func correct(_ eventID: String, _ fields: [String?]) {
        if let index = entryIndex[eventID] {
            entries[index].replaceSubrange(2..<Self.correctionsColumn, with: fields)
            entries[index][Self.correctionsColumn] = String(Int(entries[index][Self.correctionsColumn]!)! + 1)
        } else {
            corrections[eventID] = (fields, (corrections[eventID]?.count ?? 0) + 1)
        }
    }

    mutating func retract(_ eventID: String) {
        if let index = entryIndex[eventID] { entries[index][Self.retractedColumn] = "t" } else { retractions.insert(eventID) }
    }

    func write(to tables: OracleTables, on connection: PostgresConnection) throws {
        if !engagements.isEmpty {
            try connection.copyIn(StaticOrTrustedSQL(trusted: tables.sql(
                "COPY {engagements} (\(OracleEngagementRow.columns), completed_date, completion) FROM STDIN"))) { writer in
                for row in engagements { try writer.appendRow(row) }
            }
        }
        if !entries.isEmpty {
            try connection.copyIn(StaticOrTrustedSQL(trusted: tables.sql(
                "COPY {entries} (position, engagement_id, \(OracleEntryRow.columns), corrections, retracted) FROM STDIN"))) { writer in
                for row in entries { try writer.appendRow(row) }
            }
        }
        if !completions.isEmpty {
            let ids = Array(completions.keys)
            try connection.executeCached(tables.sql("""
                UPDATE {engagements} g SET completed_date = c.date, completion = c.summary
                FROM unnest($1::text[], $2::date[], $3::text[]) AS c(id, date, summary) WHERE g.engagement_id = c.id
                """), [ArrayParameter(ids), ArrayParameter(ids.map { completions[$0]!.date }), ArrayParameter(ids.map { completions[$0]!.summary })])
        }
        if !corrections.isEmpty { try writeCorrections(to: tables, on: connection) }
        if !retractions.isEmpty {
            try connection.executeCached(tables.sql("""
                UPDATE {entries} n SET retracted = true FROM shido.events e
                WHERE e.event_id = ANY($1::uuid[]) AND n.position = e.position
                """), [ArrayParameter(Array(retractions))])
        }
    }

    private func writeCorrections(to tables: OracleTables, on connection: PostgresConnection) throws {
        let ids = Array(corrections.keys)
        let columns = (0..<OracleEntryRow.fieldCount).map { column in ArrayParameter(ids.map { corrections[$0]!.fields[column] }) }
        try connection.executeCached(tables.sql(OracleEntryRow.batchCorrection),
                                     [ArrayParameter(ids)] + columns + [ArrayParameter(ids.map { corrections[$0]!.count })])
    }
}

/// How an engagement start becomes a row.
enum OracleEngagementRow {
    static let columns = "engagement_id, company_code, engineer_id, guidance_fields, goals, start_date, planned_end_date, program_year"
    static let fieldCount = 8

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
enum OracleEntryRow {
    static let columns = "kind, entry_date, end_date, hours, outcome_kind, label, counterparty, direction, currency, value"

    static let fieldCount = 10

    /// $1 the corrected events' ids, $2…$11 the new typed fields, $12 how many corrections each.
    static let batchCorrection = """
        UPDATE {entries} n SET kind = c.kind, entry_date = c.entry_date, end_date = c.end_date, hours = c.hours,
            outcome_kind = c.outcome_kind, label = c.label, counterparty = c.counterparty, direction = c.direction,
            currency = c.currency, value = c.value, corrections = n.corrections + c.count
        FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[], $5::float8[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::text[], $11::numeric[], $12::int[])
            AS c(event_id, kind, entry_date, end_date, hours, outcome_kind, label, counterparty, direction, currency, value, count)
        JOIN shido.events e ON e.event_id = c.event_id
        WHERE n.position = e.position
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
