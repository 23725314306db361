import EmbeddedPostgres
import EventStore
import Foundation
import Migrations
import PostgresClient

// shido-bench: appends through the event store next to raw libpq baselines, measured in
// the same run against the same embedded cluster. Baseline and subject alternate in short
// rounds (A B A B …) because this machine's flush time changes phase every few seconds;
// ratios are the median of per-round ratios. Each trial also prints the WAL flushes it saw.
//
// The socket trials start the release `shidod` that sits beside this program and drive it
// through its Unix socket, as the CLI does.
//
// The projection part grows a synthetic program log (10k, 100k, 1M events; --quick stops at
// 100k), measures view queries over the socket at each size, "as of"/"known at" answers at
// the largest, then catch-up from zero next to a raw ordered scan of the same log.
//
// Single-event commits are also measured against PostgreSQL's own pgbench in the same rounds
// (`*_vs_pgbench`): the strongest client there is, and the Swift loop's own rate next to it.
//
// Usage: shido-bench [--quick] [--appends-only] [--socket-only[=1,16,64]] [--projections-only] [--keep-cluster]

let usage = "usage: shido-bench [--quick] [--appends-only] [--socket-only[=CLIENTS,…]] [--projections-only] [--keep-cluster]"
let options = CommandLine.arguments.dropFirst()
if let unknown = options.first(where: { !["--quick", "--appends-only", "--projections-only", "--keep-cluster"].contains($0)
    && $0 != "--socket-only" && !$0.hasPrefix("--socket-only=") }) {
    FileHandle.standardError.write(Data("shido-bench: unknown option \(unknown)\n\(usage)\n".utf8))
    exit(2)
}
let quick = options.contains("--quick")
/// Only the socket trials, at 64 clients unless other counts are given (for profiling the daemon).
let socketOnlyClients: [Int]? = options.lazy.compactMap { option -> [Int]? in
    if option == "--socket-only" { return [64] }
    guard option.hasPrefix("--socket-only=") else { return nil }
    return option.dropFirst("--socket-only=".count).split(separator: ",").compactMap { Int($0) }
}.first
let socketOnly = socketOnlyClients != nil
/// Only the projections and views.
let projectionsOnly = options.contains("--projections-only")
/// Everything but the projections and views.
let appendsOnly = options.contains("--appends-only")
/// Stop once the program log is written and projected, leaving the cluster running (for EXPLAIN).
let keepCluster = options.contains("--keep-cluster")
let trialSeconds = quick ? 0.6 : 1.5
let rounds = quick ? 3 : 5
/// pgbench runs whole seconds.
let pgbenchSeconds = Int(trialSeconds.rounded(.up))

let bench = try BenchEnvironment.start()
defer { bench.stop() }
var report = BenchReport()

for concurrency in socketOnly || projectionsOnly ? [] : [1, 16, 64] {
    for round in 1...rounds {
        let pgbench = try await PgbenchBaseline.singleInserts(bench, clients: concurrency, seconds: pgbenchSeconds)
        report.add("pgbench INSERT per tx, \(concurrency) clients", round: round, pgbench)
        let raw = try await RawBaseline.singleInserts(bench, connections: concurrency, seconds: trialSeconds)
        report.add("raw INSERT per tx, \(concurrency) conn", round: round, raw)
        report.pair("raw_loop_c\(concurrency)_vs_pgbench", subject: raw, baseline: pgbench)
        let store = try await StoreTrial.singleAppends(bench, callers: concurrency, seconds: trialSeconds)
        report.add("store append 1 event, \(concurrency) callers", round: round, store)
        report.pair("append_single_c\(concurrency)_vs_raw", subject: store, baseline: raw)
        report.pair("append_single_c\(concurrency)_vs_pgbench", subject: store, baseline: pgbench)
    }
}
if !socketOnly && !projectionsOnly {
    report = try await TreeCostTrial.run(bench, rounds: rounds, seconds: trialSeconds, adding: report)
}
let daemon = try await DaemonUnderTest(bench)
for concurrency in projectionsOnly ? [] : socketOnlyClients ?? [1, 16, 64] {
    for round in 1...rounds {
        let pgbench = try await PgbenchBaseline.singleInserts(bench, clients: concurrency, seconds: pgbenchSeconds)
        report.add("pgbench INSERT per tx, \(concurrency) clients", round: round, pgbench)
        report.cpu(concurrency == 64 ? "pgbench" : "pgbench_c\(concurrency)", pgbench)
        let raw = try await RawBaseline.singleInserts(bench, connections: concurrency, seconds: trialSeconds)
        report.add("raw INSERT per tx, \(concurrency) conn", round: round, raw)
        let socket = try await SocketTrial.appends(bench, daemon, clients: concurrency, seconds: trialSeconds)
        report.add("socket register, \(concurrency) clients", round: round, socket)
        report.pair("socket_append_c\(concurrency)_vs_raw", subject: socket, baseline: raw)
        report.pair("socket_append_c\(concurrency)_vs_pgbench", subject: socket, baseline: pgbench)
        report.latency("socket_append_c\(concurrency)", socket)
        report.cpu(concurrency == 64 ? "shidod" : "shidod_c\(concurrency)", socket)
        if concurrency == 64 {
            let health = try await SocketTrial.health(bench, daemon, clients: concurrency, seconds: trialSeconds)
            report.add("socket GET /v1/health, 64 clients", round: round, health)
            report.cpu("shidod_health", health)
        }
    }
}
if !projectionsOnly && !socketOnly {
    let replica = try await ReplicaLagTrial.run(bench, daemon, seconds: trialSeconds * 2)
    report.add("socket register, 64 clients, streaming standby", round: 1, replica.appends)
    let lag = replica.lagMilliseconds.sorted()
    if !lag.isEmpty {
        report.latency("replica_replay_lag_c64", p50: lag[lag.count / 2], p99: lag[min(lag.count - 1, lag.count * 99 / 100)])
        report.value("replica lag bytes, max", Double(replica.lagBytes.max() ?? 0))
    }
}
for round in socketOnly || projectionsOnly ? [] : Array(1...(quick ? 2 : 3)) {
    let (imported, positions) = try await ImportTrial.run(bench, daemon, body: ImportTrial.file(round: round))
    report.add("socket import 100k commands", round: round, imported)
    let sameEvents = try await CopyBaseline.sameEvents(bench, positions: positions)
    report.add("COPY of the imported events", round: round, sameEvents)
    report.pair("import_vs_copy", subject: imported, baseline: sameEvents)
}
daemon.stop()
for round in socketOnly || projectionsOnly ? [] : Array(1...rounds) {
    let raw = try await RawBaseline.multiRowInserts(bench, rowsPerStatement: 1000, seconds: trialSeconds)
    report.add("raw multi-row INSERT 1000/tx", round: round, raw)
    let copy = try await CopyBaseline.batches(bench, rowsPerCopy: 1000, seconds: trialSeconds, round: round)
    report.add("COPY 1000 events/tx", round: round, copy)
    let store = try await StoreTrial.batchAppends(bench, eventsPerAppend: 1000, seconds: trialSeconds)
    report.add("store append 1000 events", round: round, store)
    report.pair("append_batch1000_vs_raw_multirow", subject: store, baseline: raw)
    report.pair("append_batch1000_vs_copy", subject: store, baseline: copy)
}
if !socketOnly && !appendsOnly {
    report = try await ProjectionBench.run(bench, sizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000], adding: report)
}
report.print()
