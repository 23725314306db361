import Foundation
import Glibc
import PostgresClient

/// A private PostgreSQL cluster in one directory, reachable only through a Unix socket in
/// that same directory (no TCP), created on first start.
///
/// Guarantees:
/// - `start()` creates the cluster if the directory holds none, removes a `postmaster.pid`
///   left by a crashed server (one whose process is gone or is not this cluster's), adopts a
///   server that is still running for this directory, and returns only once the server
///   accepts connections.
/// - When the process runs as root, the server and its files belong to the `postgres`
///   system user (PostgreSQL refuses to run as root).
/// - The cluster commits durably: `fsync` and `synchronous_commit` are on.
/// - The socket's directory is the cluster directory (mode 0700): only its owner and root connect.
public final class EmbeddedPostgres: Sendable {
    public let dataDirectory: String
    public let binaries: ServerBinaries
    private let runAs: SystemUser?
    private let settings: [String: String]

    /// The superuser name that `initdb` creates.
    public static let superuser = "postgres"

    /// - Parameters:
    ///   - dataDirectory: where the cluster lives; created if missing.
    ///   - settings: extra `postgresql.conf` settings, applied when the cluster is created.
    public init(dataDirectory: String, settings: [String: String] = [:]) throws(EmbeddedPostgresError) {
        self.dataDirectory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        self.binaries = try ServerBinaries.locate()
        self.settings = settings
        if geteuid() == 0 {
            guard let postgres = SystemUser(name: "postgres") else { throw .noPostgresUser }
            runAs = postgres
        } else {
            runAs = nil
        }
        let socket = self.dataDirectory + "/.s.PGSQL.5432"
        guard socket.utf8.count < 108 else { throw .socketPathTooLong(socket) }
    }

    /// How to connect to the running cluster, as its superuser, to `database`.
    public func connectionSettings(database: String = "postgres") -> ConnectionSettings {
        ConnectionSettings(overrides: ["host": dataDirectory, "port": "5432", "user": Self.superuser, "dbname": database])
    }

    public var isInitialized: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") }

    /// The running postmaster's pid, when a server runs for this directory.
    public var runningPID: Int32? {
        guard let pid = PostmasterPIDFile(dataDirectory: dataDirectory).pid,
              ProcessInspector.isRunning(pid),
              ProcessInspector.workingDirectory(of: pid) == dataDirectory
        else { return nil }
        return pid
    }

    /// Creates (if needed) and starts the cluster; returns once it accepts connections.
    public func start() throws(EmbeddedPostgresError) {
        if !isInitialized { try initialize() }
        if runningPID != nil { return }
        PostmasterPIDFile(dataDirectory: dataDirectory).removeIfStale()
        try startServer()
    }

    /// Stops the server. `fast` rolls back open transactions; `immediate` is a crash-like stop.
    public func stop(mode: StopMode = .fast) throws(EmbeddedPostgresError) {
        guard runningPID != nil else { return }
        try runServerProgram("pg_ctl", ["-D", dataDirectory, "-m", mode.rawValue, "-w", "-t", "60", "stop"])
    }

    public enum StopMode: String, Sendable { case smart, fast, immediate }

    private func initialize() throws(EmbeddedPostgresError) {
        try makeDataDirectory()
        try runServerProgram("initdb", [
            "-D", dataDirectory, "-U", Self.superuser, "--auth=trust", "--encoding=UTF8",
            "--locale=C.UTF-8", "--no-instructions",
        ])
        try appendConfiguration(ClusterConfiguration(dataDirectory: dataDirectory, extra: settings).text)
    }

    /// Appends lines to `postgresql.conf` (a later line wins over an earlier one).
    func appendConfiguration(_ text: String) throws(EmbeddedPostgresError) {
        guard let handle = FileHandle(forWritingAtPath: dataDirectory + "/postgresql.conf") else {
            throw .commandFailed(command: "append postgresql.conf", status: -1, output: "cannot open for writing")
        }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }

    func makeDataDirectory() throws(EmbeddedPostgresError) {
        do {
            try FileManager.default.createDirectory(
                atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .commandFailed(command: "mkdir \(dataDirectory)", status: -1, output: "\(error)")
        }
        if let runAs, chown(dataDirectory, runAs.uid, runAs.gid) != 0 {
            throw .commandFailed(command: "chown \(dataDirectory)", status: errno, output: String(cString: strerror(errno)))
        }
    }

    /// Starts the postmaster. After a crash its orphaned backends may hold shared memory for
    /// a moment, so a refused start is retried for a few seconds.
    private func startServer() throws(EmbeddedPostgresError) {
        let logPath = dataDirectory + "/server.log"
        var lastError = ""
        for attempt in 0..<20 {
            if attempt > 0 { usleep(500_000) }
            do {
                try runServerProgram("pg_ctl", ["-D", dataDirectory, "-l", logPath, "-w", "-t", "60", "start"])
                return
            } catch {
                lastError = error.description
                if runningPID != nil { return }
                PostmasterPIDFile(dataDirectory: dataDirectory).removeIfStale()
            }
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw .startTimedOut(dataDirectory: dataDirectory, log: lastError + "\n" + log)
    }

    func runServerProgram(_ program: String, _ arguments: [String]) throws(EmbeddedPostgresError) {
        let executable: String
        let fullArguments: [String]
        if let runAs {
            executable = "/usr/sbin/runuser"
            fullArguments = ["-u", runAs.name, "--", binaries.path(program)] + arguments
        } else {
            executable = binaries.path(program)
            fullArguments = arguments
        }
        let command = ([program] + arguments).joined(separator: " ")
        let output: ProcessRunner.Output
        do {
            output = try ProcessRunner.run(executable, fullArguments, environment: ["LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"])
        } catch {
            throw .commandFailed(command: command, status: -1, output: "\(error)")
        }
        guard output.status == 0 else { throw .commandFailed(command: command, status: output.status, output: output.text) }
    }
}

/// The lines shido adds to a new cluster's `postgresql.conf`.
struct ClusterConfiguration {
    let dataDirectory: String
    let extra: [String: String]

    var text: String {
        var values: [String: String] = [
            "listen_addresses": quoted(""),
            "unix_socket_directories": quoted(dataDirectory),
            "unix_socket_permissions": "0700",
            "max_connections": "200",
            "shared_buffers": quoted("256MB"),
            "fsync": "on",
            "synchronous_commit": "on",
            "track_wal_io_timing": "on",
            "log_min_messages": "warning",
        ]
        values.merge(extra) { _, new in new }
        let lines = values.keys.sorted().map { "\($0) = \(values[$0]!)" }
        return "\n# Added by shido's embedded PostgreSQL.\n" + lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
