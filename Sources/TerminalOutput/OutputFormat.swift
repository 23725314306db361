/// How a command prints data: a table for people, JSON or CSV for scripts.
///
/// Guarantees: the default is `table` when standard output is a terminal and `json`
/// otherwise; colour and progress are shown only on a terminal and never when `NO_COLOR`
/// is set (to any value).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv

    public static func `default`(standardOutputIsTerminal: Bool) -> OutputFormat {
        standardOutputIsTerminal ? .table : .json
    }

    public static func decorationsAllowed(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && environment["NO_COLOR"] == nil
    }
}
