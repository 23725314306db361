import EventStore
import Foundation
import PostgresClient
import Synchronization

/// What one timed trial did.
struct TrialResult {
    let events: Int
    let seconds: Double
    let walSyncs: Int64
    let walSyncMilliseconds: Double
    var detail = ""
    var p50Milliseconds: Double?
    var p99Milliseconds: Double?
    /// CPU seconds the cluster's processes used during the trial.
    var postgresCPUSeconds = 0.0
    /// CPU seconds the daemon under test used during the trial (socket trials).
    var daemonCPUSeconds: Double?
    /// CPU seconds the client used: pgbench's own, or this program's when it drives the socket.
    var clientCPUSeconds: Double?

    var eventsPerSecond: Double { Double(events) / seconds }
}

/// Measures `body`, which returns the number of events written, with the WAL flushes it
/// caused and the CPU that PostgreSQL (and `daemon`, when given) spent meanwhile.
func measure(_ bench: BenchEnvironment, daemon: Int32? = nil, _ body: () async throws -> Int) async throws -> TrialResult {
    let walBefore = try bench.walFlushes()
    let postmaster = bench.cluster.runningPID ?? 0
    let cpuBefore = (postgres: ProcessCPU.cluster(postmaster: postmaster), daemon: daemon.map { ProcessCPU.seconds(of: $0) })
    let start = ContinuousClock.now
    let events = try await body()
    let elapsed = ContinuousClock.now - start
    let cpuAfter = (postgres: ProcessCPU.cluster(postmaster: postmaster), daemon: daemon.map { ProcessCPU.seconds(of: $0) })
    let walAfter = try bench.walFlushes()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    var result = TrialResult(events: events, seconds: seconds, walSyncs: walAfter.count - walBefore.count,
                             walSyncMilliseconds: walAfter.milliseconds - walBefore.milliseconds)
    result.postgresCPUSeconds = cpuAfter.postgres - cpuBefore.postgres
    if let after = cpuAfter.daemon, let before = cpuBefore.daemon { result.daemonCPUSeconds = after - before }
    return result
}

/// Plain libpq, one thread per connection: the baselines.
enum RawBaseline {
    static func singleInserts(_ bench: BenchEnvironment, connections: Int, seconds: Double) async throws -> TrialResult {
        try await measure(bench) {
            try onThreads(connections, seconds: seconds, settings: bench.settings) { connection in
                try connection.executePrepared("insert", [UUID(), "raw-stream", SampleEvent.canonical])
                return 1
            } prepare: { connection in
                try connection.prepare("insert", "INSERT INTO bench_raw (event_id, stream_id, data) VALUES ($1, $2, $3)")
            }
        }
    }

    static func multiRowInserts(_ bench: BenchEnvironment, rowsPerStatement: Int, seconds: Double) async throws -> TrialResult {
        let streams = ArrayParameter(Array(repeating: "raw-stream", count: rowsPerStatement))
        let data = ArrayParameter(Array(repeating: SampleEvent.canonical, count: rowsPerStatement))
        return try await measure(bench) {
            try onThreads(1, seconds: seconds, settings: bench.settings) { connection in
                let ids = ArrayParameter((0..<rowsPerStatement).map { _ in UUID() })
                try connection.executePrepared("insert", [ids, streams, data])
                return rowsPerStatement
            } prepare: { connection in
                try connection.prepare("insert", """
                    INSERT INTO bench_raw (event_id, stream_id, data)
                    SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])
                    """)
            }
        }
    }

    /// Runs `work` in a loop on `count` threads, each with its own connection, for `seconds`.
    /// The caller's task waits blocked meanwhile: nothing else runs during a baseline trial.
    private static func onThreads(
        _ count: Int, seconds: Double, settings: ConnectionSettings,
        _ work: @escaping @Sendable (PostgresConnection) throws -> Int,
        prepare: @escaping @Sendable (PostgresConnection) throws -> Void
    ) throws -> Int {
        let total = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        let deadline = Date().addingTimeInterval(seconds)
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let connection = try PostgresConnection(settings)
                    defer { connection.close() }
                    try prepare(connection)
                    var done = 0
                    while Date() < deadline { done += try work(connection) }
                    total.add(done, ordering: .relaxed)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            thread.name = "raw-\(index)"
            thread.start()
        }
        group.wait()
        if let failure = failures.withLock({ $0.first }) { throw PostgresError(kind: .client, message: failure) }
        return total.load(ordering: .relaxed)
    }
}

/// The event store, driven from Swift tasks as the daemon drives it.
enum StoreTrial {
    static func singleAppends(_ bench: BenchEnvironment, callers: Int, seconds: Double) async throws -> TrialResult {
        try await withStore(bench) { store in
            try await measure(bench) {
                let events = try await appendLoop(store, callers: callers, seconds: seconds, eventsPerAppend: 1)
                await store.shutdown()  // a backend reports its WAL statistics when it disconnects
                return events
            }
        }
    }

    static func batchAppends(_ bench: BenchEnvironment, eventsPerAppend: Int, seconds: Double) async throws -> TrialResult {
        try await withStore(bench) { store in
            try await measure(bench) {
                let events = try await appendLoop(store, callers: 1, seconds: seconds, eventsPerAppend: eventsPerAppend)
                await store.shutdown()
                return events
            }
        }
    }

    /// A store whose writer is connected before the clock starts.
    private static func withStore(_ bench: BenchEnvironment, _ body: (EventStore) async throws -> TrialResult) async throws -> TrialResult {
        let store = EventStore(settings: bench.settings.assuming(role: "shido_app"))
        try await store.append([SampleEvent.event()], to: "bench-warm-up")
        let before = store.writerStatistics
        do {
            var result = try await body(store)
            result.detail = describe(store.writerStatistics, since: before)
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Mean events per commit and mean microseconds per commit in each writer phase.
    private static func describe(_ now: WriterStatistics, since before: WriterStatistics) -> String {
        let commits = max(1, now.commits - before.commits)
        func micros(_ after: Int64, _ start: Int64) -> String { String((after - start) / Int64(commits) / 1000) }
        let group = Double(now.events - before.events) / Double(commits)
        return String(format: "%.1f", group) + " ev/commit; µs open "
            + micros(now.openNanoseconds, before.openNanoseconds) + " plan " + micros(now.planNanoseconds, before.planNanoseconds)
            + " copy " + micros(now.copyNanoseconds, before.copyNanoseconds) + " commit " + micros(now.commitNanoseconds, before.commitNanoseconds)
    }

    private static func appendLoop(_ store: EventStore, callers: Int, seconds: Double, eventsPerAppend: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var done = 0
                    let stream = "bench-\(UUID().uuidString.prefix(8))-\(caller)"
                    while ContinuousClock.now < deadline {
                        let events = (0..<eventsPerAppend).map { _ in SampleEvent.event() }
                        try await store.append(events, to: stream)
                        done += eventsPerAppend
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
    }
}
