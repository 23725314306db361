#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import ShidoJSON
import TerminalOutput

/// Where output goes: data on stdout, messages (and progress) on stderr.
enum Terminal {
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Progress and colour only for a person watching: stderr a TTY and NO_COLOR unset.
    static var decorations: Bool {
        OutputFormat.decorationsAllowed(isTerminal: standardErrorIsTerminal, environment: ProcessInfo.processInfo.environment)
    }

    /// The terminal's columns as the kernel reports them for stdout, nil when it is not one.
    static var columns: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 else { return nil }
        return Int(size.ws_col)
    }

    static func error(_ message: String) { FileHandle.standardError.write(Data("shido: \(message)\n".utf8)) }
    static func note(_ message: String) { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
    static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
}

extension OutputFormat: ExpressibleByArgument {}

/// `--output`, shared by every command that prints data.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("table, json or csv. Default: table when stdout is a terminal, else json.", valueName: "format"))
    var output: OutputFormat?

    @Flag(help: "Show every column whole: tables on a terminal are otherwise cut to its width with …. Pipes, files, CSV and JSON are never cut.")
    var wide = false

    var format: OutputFormat { output ?? .default(standardOutputIsTerminal: Terminal.standardOutputIsTerminal) }

    /// Prints rows as a table or CSV, or the daemon's JSON as it came.
    func print(_ json: JSONValue, columns: [TextTable.Column], rows: [[String]]) {
        switch format {
        case .json: Terminal.out(json.canonicalText + "\n")
        case .csv: Terminal.out(CSVWriter.document(header: columns.map(\.title), rows: rows))
        case .table:
            var table = TextTable(columns: columns)
            rows.forEach { table.append($0) }
            let width = OutputFormat.tableWidth(
                standardOutputIsTerminal: Terminal.standardOutputIsTerminal, wide: wide, environment: ProcessInfo.processInfo.environment,
                terminalColumns: Terminal.columns)
            let layout = table.layout(width: width)
            Terminal.out(table.render(layout))
            let hidden = columns.count - layout.shown
            if hidden > 0 { Terminal.note("\(hidden) more column\(hidden == 1 ? "" : "s") than fit the terminal: --wide shows them, -o csv or json gives everything") }
        }
    }
}

extension JSONValue {
    /// A cell's text: strings as they are, numbers as written, the rest as JSON.
    var cell: String {
        switch self {
        case .string(let text): text
        case .number(let number): number.literal
        case .null: ""
        case .bool(let flag): flag ? "yes" : "no"
        default: canonicalText
        }
    }

    subscript(path path: String...) -> JSONValue {
        path.reduce(self) { value, key in value[key] ?? .null }
    }
}
