import PostgresClient

/// Why migrating a database stopped.
///
/// Guarantees: nothing of the failing migration remains applied (each runs in its own
/// transaction); the description names the file and what to do.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The file was applied earlier with different content: applied SQL must never change.
    case checksumMismatch(name: String, applied: String, shipped: String)
    /// The database records a migration this binary does not have: it is newer than this build.
    case unknownApplied(name: String)
    /// The shipped files are not numbered 1, 2, 3… without gaps or repeats.
    case badNumbering(String)
    /// A migration's SQL failed.
    case failed(name: String, underlying: PostgresError)
    /// Migrations are pending and this session may not apply them (the daemon's own role).
    case notMigrated(pending: [String], underlying: PostgresError)

    public var description: String {
        switch self {
        case .checksumMismatch(let name, let applied, let shipped):
            "migration \(name) was applied with checksum \(applied) but the shipped file has \(shipped); "
                + "an applied migration must never change: restore the file and add a new migration instead"
        case .unknownApplied(let name):
            "the database has migration \(name), which this build does not know: it was migrated by a newer shido; "
                + "run that version or newer"
        case .badNumbering(let detail):
            "the schema files are misnumbered: \(detail)"
        case .failed(let name, let underlying):
            "migration \(name) failed and was rolled back: \(underlying)"
        case .notMigrated(let pending, let underlying):
            "\(pending.count) schema migrations are not applied (\(pending.first ?? "")…) and this role may not apply them "
                + "(\(underlying.message)): run `shidod migrate --database-url '<conninfo of a superuser or a member of shido_owner>'` first"
        }
    }
}
