import Foundation
import Glibc
import ShidoClient
import ShidoJSON
import Testing
import TestSupport

@Suite("Start, stop and crash", .serialized)
struct LifecycleTests {
    @Test("a second daemon on the same socket refuses to start and leaves the first serving")
    func secondDaemon() async throws {
        let first = try await DaemonProcess.onTestCluster("first").start()
        defer { _ = try? first.stop(); first.removeFiles() }
        let second = try Spawn.run(Spawn.product("shidod"), first.arguments)
        #expect(second.status != 0)
        #expect((second.stdout + second.stderr).contains("another shidod"), "\(second.stderr)")
        #expect(try await first.request(.GET, "/v1/status").status == 200)
    }

    @Test("SIGTERM during a stream of appends: every acknowledged event is in the log, and the daemon exits cleanly")
    func sigterm() async throws {
        let daemon = try await DaemonProcess.onTestCluster("sigterm").start()
        defer { daemon.removeFiles() }
        let acknowledged = try await Self.appendUntilRefused(daemon, then: SIGTERM)
        #expect(acknowledged.status == 0, "graceful exit:\n\(daemon.log)")
        try await daemon.start()
        defer { _ = try? daemon.stop() }
        try await Self.expectAllPresent(acknowledged.ids, in: daemon)
    }

    @Test("kill -9 of the daemon, then a restart on its embedded cluster: every acknowledged event is there")
    func killNine() async throws {
        let daemon = try DaemonProcess("kill9", database: nil)
        try await daemon.start()
        let cluster = try EmbeddedPostgresHandle(directory: daemon.directory + "/state/postgres")
        defer { cluster.stop(); daemon.removeFiles() }
        let acknowledged = try await Self.appendUntilRefused(daemon, then: SIGKILL)
        #expect(acknowledged.status == 128 + SIGKILL)
        try await daemon.start()
        defer { _ = try? daemon.stop() }
        try await Self.expectAllPresent(acknowledged.ids, in: daemon)
        let verify = try daemon.cli(["audit", "verify", "--output", "json"])
        #expect(try JSONParser.parse(verify.stdout)["intact"] == true)
    }

    /// Eight keep-alive clients register companies until the daemon stops answering; after
    /// 400 ms the daemon gets `signal`. Returns the ids of the events the daemon
    /// acknowledged, and its exit status.
    static func appendUntilRefused(_ daemon: DaemonProcess, then signal: Int32) async throws -> (ids: Set<String>, status: Int32) {
        let ids = Locked<Set<String>>([])
        let socket = daemon.socket
        let pid = daemon.pid
        let stopper = Task { () throws -> Int32 in
            // Stop once appends are flowing (a loaded machine may take a while to get there).
            let deadline = ContinuousClock.now + .seconds(60)
            while ids.value.count < 20, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            kill(pid, signal)
            return Spawn.wait(pid, timeout: .seconds(60)) ?? -1
        }
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                group.addTask {
                    try? await ShidoConnection.withConnection(socketPath: socket) { connection in
                        for number in 0..<100_000 {
                            let body = #"{"code": "c\#(client)-\#(number)", "name": "회사", "industry": "x", "products": []}"#
                            let reply = try await connection.send(.POST, "/v1/companies", contentType: "application/json", body: Array(body.utf8))
                            guard reply.status == 201, let id = try JSONParser.parse(reply.body)["events"]?.arrayValue?.first?["id"]?.stringValue else { return }
                            ids.withLock { _ = $0.insert(id) }
                        }
                    }
                }
            }
        }
        return (ids.value, try await stopper.value)
    }

    static func expectAllPresent(_ ids: Set<String>, in daemon: DaemonProcess) async throws {
        #expect(ids.count > 10, "appends were acknowledged before the stop")
        let dump = try daemon.cli(["dump"])
        let recorded = Set(dump.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["id"]?.stringValue })
        #expect(ids.isSubset(of: recorded), "\(ids.subtracting(recorded).count) acknowledged events are missing")
    }
}

@Suite("systemd socket activation")
struct SocketActivationTests {
    @Test("shidod serves a socket passed in LISTEN_FDS, leaves the file in place, and stops on SIGTERM")
    func activated() async throws {
        let daemon = try DaemonProcess.onTestCluster("activated")
        defer { daemon.removeFiles() }
        let pid = try Spawn.start("/usr/bin/systemd-socket-activate", ["-l", daemon.socket, Spawn.product("shidod")] + daemon.arguments,
                                  logPath: daemon.logPath)
        defer { kill(pid, SIGKILL) }
        var status = 0
        for _ in 0..<300 where status != 200 {
            status = (try? await daemon.request(.GET, "/v1/status"))?.status ?? 0
            if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(status == 200, "\(daemon.log)")
        #expect(daemon.log.contains("the socket systemd passed in"))
        let recorded = try await daemon.request(.POST, "/v1/companies", contentType: "application/json",
                                                body: #"{"code": "S", "name": "소켓", "industry": "x", "products": []}"#)
        #expect(recorded.status == 201)
        let second = try Spawn.run(Spawn.product("shidod"), daemon.arguments)
        #expect(second.status != 0, "a second daemon on systemd's socket path must refuse to start")
        #expect(second.stderr.contains("another shidod") || second.stderr.contains("already listens"), "\(second.stderr)")
        #expect(try await daemon.request(.GET, "/v1/status").status == 200, "systemd's socket still reaches the first daemon")
        kill(pid, SIGTERM)
        #expect(Spawn.wait(pid, timeout: .seconds(30)) == 0, "\(daemon.log)")
        #expect(FileManager.default.fileExists(atPath: daemon.socket), "the socket belongs to systemd")
    }
}
