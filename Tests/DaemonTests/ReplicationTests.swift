import EmbeddedPostgres
import Foundation
import Glibc
import PostgresClient
import ShidoClient
import ShidoJSON
import Testing
import TestSupport

/// Two real clusters on this machine: a primary with a writer daemon, and a hot standby made
/// with `pg_basebackup -R` streaming from it over its Unix socket, with a reader daemon.
@Suite("Reads from a streaming standby, and failover", .serialized)
struct ReplicationTests {
    /// A primary cluster with a daemon that migrated it, and a streaming standby of it.
    struct Pair: Sendable {
        let primary: PrivateCluster
        let standby: EmbeddedPostgres
        let writer: DaemonProcess

        static func start(_ label: String, synchronous: Bool = false) async throws -> Pair {
            let primary = try PrivateCluster(label)
            let writer = try DaemonProcess(label + "-writer", database: primary.cluster.connectionSettings())
            let standby = try EmbeddedPostgres(dataDirectory: primary.directory + "/standby")
            let pair = Pair(primary: primary, standby: standby, writer: writer)
            do {
                try await writer.start()
                _ = try primary.cluster.makeStandby(in: standby.dataDirectory, settings: ["wal_retrieve_retry_interval": "'500ms'"])
                try standby.start()
                if synchronous { try await pair.makeSynchronous() }
            } catch {
                pair.remove()
                throw error
            }
            return pair
        }

        /// Commits on the primary wait for the standby to have flushed them.
        func makeSynchronous() async throws {
            let admin = try PostgresConnection(primary.cluster.connectionSettings())
            defer { admin.close() }
            try admin.execute("SELECT set_config('synchronous_commit', 'on', false)")
            try admin.executeScript(StaticOrTrustedSQL(trusted: "ALTER SYSTEM SET synchronous_standby_names = '\(EmbeddedPostgres.standbyName)'"))
            try admin.execute("SELECT pg_reload_conf()")
            for _ in 0..<300 {
                let state = try admin.execute("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")
                if try state.int(0, 0) == 1 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw DaemonFailure("the standby never became synchronous")
        }

        func reader(_ label: String) throws -> DaemonProcess {
            try DaemonProcess(label + "-reader", database: standby.connectionSettings(), extra: ["--primary", writer.socket])
        }

        func remove() {
            _ = try? writer.stop(SIGKILL)
            writer.removeFiles()
            try? standby.stop(mode: .immediate)
            primary.remove()
        }
    }

