import Foundation
import ShidoJSON
import Testing
import TestSupport

@Suite("Who may do what comes from the socket", .serialized)
struct AccessTests {
    @Test("an unmapped user reaches the socket but is refused, and the refusal is logged with its uid")
    func unmappedUser() async throws {
        let daemon = try await DaemonProcess.onTestCluster("nobody", extra: ["--socket-mode", "0666"]).start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let before = try await daemon.head()
        let status = try daemon.cli(["status"], as: "nobody")
        #expect(status.status == 77, "\(status.stderr)")
        #expect(status.stderr.contains("no role"))
        let write = try daemon.cli(["company", "register", "--code", "N", "--name", "n", "--industry", "x"], as: "nobody")
        #expect(write.status == 77)
        #expect(try await daemon.head() == before)
        #expect(daemon.log.contains("uid=65534"))
    }

    @Test("the socket's mode keeps other users out before the daemon sees them")
    func socketMode() async throws {
        let daemon = try await DaemonProcess.onTestCluster("mode").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.socket)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
        let result = try daemon.cli(["status"], as: "nobody")
        #expect(result.status == 77 && result.stderr.contains("permission denied"), "\(result.stderr)")
    }

    @Test("the actor is the caller the socket names, whatever the request says; roles bound what each may do")
    func actorAndRoles() async throws {
        let daemon = try await DaemonProcess.onTestCluster(
            "actor", extra: ["--socket-mode", "0666", "--user-roles", "nobody=recorder,daemon=reader"]).start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let recorded = try daemon.cli(["company", "register", "--code", "N", "--name", "노바디", "--industry", "x", "--output", "json"], as: "nobody")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let log = try JSONParser.parse(try daemon.cli(["audit", "log", "--output", "json"]).stdout)
        let actor = log["events"]?.arrayValue?.first?["metadata"]?["actor"]
        #expect(actor?["user"] == "nobody" && actor?["uid"] == 65534)

        let reader = try daemon.cli(["audit", "log", "--output", "json"], as: "daemon")
        #expect(reader.status == 0, "a reader reads")
        let readerWrite = try daemon.cli(["company", "register", "--code", "D", "--name", "d", "--industry", "x"], as: "daemon")
        #expect(readerWrite.status == 77 && readerWrite.stderr.contains("recorder"), "\(readerWrite.stderr)")
        let dump = FileManager.default.temporaryDirectory.path + "/shido-empty-\(UUID().uuidString).ndjson"
        #expect(FileManager.default.createFile(atPath: dump, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: dump) }
        let restore = try daemon.cli(["restore", dump], as: "nobody")
        #expect(restore.status == 77 && restore.stderr.contains("admin"), "\(restore.stderr)")
    }
}
