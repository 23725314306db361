import PostgresClient

/// The settings that decide whether an acknowledged append survives a crash, as one session
/// sees them.
///
/// Guarantees: `isSafe` is false when the server may lose committed transactions in a crash
/// (`fsync` or `full_page_writes` off); `synchronousCommit` is the writer session's own value.
public struct DurabilitySettings: Sendable, Hashable {
    public let synchronousCommit: String
    public let fsync: String
    public let fullPageWrites: String

    public var isSafe: Bool { fsync == "on" && fullPageWrites == "on" }

    /// What is unsafe, in words; empty when nothing is.
    public var problems: [String] {
        [fsync == "on" ? nil : "fsync is \(fsync)", fullPageWrites == "on" ? nil : "full_page_writes is \(fullPageWrites)"]
            .compactMap { $0 }
    }

    static func read(from connection: PostgresConnection) throws -> DurabilitySettings {
        let result = try connection.execute(
            "SELECT current_setting('synchronous_commit'), current_setting('fsync'), current_setting('full_page_writes')")
        return DurabilitySettings(
            synchronousCommit: try result.string(0, 0), fsync: try result.string(0, 1), fullPageWrites: try result.string(0, 2))
    }

    public init(synchronousCommit: String, fsync: String, fullPageWrites: String) {
        self.synchronousCommit = synchronousCommit
        self.fsync = fsync
        self.fullPageWrites = fullPageWrites
    }
}
