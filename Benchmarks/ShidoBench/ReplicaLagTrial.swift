import EmbeddedPostgres
import Foundation
import PostgresClient
import Synchronization

/// How far a streaming standby of the bench's cluster trails while the daemon takes the
/// socket trial's 64-client load: `shido.replica_status()` on the standby every 20 ms.
///
/// Run once, after the paired rounds, so that the standby's replay does not take CPU from
/// the other trials.
enum ReplicaLagTrial {
    struct Outcome {
        let appends: TrialResult
        /// Replay lag in milliseconds (time since the last replayed commit; 0 when all is replayed).
        let lagMilliseconds: [Double]
        let lagBytes: [Int64]
    }

    static func run(_ bench: BenchEnvironment, _ daemon: DaemonUnderTest, seconds: Double) async throws -> Outcome {
        let standby = try bench.cluster.makeStandby(in: bench.root + "/standby", settings: ["wal_retrieve_retry_interval": "'500ms'"])
        try standby.start()
        defer { try? standby.stop(mode: .immediate) }
        let settings = standby.connectionSettings(database: "bench")
        let stop = Atomic<Bool>(false)
        let samples = Mutex<[(Double, Int64)]>([])
        let sampler = Thread {
            guard let connection = try? PostgresConnection(settings) else { return }
            defer { connection.close() }
            while !stop.load(ordering: .relaxed) {
                if let row = try? connection.executeCached("SELECT lag_bytes, lag_seconds FROM shido.replica_status()"),
                   let bytes = try? row.int64(0, 0) {
                    let seconds = row.text(0, 1).flatMap(Double.init) ?? 0
                    samples.withLock { $0.append((seconds * 1_000, bytes)) }
                }
                usleep(20_000)
            }
        }
        sampler.start()
        let appends = try await SocketTrial.appends(bench, daemon, clients: 64, seconds: seconds)
        stop.store(true, ordering: .relaxed)
        while !sampler.isFinished { try await Task.sleep(for: .milliseconds(10)) }
        let taken = samples.withLock { $0 }
        return Outcome(appends: appends, lagMilliseconds: taken.map(\.0), lagBytes: taken.map(\.1))
    }
}
