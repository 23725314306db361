import Foundation

/// Where a projection's tables live: one generation in `shido_views`, or the temporary
/// tables of a replay, which only the replaying session sees.
///
/// Guarantees: qualified names are built from fixed identifiers and an integer only, so
/// substituting them into SQL text can never inject anything.
public struct TableSet: Sendable, Hashable {
    private var qualified: [String: String]

    private init(qualified: [String: String]) { self.qualified = qualified }

    /// The tables of `generation` of a projection.
    public static func generation(_ generation: Int, of projection: any Projection) -> TableSet {
        TableSet(qualified: Dictionary(uniqueKeysWithValues: projection.tableNames.map {
            ($0, "shido_views.\($0)_g\(generation)")
        }))
    }

    /// Session-private tables for replaying the log up to a cut-off.
    public static func replay(of projection: any Projection) -> TableSet {
        TableSet(qualified: Dictionary(uniqueKeysWithValues: projection.tableNames.map { ($0, "pg_temp.\($0)_replay") }))
    }

    /// Both sets together (a view joins tables of several projections).
    public func merging(_ other: TableSet) -> TableSet {
        TableSet(qualified: qualified.merging(other.qualified) { mine, _ in mine })
    }

    /// The qualified name of a logical table.
    public subscript(table: String) -> String { qualified[table]! }

    /// `template` with every `{table}` replaced by its qualified name.
    public func sql(_ template: String) -> String {
        qualified.reduce(template) { text, entry in text.replacingOccurrences(of: "{\(entry.key)}", with: entry.value) }
    }

    /// The bare table names (without schema), for catalog lookups.
    var unqualifiedNames: [String] { qualified.values.map { String($0.split(separator: ".").last!) } }
}
