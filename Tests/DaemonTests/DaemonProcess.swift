import Foundation
import Glibc
import NIOHTTP1
import PostgresClient
import ShidoClient
import ShidoJSON
import TestSupport

/// A real `shidod` for a test: its own socket in a directory anyone may enter, and either a
/// fresh database on the shared test cluster or its own embedded cluster.
/// One test owns it; its state changes only in `start()`, which that test awaits, so handing
/// it to a thread of its own for a blocking call (`offPool`) shares nothing mutable.
final class DaemonProcess: @unchecked Sendable {
    let directory: String
    let socket: String
    let arguments: [String]
    private(set) var pid: pid_t = 0
    private var generation = 0

    var logPath: String { directory + "/shidod-\(generation).log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// - Parameters:
    ///   - database: settings of a database on the test cluster, or nil for the embedded default.
    init(_ label: String, database: ConnectionSettings?, extra: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.path + "/shido-e2e-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        socket = directory + "/shidod.sock"
        var arguments = ["serve", "--socket", socket, "--state-directory", directory + "/state", "--config", "/dev/null"]
        if let database {
            let conninfo = database.overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            arguments += ["--database-url", conninfo]
        }
        self.arguments = arguments + extra
    }

    /// A daemon on a fresh, empty database of the shared test cluster.
    static func onTestCluster(_ label: String, extra: [String] = []) throws -> DaemonProcess {
        try DaemonProcess(label, database: try TestCluster.freshDatabase(label), extra: extra)
    }

    /// Starts the daemon and waits until its socket answers.
    @discardableResult
    func start(timeout: Duration = .seconds(60), newProcessGroup: Bool = false) async throws -> DaemonProcess {
        generation += 1
        pid = try Spawn.start(Spawn.product("shidod"), arguments, logPath: logPath, newProcessGroup: newProcessGroup)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = Spawn.wait(pid, timeout: .zero) { throw DaemonFailure("shidod exited with \(status):\n\(log)") }
            if (try? await request(.GET, "/v1/status"))?.status == 200 { return self }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonFailure("shidod did not answer within \(timeout):\n\(log)")
    }

    /// Sends a signal and waits for the exit status.
    func stop(_ signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) throws -> Int32 {
        kill(pid, signal)
        guard let status = Spawn.wait(pid, timeout: timeout) else { throw DaemonFailure("shidod did not exit after signal \(signal)") }
        return status
    }

    /// One HTTP request on a new connection.
    func request(_ method: HTTPMethod, _ target: String, contentType: String? = nil, body: String = "", headers: [(String, String)] = []) async throws -> Reply {
        try await ShidoConnection.withConnection(socketPath: socket) { connection in
            try await connection.send(method, target, contentType: contentType, body: Array(body.utf8), extraHeaders: headers)
        }
    }

    /// Runs the CLI against this daemon, optionally as another user.
    func cli(_ arguments: [String], as user: String? = nil, stdin: String = "/dev/null") throws -> Spawn.Result {
        let shido = Spawn.product("shido")
        if let user {
            return try Spawn.run("/usr/sbin/runuser", ["-u", user, "--", try Spawn.productForAnyone("shido")] + arguments + ["--socket", socket], stdinPath: stdin)
        }
        return try Spawn.run(shido, arguments + ["--socket", socket], stdinPath: stdin)
    }

    func head() async throws -> Int64 {
        let reply = try await request(.GET, "/v1/status")
        return Int64(try JSONParser.parse(reply.body)["head"]?["position"]?.numberValue?.literal ?? "-1") ?? -1
    }

    func removeFiles() { try? FileManager.default.removeItem(atPath: directory) }
}

struct DaemonFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
