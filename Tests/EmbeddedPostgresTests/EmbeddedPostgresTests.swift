import EmbeddedPostgres
import Foundation
import Glibc
import PostgresClient
import Testing
import TestSupport

@Suite("Embedded PostgreSQL", .serialized)
struct EmbeddedPostgresTests {
    @Test("the shared cluster accepts connections over its Unix socket only")
    func sharedClusterIsReachable() throws {
        let cluster = try TestCluster.shared()
        let connection = try PostgresConnection(cluster.connectionSettings())
        defer { connection.close() }
        let result = try connection.execute("SELECT current_setting('listen_addresses'), current_setting('synchronous_commit'), current_setting('fsync')")
        #expect(try result.string(0, 0) == "")
        #expect(try result.string(0, 1) == "on")
        #expect(try result.string(0, 2) == "on")
    }

    @Test("a program starts with no signal blocked and none ignored, whatever the spawning thread blocks and ignores")
    func childSignalsStartClean() throws {
        var alarm = sigset_t()
        var previous = sigset_t()
        sigemptyset(&alarm)
        sigaddset(&alarm, SIGALRM)
        pthread_sigmask(SIG_BLOCK, &alarm, &previous)
        let hangup = signal(SIGHUP, SIG_IGN)
        defer {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            signal(SIGHUP, hangup)
        }
        // grep reports its own masks (a shell would clear its blocked signals itself).
        let output = try ProcessRunner.run("/usr/bin/grep", ["-E", "^Sig(Blk|Ign)", "/proc/self/status"])
        #expect(output.status == 0)
        let masks = Dictionary(uniqueKeysWithValues: output.text.split(separator: "\n").compactMap { line -> (String, UInt64)? in
            let parts = line.split(separator: ":")
            guard parts.count == 2, let mask = UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            return (String(parts[0]), mask)
        })
        let bit = { (signal: Int32) -> UInt64 in 1 << UInt64(signal - 1) }
        #expect(masks["SigBlk"].map { $0 & bit(SIGALRM) == 0 } == true, "\(output.text)")
        #expect(masks["SigIgn"].map { $0 & bit(SIGHUP) == 0 } == true, "\(output.text)")
    }

    @Test("a cluster restarts after kill -9 with a stale postmaster.pid left behind")
    func restartsAfterCrash() throws {
        let directory = try Self.scratchDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try EmbeddedPostgres(dataDirectory: directory + "/pg")
        try cluster.start()
        let pid = try #require(cluster.runningPID)
        kill(pid, SIGKILL)
        while cluster.runningPID != nil { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: directory + "/pg/postmaster.pid"))
        try cluster.start()
        let connection = try PostgresConnection(cluster.connectionSettings())
        #expect(try connection.execute("SELECT 1").int(0, 0) == 1)
        connection.close()
        try cluster.stop()
        #expect(cluster.runningPID == nil)
    }

    @Test("a postmaster.pid naming a live process that is not this cluster's server is stale")
    func pidOfForeignProcessIsStale() throws {
        let directory = try Self.scratchDirectory("foreign")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try EmbeddedPostgres(dataDirectory: directory + "/pg")
        try cluster.start()
        try cluster.stop(mode: .immediate)
        // Our own pid: alive, but not a postmaster of this directory.
        let fake = "\(getpid())\n\(directory)/pg\n"
        try fake.write(toFile: directory + "/pg/postmaster.pid", atomically: false, encoding: .utf8)
        #expect(cluster.runningPID == nil)
        try cluster.start()
        #expect(cluster.runningPID != nil)
        try cluster.stop()
    }

    @Test("start adopts a server that is already running for the directory")
    func startIsIdempotent() throws {
        let cluster = try TestCluster.shared()
        let before = cluster.runningPID
        try cluster.start()
        #expect(cluster.runningPID == before)
    }

    static func scratchDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/shido-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return path
    }
}
