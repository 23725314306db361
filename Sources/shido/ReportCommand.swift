import ArgumentParser
import Foundation
import ProgramReport

extension ReportLanguage: ExpressibleByArgument {}

/// `shido report`: the program's performance as one self-contained HTML (or PDF) document.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the program's performance as one document: figures, case table, patterns, charts.",
        discussion: """
            One self-contained HTML file (inline CSS and SVG: no network, no other file) that reads \
            on screen and prints to A4 from a browser; with --output FILE.pdf, printed to PDF by \
            headless Chromium when one is installed.
            It holds: the moment it describes (--as-of, --known-at), the log position every figure \
            was read at, the hash chain's head there and the signed checkpoint of that size (so an \
            auditor can tie it to the chain: shido audit verify, shido audit consistency); the \
            headline figures; the case table; the outcome patterns with their evidence; charts of \
            trade by year and direction, engagements by program year and by industry, each with its \
            numbers in a table; the engineers and companies.
            Every view is read at one log position, so the document is consistent even while others \
            record; `--known-at POSITION` later reproduces it byte for byte but for the time it was made.
            --year and --industry narrow the whole report to the engagements of that program year \
            and industry: every figure, table and chart counts only those.
            Language: --lang, else Korean when LC_ALL/LC_MESSAGES/LANG is Korean, Japanese when \
            Japanese, English otherwise. Names appear exactly as recorded.
            Examples:
              shido report --output report.html
              shido report --as-of 2016-12-31 --lang en --output 2016.html
              shido report --known-at 1200 --output - > report.html
              shido report --year 2016 --output report.pdf
            """)

    @Option(help: ArgumentHelp("The program as it stood on this business date.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: ArgumentHelp("Exactly as recorded then: a log position, or a time (a date means midnight UTC).", valueName: "position|time"))
    var knownAt: String?
    @Option(help: "Count only the engagements of this program year, everywhere in the report.")
    var year: Int?
    @Option(help: "Count only the engagements of companies of this industry (exactly as recorded), everywhere in the report.")
    var industry: String?
    @Option(help: ArgumentHelp("ko, en or ja. Default: from LC_ALL, LC_MESSAGES or LANG (English otherwise).", valueName: "language"))
    var lang: ReportLanguage?
    @Option(help: ArgumentHelp("Wait (up to 5 s) until the views include this log position; 0 does not wait.", valueName: "n"))
    var minPosition: Int64?
    @Option(name: [.short, .long], help: ArgumentHelp("Where to write: FILE.html, FILE.pdf (needs Chromium), or - for stdout.", valueName: "file"))
    var output: String?
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if output == nil, Terminal.standardOutputIsTerminal {
            throw ValidationError("say where to write the report: --output report.html (or --output - for stdout)")
        }
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year \(year) is not a program year") }
    }

    func run() async throws {
        try await Daemon.run {
            let language = lang ?? ReportLanguage.fromEnvironment(ProcessInfo.processInfo.environment)
            let moment = ReportMoment(asOf: asOf, knownAt: knownAt, minPosition: minPosition, year: year, industry: industry)
            let source = try await ReportGathering(daemon: Daemon(socketPath: connection.socketPath)).source(moment)
            let html = ProgramReport.html(source, language: language)
            let destination = output ?? "-"
            try ReportOutput.write(html, to: destination)
            if destination != "-" {
                let count = source.engagements["rows"]?.arrayValue?.count ?? 0
                Terminal.note("wrote \(destination): \(count) engagements at log position \(source.stamp.position) (\(html.utf8.count / 1024) KB of HTML)")
            }
        }
    }
}