    @Test("a reader on a hot standby answers what the primary's daemon wrote, waits for --min-position, refuses writes naming the primary, and shows its role and lag")
    func readerOnStandby() async throws {
        let pair = try await Pair.start("replica")
        defer { pair.remove() }
        let reader = try pair.reader("replica")
        try await reader.start()
        defer { _ = try? reader.stop(); reader.removeFiles() }

        let position = try await Self.register("R-1", through: pair.writer)
        let view = try await reader.request(.GET, "/v1/views/companies?minPosition=\(position)")
        #expect(view.status == 200, "\(String(decoding: view.body, as: UTF8.self))")
        let answer = try JSONParser.parse(view.body)
        #expect(answer["position"]?.numberValue?.int64Value ?? 0 >= position)
        #expect(String(decoding: view.body, as: UTF8.self).contains("R-1"))

        let headBefore = try await reader.head()
        let refused = try await reader.request(.POST, "/v1/companies", contentType: "application/json",
                                               body: #"{"code": "R-2", "name": "복제", "industry": "x", "products": []}"#)
        #expect(refused.status == 421)
        let problem = try JSONParser.parse(refused.body)
        #expect(problem["type"]?.stringValue == "urn:shido:problem:read-only-replica")
        #expect(problem["detail"]?.stringValue?.contains(pair.writer.socket) == true)
        #expect(try await pair.writer.head() == headBefore, "nothing was written")

        let status = try JSONParser.parse(try await reader.request(.GET, "/v1/status").body)
        #expect(status["role"]?.stringValue == "reader")
        #expect(status["replication"]?["writesGoTo"]?.stringValue == pair.writer.socket)
        #expect(try JSONParser.parse(try await pair.writer.request(.GET, "/v1/status").body)["role"]?.stringValue == "writer")
        let cli = try reader.cli(["status", "--output", "table"])
        #expect(cli.status == 0)
        #expect(cli.stdout.contains("reader"), "\(cli.stdout)")
        #expect(cli.stdout.contains("replay lag"), "\(cli.stdout)")
        #expect(!reader.log.contains("projection"), "no projector runs on a reader:\n\(reader.log)")
        for target in ["/v1/audit/verify", "/v1/projections", "/v1/dump", "/v1/events?from=1", "/v1/streams/company-R-1",
                       "/v1/views/years?asOf=2030-01-01&knownAt=\(position)"] {
            let read = try await reader.request(.GET, target)
            #expect(read.status == 200, "\(target) on a reader: \(String(decoding: read.body, as: UTF8.self))")
        }
        let metrics = try MetricsTests.scrape(reader)
        #expect(metrics["shido_role_writer{}"] == 0 && metrics["shido_replica_streaming{}"] == 1, "\(metrics.filter { $0.key.contains("replica") || $0.key.contains("role") })")
        #expect(metrics["shido_replica_replay_lag_bytes{}"] != nil)
    }

    @Test("failover under load with synchronous replication: every acknowledged append survives, positions stay gapless, the chain verifies, and the reader becomes the writer")
    func failover() async throws {
        let pair = try await Pair.start("failover", synchronous: true)
        defer { pair.remove() }
        let reader = try pair.reader("failover")
        try await reader.start()
        defer { _ = try? reader.stop(); reader.removeFiles() }

        let acknowledged = Locked<[String: Int64]>([:])
        let target = Locked(pair.writer)
        let stop = Locked(false)
        let firstAcceptedAfterKill = Locked<ContinuousClock.Instant?>(nil)
        let killedAt = Locked<ContinuousClock.Instant?>(nil)
        try await withThrowingTaskGroup(of: Void.self) { writers in
            for client in 0..<8 {
                writers.addTask {
                    var number = 0
                    while !stop.value {
                        number += 1
                        let code = "F\(client)-\(number)"
                        let daemon = target.value
                        guard let position = try? await Self.register(code, through: daemon) else {
                            try await Task.sleep(for: .milliseconds(20))
                            continue
                        }
                        acknowledged.withLock { $0[code] = position }
                        if daemon !== pair.writer, killedAt.value != nil {
                            firstAcceptedAfterKill.withLock { $0 = $0 ?? .now }
                        }
                    }
                }
            }
            // Under load (the whole suite in parallel) appends come slowly: kill once enough have.
            try await Self.eventually("40 appends acknowledged before the kill", timeout: .seconds(120)) { acknowledged.value.count >= 40 }
            let postmaster = try #require(pair.primary.cluster.runningPID)
            kill(postmaster, SIGKILL)
            killedAt.withLock { $0 = .now }
            try pair.standby.promote()
            let promoted = ContinuousClock.now
            try await Self.eventually("the reader becomes the writer") {
                (try? JSONParser.parse(try await reader.request(.GET, "/v1/status").body)["role"]?.stringValue) == "writer"
            }
            print("failover: promoted \(killedAt.value!.duration(to: promoted)) after the kill; the reader was the writer \(promoted.duration(to: .now)) later")
            target.withLock { $0 = reader }
            // The writers may still wait on the dead primary's daemon (its own reconnect
            // deadline): a fresh client measures when the new writer accepts.
            _ = try await Self.register("probe", through: reader)
            firstAcceptedAfterKill.withLock { $0 = $0 ?? .now }
            try await Task.sleep(for: .milliseconds(500))
            stop.withLock { $0 = true }
            try await writers.waitForAll()
        }
        if let killed = killedAt.value, let first = firstAcceptedAfterKill.value {
            print("failover: \(killed.duration(to: first)) from SIGKILL of the primary to the first accepted write")
        }

        let acked = acknowledged.value
        let events = try await Self.allEvents(reader)
        #expect(events.map(\.position) == Array(1...Int64(events.count)), "positions stay gapless")
        let byStream = Dictionary(events.map { ($0.stream, $0.position) }, uniquingKeysWith: { first, _ in first })
        for (code, position) in acked {
            #expect(byStream["company-\(code)"] == position, "acknowledged \(code) at \(position) is in the log")
        }
        let verified = try JSONParser.parse(try await reader.request(.GET, "/v1/audit/verify").body)
        #expect(verified["firstBreak"] == .null, "the chain verifies")
        #expect(reader.log.contains("promoted"), "\(reader.log)")
    }

    /// Registers a company through `daemon`; the position of its event.
    static func register(_ code: String, through daemon: DaemonProcess) async throws -> Int64 {
        let reply = try await daemon.request(.POST, "/v1/companies", contentType: "application/json",
                                             body: #"{"code": "\#(code)", "name": "복제 회사", "industry": "금형", "products": []}"#)
        guard reply.status == 201, let position = try JSONParser.parse(reply.body)["events"]?.arrayValue?.first?["position"]?.numberValue?.int64Value
        else { throw DaemonFailure("register \(code): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return position
    }

    static func allEvents(_ daemon: DaemonProcess) async throws -> [(position: Int64, stream: String)] {
        var events: [(position: Int64, stream: String)] = []
        while true {
            let page = try JSONParser.parse(try await daemon.request(.GET, "/v1/events?from=\(events.count + 1)&limit=1000").body)
            let batch = page["events"]?.arrayValue ?? []
            if batch.isEmpty { return events }
            for event in batch {
                events.append((event["position"]?.numberValue?.int64Value ?? -1, event["stream"]?.stringValue ?? ""))
            }
        }
    }

    static func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
        guard try await TestSupport.eventually(timeout: timeout, condition) else { throw DaemonFailure("not within \(timeout): \(what)") }
    }
}
