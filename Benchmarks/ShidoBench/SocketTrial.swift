import Foundation
import Glibc
import NIOHTTP1
import PostgresClient
import ShidoClient
import Synchronization

/// The release `shidod` beside this program, serving the bench database on a socket.
final class DaemonUnderTest: Sendable {
    let socket: String
    let pid: pid_t

    init(_ bench: BenchEnvironment, settings: ConnectionSettings? = nil, name: String = "shidod") async throws {
        socket = bench.root + "/\(name).sock"
        let binary = (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/shidod"
        let conninfo = (settings ?? bench.settings).overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let arguments = [binary, "serve", "--socket", socket, "--database-url", conninfo, "--state-directory", bench.root + "/\(name)-state",
                         "--config", "/dev/null", "--log-level", "warning"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, bench.root + "/\(name).log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard code == 0 else { throw PostgresError(kind: .client, message: "cannot start \(binary): \(String(cString: strerror(code)))") }
        self.pid = pid
        for _ in 0..<600 {
            let reply = try? await ShidoConnection.withConnection(socketPath: socket) { try await $0.send(.GET, "/v1/status") }
            if reply?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PostgresError(kind: .client, message: "shidod did not start; see \(bench.root)/\(name).log")
    }

    /// The daemon's peak resident memory so far (the kernel's VmHWM), in MiB.
    var peakResidentMiB: Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kilobytes = line.flatMap { $0.split(separator: " ").compactMap { Double($0) }.first } ?? 0
        return kilobytes / 1024
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// End-to-end appends: each request registers a new company through the socket (the daemon
/// reads the stream, decides, appends, answers), on `clients` keep-alive connections driven
/// by `LeanHTTPClients` (two threads, as pgbench's `-j 2`).
enum SocketTrial {
    static func appends(_ bench: BenchEnvironment, _ daemon: DaemonUnderTest, clients: Int, seconds: Double) async throws -> TrialResult {
        let run = UUID().uuidString.prefix(8)
        return try await requests(bench, daemon, clients: clients, seconds: seconds, expecting: 201) { client, done in
            LeanHTTPClients.post("/v1/companies", json: #"{"code": "b\#(run)-\#(client)-\#(done)", "name": "벤치 회사 (ベンチ)", "industry": "금형", "products": ["사출 금형"]}"#)
        }
    }

    /// The HTTP stack alone: `GET /v1/health` answers without the database, so what the
    /// daemon spends on it is what every request costs before any work of shido's.
    static func health(_ bench: BenchEnvironment, _ daemon: DaemonUnderTest, clients: Int, seconds: Double) async throws -> TrialResult {
        let request = LeanHTTPClients.get("/v1/health")
        return try await requests(bench, daemon, clients: clients, seconds: seconds, expecting: 200) { _, _ in request }
    }

    private static func requests(
        _ bench: BenchEnvironment, _ daemon: DaemonUnderTest, clients: Int, seconds: Double, expecting status: Int,
        _ request: @escaping @Sendable (Int, Int) -> [UInt8]
    ) async throws -> TrialResult {
        var outcome = LeanHTTPClients.Outcome()
        let clientBefore = ProcessCPU.seconds(of: getpid())
        var result = try await measure(bench, daemon: daemon.pid) {
            outcome = try LeanHTTPClients.run(
                socket: daemon.socket, clients: clients, threads: 2, seconds: seconds, expecting: status, request: request)
            return outcome.requests
        }
        result.clientCPUSeconds = ProcessCPU.seconds(of: getpid()) - clientBefore
        let sorted = outcome.latenciesMilliseconds.sorted()
        result.p50Milliseconds = percentile(sorted, 0.50)
        result.p99Milliseconds = percentile(sorted, 0.99)
        result.detail = String(format: "p50 %.2f ms, p99 %.2f ms", result.p50Milliseconds ?? 0, result.p99Milliseconds ?? 0)
        return result
    }

    private static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
