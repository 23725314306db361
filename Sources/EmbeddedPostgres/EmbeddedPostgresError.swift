/// Why the embedded cluster could not be created, started or stopped.
///
/// Guarantees: each case says what to do about it in its description.
public enum EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    case serverNotInstalled(searched: [String])
    case noPostgresUser
    case socketPathTooLong(String)
    case commandFailed(command: String, status: Int32, output: String)
    case startTimedOut(dataDirectory: String, log: String)

    public var description: String {
        switch self {
        case .serverNotInstalled(let searched):
            "PostgreSQL server programs not found (looked in: \(searched.joined(separator: ", "))); "
                + "install them with: apt-get install -y postgresql"
        case .noPostgresUser:
            "running as root, the embedded PostgreSQL must run as the 'postgres' system user, which does not exist; "
                + "install the postgresql package or run as an ordinary user"
        case .socketPathTooLong(let path):
            "the server's socket path \(path) is longer than Unix sockets allow (107 bytes); use a shorter state directory"
        case .commandFailed(let command, let status, let output):
            "\(command) failed with status \(status): \(output.suffix(2000))"
        case .startTimedOut(let dataDirectory, let log):
            "PostgreSQL in \(dataDirectory) did not start; its log ends with: \(log.suffix(2000))"
        }
    }
}
