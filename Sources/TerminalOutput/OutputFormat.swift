/// How a command prints data: a table for people, JSON or CSV for scripts.
///
/// Guarantees: the default is `table` when standard output is a terminal and `json`
/// otherwise; colour and progress are shown only on a terminal and never when `NO_COLOR`
/// is set (to any value); tables are cut to the terminal's width only on a terminal.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv

    public static func `default`(standardOutputIsTerminal: Bool) -> OutputFormat {
        standardOutputIsTerminal ? .table : .json
    }

    /// The width a table is cut to: `COLUMNS` when set to a number, else the terminal's
    /// columns, else 80; nil (cut nothing) off a terminal, where a pipe or a file wants every
    /// character, and with `--wide`.
    public static func tableWidth(standardOutputIsTerminal: Bool, wide: Bool, environment: [String: String], terminalColumns: Int?) -> Int? {
        guard standardOutputIsTerminal, !wide else { return nil }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return terminalColumns.flatMap { $0 > 0 ? $0 : nil } ?? 80
    }

    public static func decorationsAllowed(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && environment["NO_COLOR"] == nil
    }
}
