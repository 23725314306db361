import Foundation

/// Where the PostgreSQL server programs (initdb, pg_ctl, postgres) are installed.
///
/// Guarantees: the directory it names contains executable `initdb`, `pg_ctl` and `postgres`.
public struct ServerBinaries: Sendable, Hashable {
    public let directory: String

    public init(directory: String) throws(EmbeddedPostgresError) {
        for program in ["initdb", "pg_ctl", "postgres"] {
            guard FileManager.default.isExecutableFile(atPath: directory + "/" + program) else {
                throw .serverNotInstalled(searched: [directory])
            }
        }
        self.directory = directory
    }

    public func path(_ program: String) -> String { directory + "/" + program }

    /// Finds the server: `pg_config --bindir` first, then the newest `/usr/lib/postgresql/*/bin`.
    public static func locate() throws(EmbeddedPostgresError) -> ServerBinaries {
        var searched: [String] = []
        if let bindir = pgConfigBindir() {
            searched.append(bindir)
            if let found = try? ServerBinaries(directory: bindir) { return found }
        }
        for candidate in debianCandidates() {
            searched.append(candidate)
            if let found = try? ServerBinaries(directory: candidate) { return found }
        }
        throw .serverNotInstalled(searched: searched)
    }

    private static func pgConfigBindir() -> String? {
        guard let output = try? ProcessRunner.run("/usr/bin/env", ["pg_config", "--bindir"]), output.status == 0 else {
            return nil
        }
        let path = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    private static func debianCandidates() -> [String] {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions
            .compactMap { name in Int(name).map { ($0, name) } }
            .sorted { $0.0 > $1.0 }
            .map { root + "/" + $0.1 + "/bin" }
    }
}
