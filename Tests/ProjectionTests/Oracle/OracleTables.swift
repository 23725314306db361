import Foundation

/// The replay oracle's tables: temporary tables of the replaying session (`pg_temp`).
///
/// Guarantees: qualified names are built from fixed identifiers only.
struct OracleTables: Sendable {
    private var qualified: [String: String]

    init(_ names: [String]) {
        qualified = Dictionary(uniqueKeysWithValues: names.map { ($0, "pg_temp.\($0)_replay") })
    }

    func merging(_ other: OracleTables) -> OracleTables {
        var merged = self
        merged.qualified.merge(other.qualified) { mine, _ in mine }
        return merged
    }

    /// `template` with every `{table}` replaced by its qualified name.
    func sql(_ template: String) -> String {
        qualified.reduce(template) { text, entry in text.replacingOccurrences(of: "{\(entry.key)}", with: entry.value) }
    }
}
