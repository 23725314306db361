import EventStore
import ShidoDomain
import ShidoJSON

/// Everything about one engagement, in date order, corrections and retractions shown:
/// folded from the engagement's own stream (the stream is the record; no projection needed).
///
/// Guarantees: every entry ever recorded appears once, with its content in force, how often
/// it was corrected and why, and whether it was retracted; `asOf` keeps only what is dated
/// on or before it; the events given are the only input.
public enum EngagementDetail {
    public static let columns = ["date", "kind", "content", "status", "entry"]

    /// The rows, or nil when the events hold no start of an engagement.
    public static func rows(from events: [RecordedEvent], asOf: CalendarDate? = nil) throws -> JSONValue? {
        var state = EngagementState()
        for recorded in events {
            let event = try DomainEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, data: try recorded.dataValue())
            state.apply(event, eventID: recorded.id.uuidString.lowercased())
        }
        guard let start = state.started else { return nil }
        var rows: [(date: CalendarDate, row: JSONValue)] = [(start.startDate, row(
            start.startDate, "started",
            "company \(start.companyCode), engineer \(start.engineerID); \(start.guidanceFields.joined(separator: ", "))",
            "recorded", ""))]
        for entry in state.entries {
            guard let date = entry.current.entryDate else { continue }
            rows.append((date, row(date, entry.current.type, entry.current.summary, status(of: entry), entry.eventID)))
        }
        if let completion = state.completed {
            rows.append((completion.date, row(completion.date, "completed", completion.summary, "recorded", "")))
        }
        let kept = rows.enumerated()
            .filter { asOf == nil || $0.element.date <= asOf! }
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
        return .array(kept.map(\.element.row))
    }

    private static func row(_ date: CalendarDate, _ kind: String, _ content: String, _ status: String, _ entry: String) -> JSONValue {
        ["date": .string(date.text), "kind": .string(kind), "content": .string(content), "status": .string(status), "entry": .string(entry)]
    }

    private static func status(of entry: EngagementEntry) -> String {
        if let retraction = entry.retraction { return "retracted: \(retraction.reason)" }
        guard !entry.corrections.isEmpty else { return "recorded" }
        let reasons = entry.corrections.map(\.reason).joined(separator: "; ")
        return "corrected ×\(entry.corrections.count) (\(reasons)); was: \(entry.original.summary)"
    }
}

extension DomainEvent {
    /// The business date of a session, outcome or trade flow (a flow's first day).
    var entryDate: CalendarDate? {
        switch self {
        case .guidanceSessionLogged(let session): session.date
        case .outcomeReported(let outcome): outcome.date
        case .exportRecorded(let trade): trade.period.start
        default: nil
        }
    }

    /// One line a person reads.
    var summary: String {
        switch self {
        case .guidanceSessionLogged(let session):
            "\(session.hours)h \(session.format.rawValue): \(session.topic)" + (session.attendees > 0 ? " (\(session.attendees) attending)" : "")
        case .outcomeReported(let outcome):
            "\(outcome.kind.rawValue): \(outcome.description)" + (outcome.metric.map { " [\($0.name) \($0.before)→\($0.after) \($0.unit)]" } ?? "")
        case .exportRecorded(let trade):
            "\(trade.direction.rawValue) \(trade.period.month?.text ?? "\(trade.period.from?.text ?? "")…\(trade.period.to?.text ?? "")") "
                + "\(trade.product), \(trade.counterparty): \(trade.value.amount) \(trade.value.currency)"
        default:
            type
        }
    }
}
