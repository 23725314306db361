import EmbeddedPostgres
import EventStore
import Foundation
import Logging
import Migrations
import PostgresClient
import Projections
import ShidoClient
import ShidoJSON

/// The projections: query latency over the socket at growing log sizes, "as of" and "known
/// at" answers over the largest log, and catch-up from zero next to a raw ordered scan.
enum ProjectionBench {
    static func run(_ bench: BenchEnvironment, sizes: [Int], adding earlier: BenchReport) async throws -> BenchReport {
        var report = earlier
        let settings = try bench.freshDatabase("views")
        let store = EventStore(settings: settings.assuming(role: "shido_app"))
        let daemon = try await DaemonUnderTest(bench, settings: settings, name: "views")
        var engagements = 0
        for size in sizes {
            let target = size / ProgramLog.eventsPerEngagement
            let start = ContinuousClock.now
            let written = try await ProgramLog.write(engagements: engagements..<target, to: store)
            engagements = target
            let head = try await store.head().position
            note("log at \(head) events (\(written) written in \(seconds(since: start)) s); waiting for the projections")
            try await waitUntilCaughtUp(daemon, head: head)
            let label = label(size)
            for (name, target) in [("summary", "/v1/views/summary"), ("engagements_year", "/v1/views/engagements?year=2019"),
                                   ("patterns", "/v1/views/patterns")] {
                let samples = try await latencies(daemon, target)
                report.latency("query_\(name)_\(label)", p50: samples.p50, p99: samples.p99)
            }
        }
        if keepCluster {
            note("--keep-cluster: the log and its projections stay in \(bench.root) (database views); psql -h \(bench.root)/pg -d views")
            daemon.stop()
            exit(0)
        }
        let label = label(sizes.last!)
        let fresh = try await readYourWrites(daemon)
        report.latency("write_then_summary_\(label)", p50: fresh.p50, p99: fresh.p99)
        let head = try await store.head().position
        report = try await past(daemon, head: head, label: label, adding: report)
        report = try await proofs(daemon, head: head, label: label, adding: report)
        report = try await RestoreBench.run(bench, from: daemon, label: label, adding: report)
        daemon.stop()
        await store.shutdown()
        report = try await catchUp(bench, settings: settings, head: head, label: label, adding: report)
        return report
    }

    /// Questions about the past over the largest log, 100 requests each: known at positions
    /// spread over the log, as of a business date, and both, for every view.
    static func past(_ daemon: DaemonUnderTest, head: Int64, label: String, adding earlier: BenchReport) async throws -> BenchReport {
        var report = earlier
        let positions = (1...10).map { head * Int64($0) / 10 }
        let moments: [(name: String, query: (Int) -> String)] = [
            ("known_at", { "knownAt=\(positions[$0 % positions.count])" }),
            ("as_of", { _ in "asOf=2019-12-31" }),
            ("known_at_as_of", { "knownAt=\(positions[$0 % positions.count] / 2 + head / 2)&asOf=2019-12-31" }),
        ]
        for view in ["summary", "engagements", "trade", "patterns", "years", "engineers", "companies", "industries"] {
            for moment in moments {
                let samples = try await latencies(daemon, count: 100) { "/v1/views/\(view)?\(moment.query($0))" }
                report.latency("\(moment.name)_\(view)_\(label)", p50: samples.p50, p99: samples.p99)
            }
        }
        return report
    }

    /// Inclusion proofs for events spread over the largest log and consistency proofs from
    /// sizes spread over it, to its whole tree, 200 requests each (the checkpoint they carry
    /// is signed for every answer).
    static func proofs(_ daemon: DaemonUnderTest, head: Int64, label: String, adding earlier: BenchReport) async throws -> BenchReport {
        var report = earlier
        _ = try await get(daemon, "/v1/audit/checkpoint?size=\(head)")  // the tree has caught up; the checkpoint is kept
        let spread = (1...97).map { head * Int64($0) / 97 }
        let inclusion = try await latencies(daemon, count: 200) { "/v1/audit/proofs/inclusion?position=\(spread[$0 % spread.count])&size=\(head)" }
        report.latency("inclusion_proof_\(label)", p50: inclusion.p50, p99: inclusion.p99)
        let consistency = try await latencies(daemon, count: 200) { "/v1/audit/proofs/consistency?from=\(spread[$0 % spread.count])&to=\(head)" }
        report.latency("consistency_proof_\(label)", p50: consistency.p50, p99: consistency.p99)
        return report
    }

    /// Catch-up of every projection from position 0 by a fresh daemon, between raw scans of
    /// the same log (the faster of the Swift ordered scan and psql's COPY, before and after),
    /// and the daemon's memory once it has caught up.
    static func catchUp(
        _ bench: BenchEnvironment, settings: ConnectionSettings, head: Int64, label: String, adding earlier: BenchReport
    ) async throws -> BenchReport {
        var report = earlier
        let scanBefore = min(try rawScan(settings), try copyScan(settings))
        try resetProjections(settings)
        let start = ContinuousClock.now
        let daemon = try await DaemonUnderTest(bench, settings: settings, name: "catchup")
        try await waitUntilCaughtUp(daemon, head: head)
        let elapsed = seconds(since: start)
        let resident = daemon.peakResidentMiB
        daemon.stop()
        let scanAfter = min(try rawScan(settings), try copyScan(settings))
        let raw = Double(head) / ((scanBefore + scanAfter) / 2)
        let projected = Double(head) / elapsed
        note(String(format: "catch-up of %lld events: %.1f s (%.0f events/s); raw scan %.0f events/s; shidod peak RSS %.0f MiB",
                    head, elapsed, projected, raw, resident))
        report.value("catch-up \(label) events/s", projected)
        report.value("raw ordered scan \(label) events/s", raw)
        report.ratio("catchup_vs_raw_scan", projected / raw)
        report.residentMiB("shidod_after_catchup_\(label)", resident)
        return report
    }

