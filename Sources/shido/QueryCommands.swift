import ArgumentParser
import ShidoJSON
import TerminalOutput

/// `shido query …`: the program-performance views.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask how the program performs: the views, today or as of any past date.",
        discussion: """
            Every view counts entries in force: a retracted entry counts nowhere, a corrected one \
            in its corrected form. Names appear exactly as recorded.
            The past: --as-of DATE keeps what is dated on or before DATE (engagements by start, \
            sessions and outcomes by date, trade by the first day of its period) with every \
            correction recorded so far; --known-at POSITION|TIME answers exactly as the log \
            stood then (a position beyond the head is refused); both may be combined.
            Examples:
              shido query summary
              shido query engagements --year 2016 --pattern productionStabilisation
              shido query trade --period quarter --as-of 2016-12-31
              shido query summary --year 2016 --industry 금형
              shido query summary --known-at 2026-03-31T23:59:59+09:00
            """,
        subcommands: [
            Summary.self, Engagements.self, Engagement.self, Engineers.self, Companies.self, Industries.self, Patterns.self,
            Trade.self, Years.self,
        ])

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Totals: engagements, companies, engineers, sessions, hours, outcomes by kind, trade by direction, patterns.")
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("summary", scope.filters) }
    }

    struct Engagements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The case table: company, products, engineer, guidance, period, sessions, hours, outcomes, trade, patterns.")
        @Option(help: "Only this program year.") var year: Int?
        @Option(help: "Only companies of this industry (exactly as recorded).") var industry: String?
        @Option(help: "Only this engineer's engagements (engineer id).") var engineer: String?
        @Option(help: "Only this company's engagements (company code).") var company: String?
        @Option(help: "productionStabilisation, salesToJapaneseExports, both or neither.") var pattern: String?
        @Option(help: "active or completed.") var status: String?
        @Option(help: "At most this many rows (1–10000).") var limit: Int = 100
        @Option(help: "Skip this many rows (for the next page).") var offset: Int = 0
        @OptionGroup var options: ViewOptions

        func run() async throws {
            try await options.show("engagements", [
                ("year", year.map(String.init)), ("industry", industry), ("engineer", engineer), ("company", company),
                ("pattern", pattern), ("status", status), ("limit", String(limit)), ("offset", String(offset)),
            ])
        }
    }

    struct Engagement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything about one engagement, in date order, corrections and retractions shown.",
            discussion: "Example: shido query engagement case-j")
        @Argument(help: "Engagement id.") var id: String
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("engagement/" + Field.segment(id)) }
    }

    struct Engineers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per engineer: engagements, companies, sessions, hours, outcomes.")
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("engineers", scope.filters) }
    }

    struct Companies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per company: engagements, engineers, outcomes, trade.")
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("companies", scope.filters) }
    }

    struct Industries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per industry: companies, engagements and their share, outcomes, trade.")
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("industries", scope.filters) }
    }

    struct Patterns: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per outcome pattern: the engagements showing it, their trade value and evidence; both and neither.",
            discussion: "JSON output carries each case's evidence: the trade flows that establish the pattern, and the outcomes.")
        @Option(help: "At most this many cases listed per pattern, with their evidence (counts and values cover all).") var limit: Int = 10
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("patterns", [("limit", String(limit))] + scope.filters) }
    }

    struct Trade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trade by period, industry and currency: Korea→Japan, Japan→Korea and the balance.")
        @Option(help: "month, quarter or year.") var period: String = "year"
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("trade", [("period", period)] + scope.filters) }
    }

    struct Years: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per program year: engagements started and completed, sessions, hours, outcomes, trade.")
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var options: ViewOptions
        func run() async throws { try await options.show("years", scope.filters) }
    }
}

/// `--year` and `--industry`: a view counts only the engagements of that program year and of
/// companies of that industry (the engineers and companies views then list only those with
/// such engagements).
struct ScopeOptions: ParsableArguments {
    @Option(help: "Count only engagements of this program year.") var year: Int?
    @Option(help: "Count only engagements of companies of this industry (exactly as recorded).") var industry: String?

    var filters: [(String, String?)] { [("year", year.map(String.init)), ("industry", industry)] }
}

/// Options every view takes: the moment asked about, read-your-writes, connection, output.
struct ViewOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The program as it stood on this business date.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: ArgumentHelp("Exactly as answered then: a log position, or a time (a date means midnight UTC).", valueName: "position|time"))
    var knownAt: String?
    @Option(help: ArgumentHelp(
        "Wait (up to 5 s) until the views include this log position. Default: your own last write through the daemon, so a query after `shido session log …` sees it; 0 does not wait.",
        valueName: "n"))
    var minPosition: Int64?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func show(_ view: String, _ filters: [(String, String?)] = []) async throws {
        let asked = Daemon.readYourWrites(minPosition)
        let parameters = filters + [("asOf", asOf), ("knownAt", knownAt), ("minPosition", asked.map(String.init))]
        let query = Field.query(parameters)
        try await Daemon.run {
            let reply = try await Daemon(socketPath: connection.socketPath).call(.GET, "/v1/views/\(view)" + (query.isEmpty ? "" : "?" + query))
            ViewTable.print(reply, with: output)
        }
    }
}

/// A view's rows as a table or CSV: nested lists become comma-separated cells.
enum ViewTable {
    static func print(_ reply: JSONValue, with output: OutputOptions) {
        let keys = reply["columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let rows = reply["rows"]?.arrayValue ?? []
        let cells = rows.map { row in keys.map { cell(row[$0] ?? .null) } }
        let numeric = keys.indices.map { index in
            !rows.isEmpty && rows.allSatisfy { row in
                if case .number = row[keys[index]] ?? .null { true } else { row[keys[index]] == nil || row[keys[index]] == .null }
            }
        }
        let columns = keys.indices.map { TextTable.Column(keys[$0], numeric[$0] ? .right : .left) }
        output.print(reply, columns: columns, rows: cells)
        if output.format == .table, let position = reply["position"]?.numberValue {
            var moment = "as recorded up to position \(position.literal)"
            if let asOf = reply["asOf"]?.stringValue { moment += ", as of \(asOf)" }
            Terminal.note(moment)
        }
    }

    static func cell(_ value: JSONValue) -> String {
        guard let elements = value.arrayValue else { return value.cell }
        return elements.map { element in element["engagement"]?.cell ?? element.cell }.joined(separator: ", ")
    }
}
