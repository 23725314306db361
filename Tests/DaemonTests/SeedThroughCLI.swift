import ShidoDomain
import TestSupport

/// The CLI invocation that records a seed command (the CLI's flags, not JSON).
enum SeedThroughCLI {
    static func arguments(for command: Command) -> [String] {
        switch command {
        case .registerCompany(let company):
            ["company", "register", "--code", company.code.text, "--name", company.name, "--industry", company.industry]
                + company.products.flatMap { ["--product", $0] }
        case .registerEngineer(let engineer):
            ["engineer", "register", "--id", engineer.engineerID.text, "--name", engineer.name, "--specialty", engineer.specialty,
             "--career", engineer.career]
        case .startEngagement(let start):
            ["engagement", "start", start.engagementID.text, "--company", start.companyCode.text, "--engineer", start.engineerID.text,
             "--start", start.startDate.text, "--year", String(start.programYear)]
                + start.guidanceFields.flatMap { ["--field", $0] } + start.goals.flatMap { ["--goal", $0.rawValue] }
                + (start.plannedEndDate.map { ["--planned-end", $0.text] } ?? [])
        case .logSession(let id, let session):
            ["session", "log", id.text, "--id", session.sessionID.text, "--date", session.date.text, "--hours", String(session.hours),
             "--topic", session.topic, "--format", session.format.rawValue, "--attendees", String(session.attendees)]
        case .reportOutcome(let id, let outcome):
            ["outcome", "report", id.text, "--id", outcome.outcomeID.text, "--kind", outcome.kind.rawValue,
             "--description", outcome.description, "--date", outcome.date.text, "--evidence", outcome.evidence.rawValue]
        case .recordExport(let id, let trade):
            ["export", "record", id.text, "--id", trade.tradeID.text,
             "--direction", trade.direction == .koreaToJapan ? "korea-to-japan" : "japan-to-korea",
             "--period", trade.period.month?.text ?? "", "--counterparty", trade.counterparty, "--product", trade.product,
             "--value", trade.value.amount.text, "--currency", trade.value.currency.text]
        default:
            []
        }
    }
}

extension DaemonProcess {
    /// A daemon holding the seed's 12 cases, recorded through the CLI, and its head.
    static func seeded(_ label: String) async throws -> (DaemonProcess, Int64) {
        let daemon = try await DaemonProcess.onTestCluster(label).start()
        for command in try SeedCases.commands() {
            let result = try daemon.cli(SeedThroughCLI.arguments(for: command))
            guard result.status == 0 else { throw DaemonFailure("seed: \(result.stderr)") }
        }
        return (daemon, try await daemon.head())
    }
}
