import Foundation
import Glibc
import Testing
import TestSupport

@Suite("The embedded cluster belongs to its daemon", .serialized)
struct ClusterLifecycleTests {
    @Test("start, SIGKILL, start (adopts the running cluster), SIGTERM: no process of the cluster remains")
    func adoptedClusterIsStopped() async throws {
        let daemon = try DaemonProcess("adopt", database: nil)
        defer { daemon.removeFiles() }
        let data = daemon.directory + "/state/postgres"
        try await daemon.start()
        #expect(try daemon.stop(SIGKILL) == 128 + SIGKILL)
        #expect(!ClusterProcesses.pids(dataDirectory: data).isEmpty, "the orphaned cluster keeps running while the daemon is down")
        try await daemon.start()
        #expect(daemon.log.contains("adopting the embedded PostgreSQL"), "\(daemon.log)")
        #expect(try daemon.stop(SIGTERM) == 0, "\(daemon.log)")
        let remaining = await ClusterProcesses.awaitGone(dataDirectory: data)
        #expect(remaining.isEmpty, "cluster processes left running: \(remaining)")
    }

    @Test("start, SIGKILL the daemon and its orphaned postmaster, start: serves; Ctrl-C (SIGINT to the group): nothing remains")
    func crashedClusterIsRestartedAndStopped() async throws {
        let daemon = try DaemonProcess("orphan", database: nil)
        defer { daemon.removeFiles() }
        let data = daemon.directory + "/state/postgres"
        try await daemon.start()
        #expect(try daemon.stop(SIGKILL) == 128 + SIGKILL)
        let postmaster = try #require(ClusterProcesses.postmaster(dataDirectory: data))
        kill(postmaster, SIGKILL)
        _ = await ClusterProcesses.awaitGone(dataDirectory: data)
        try await daemon.start(newProcessGroup: true)
        let recorded = try await daemon.request(.POST, "/v1/companies", contentType: "application/json",
                                                body: #"{"code": "K", "name": "재시작", "industry": "x", "products": []}"#)
        #expect(recorded.status == 201)
        kill(-daemon.pid, SIGINT)
        #expect(Spawn.wait(daemon.pid, timeout: .seconds(60)) == 0, "\(daemon.log)")
        let remaining = await ClusterProcesses.awaitGone(dataDirectory: data)
        #expect(remaining.isEmpty, "cluster processes left running: \(remaining)")
    }

    @Test("a second daemon on the same socket stops at the lock and leaves the first daemon's cluster running")
    func secondDaemonLeavesTheClusterAlone() async throws {
        let first = try await DaemonProcess("owner", database: nil).start()
        defer { _ = try? first.stop(); first.removeFiles() }
        let second = try Spawn.run(Spawn.product("shidod"), first.arguments)
        #expect(second.status != 0)
        #expect(second.stderr.contains("another shidod"), "\(second.stderr)")
        let other = try Spawn.run(Spawn.product("shidod"), ["serve", "--socket", first.directory + "/other.sock",
                                                            "--state-directory", first.directory + "/state", "--config", "/dev/null"])
        #expect(other.status != 0)
        #expect(other.stderr.contains("runs the embedded PostgreSQL"), "\(other.stderr)")
        #expect(try await first.request(.POST, "/v1/companies", contentType: "application/json",
                                        body: #"{"code": "L", "name": "잠금", "industry": "x", "products": []}"#).status == 201)
    }
}