    /// Reads the whole log in order, in the pages a projector reads, decoding nothing: seconds.
    static func rawScan(_ settings: ConnectionSettings) throws -> Double {
        let connection = try PostgresConnection(settings.assuming(role: "shido_app"))
        defer { connection.close() }
        let start = ContinuousClock.now
        var position: Int64 = 0
        while true {
            let page = try LogPage.read(on: connection, after: position, limit: 20_000)
            if page.events.isEmpty { break }
            position = page.scannedThrough
        }
        return seconds(since: start)
    }

    /// `COPY (SELECT … ORDER BY position) TO STDOUT` through psql into /dev/null: seconds.
    static func copyScan(_ settings: ConnectionSettings) throws -> Double {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: try ServerBinaries.locate().path("psql"))
        psql.arguments = ["-X", "-q", "-d", BenchEnvironment.conninfo(settings), "-c", "COPY (SELECT * FROM shido.events ORDER BY position) TO STDOUT"]
        psql.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let start = ContinuousClock.now
        try psql.run()
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw BenchFailure("psql COPY exited with \(psql.terminationStatus)") }
        return seconds(since: start)
    }

    static func resetProjections(_ settings: ConnectionSettings) throws {
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        try connection.executeScript("""
            DO $$ DECLARE s text; BEGIN
                FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'shido\\_views\\_%' LOOP
                    EXECUTE format('DROP SCHEMA %I CASCADE', s);
                END LOOP;
            END $$;
            DELETE FROM shido.projection_checkpoints; DELETE FROM shido.projections;
            """)
    }

    static func waitUntilCaughtUp(_ daemon: DaemonUnderTest, head: Int64) async throws {
        for _ in 0..<36_000 {
            let reply = try await get(daemon, "/v1/projections")
            let rows = reply["projections"]?.arrayValue ?? []
            if rows.count == ShippedProjections.all.count, rows.allSatisfy({ Int64($0["position"]?.numberValue?.literal ?? "0") ?? 0 >= head }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PostgresError(kind: .client, message: "projections did not catch up")
    }

    /// How soon a write shows in a view: a session recorded, then the summary asked for with
    /// the write's position as `minPosition` (the wait for the projector included), 200 times.
    static func readYourWrites(_ daemon: DaemonUnderTest) async throws -> (p50: Double, p99: Double) {
        try await ShidoConnection.withConnection(socketPath: daemon.socket) { connection in
            var samples: [Double] = []
            for index in 0..<200 {
                let body = #"{"sessionID": "ryw-\#(index)", "date": "2020-05-01", "hours": 1, "topic": "확인", "format": "onSite", "attendees": 1}"#
                let write = try await connection.send(.POST, "/v1/engagements/e1/sessions", contentType: "application/json", body: Array(body.utf8))
                guard write.status == 201, let position = try JSONParser.parse(write.body)["events"]?.arrayValue?.first?["position"]?.numberValue?.literal
                else { throw PostgresError(kind: .client, message: "write: HTTP \(write.status)") }
                let start = ContinuousClock.now
                let reply = try await connection.send(.GET, "/v1/views/summary?minPosition=\(position)")
                guard reply.status == 200 else { throw PostgresError(kind: .client, message: "read: HTTP \(reply.status)") }
                samples.append(seconds(since: start) * 1000)
            }
            samples.sort()
            return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 99 / 100)])
        }
    }

    /// p50 and p99 of 200 sequential requests on one keep-alive connection (after 10 to warm up).
    static func latencies(_ daemon: DaemonUnderTest, _ target: String) async throws -> (p50: Double, p99: Double) {
        try await latencies(daemon, count: 200) { _ in target }
    }

    /// p50 and p99 of `count` sequential requests (the i-th asks `target(i)`), after 5 to warm up.
    static func latencies(_ daemon: DaemonUnderTest, count: Int, _ target: (Int) -> String) async throws -> (p50: Double, p99: Double) {
        try await ShidoConnection.withConnection(socketPath: daemon.socket) { connection in
            var samples: [Double] = []
            for index in -5..<count {
                let path = target(max(index, 0))
                let start = ContinuousClock.now
                let reply = try await connection.send(.GET, path)
                guard reply.status == 200 else { throw PostgresError(kind: .client, message: "\(path): HTTP \(reply.status)") }
                if index >= 0 { samples.append(seconds(since: start) * 1000) }
            }
            samples.sort()
            return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 99 / 100)])
        }
    }

    static func get(_ daemon: DaemonUnderTest, _ target: String) async throws -> JSONValue {
        let reply = try await ShidoConnection.withConnection(socketPath: daemon.socket) { try await $0.send(.GET, target) }
        guard reply.status == 200 else {
            throw PostgresError(kind: .client, message: "\(target): HTTP \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return try JSONParser.parse(reply.body)
    }

    static func label(_ size: Int) -> String { size >= 1_000_000 ? "\(size / 1_000_000)m" : "\(size / 1_000)k" }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func note(_ text: String) { FileHandle.standardError.write(Data("  \(text)\n".utf8)) }
}
