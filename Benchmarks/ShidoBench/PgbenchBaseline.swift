import EmbeddedPostgres
import Foundation
import Glibc
import PostgresClient

/// PostgreSQL's own client as the baseline for single-event commits: `pgbench -M prepared`,
/// one INSERT of the raw table's row shape per transaction (a ~600-byte jsonb event, a uuid,
/// a stream id), against the bench's own cluster. It is the strongest client there is for
/// this work: the Swift loop of `RawBaseline` measured well below it here.
enum PgbenchBaseline {
    /// `clients` connections on two threads for `seconds` (pgbench counts whole seconds);
    /// the rate is pgbench's own, without its connection time.
    static func singleInserts(_ bench: BenchEnvironment, clients: Int, seconds: Int) async throws -> TrialResult {
        let script = try insertScript(bench)
        var tps = 0.0
        let clientBefore = childrenCPUSeconds()
        let trial = try await measure(bench) {
            tps = try run(bench, ["-n", "-M", "prepared", "-c", "\(clients)", "-j", "\(min(clients, 2))", "-T", "\(seconds)", "-f", script])
            return 0
        }
        var result = TrialResult(events: Int(tps * Double(seconds)), seconds: Double(seconds), walSyncs: trial.walSyncs,
                                 walSyncMilliseconds: trial.walSyncMilliseconds)
        result.postgresCPUSeconds = trial.postgresCPUSeconds
        result.clientCPUSeconds = childrenCPUSeconds() - clientBefore
        return result
    }

    /// CPU seconds of this program's children that have ended (each pgbench, once waited for).
    private static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The INSERT, written once into the bench's directory.
    private static func insertScript(_ bench: BenchEnvironment) throws -> String {
        let path = bench.root + "/pgbench_insert.sql"
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        let literal = SampleEvent.canonical.replacingOccurrences(of: "'", with: "''")
        let sql = "INSERT INTO bench_raw (event_id, stream_id, data) VALUES (gen_random_uuid(), 'raw-stream', '\(literal)');\n"
        try sql.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs pgbench and returns the transactions per second it reports.
    private static func run(_ bench: BenchEnvironment, _ arguments: [String]) throws -> Double {
        let output = try ProcessRunner.run(try ServerBinaries.locate().path("pgbench"), arguments + [bench.conninfo])
        guard output.status == 0,
              let line = output.text.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
              let tps = Double(line.dropFirst("tps = ".count).prefix { !$0.isWhitespace })
        else { throw BenchFailure("pgbench exited with \(output.status): \(output.text)") }
        return tps
    }
}
