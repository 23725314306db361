import EmbeddedPostgres
import Foundation
import Glibc
import Testing
import TestSupport

@Suite("deploy/ and systemd/", .serialized)
struct DeployTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

    @Test("install.sh stages binaries, schema, completions and units; systemd accepts the units")
    func install() throws {
        let stage = FileManager.default.temporaryDirectory.path + "/shido-stage-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: stage) }
        let result = try Spawn.run(
            "/bin/sh", ["-c", "cd \(Self.repository) && deploy/install.sh"],
            environment: ["DESTDIR": stage, "PREFIX": "/usr", "SKIP_BUILD": "1", "SKIP_MANUAL": "1", "BUILD_DIR": Spawn.productsDirectory])
        #expect(result.status == 0, "\(result.stderr)")
        for file in [
            "/usr/bin/shidod", "/usr/bin/shido", "/usr/share/shido/schema/0002_events.sql", "/usr/share/shido/create-database.sql",
            "/usr/share/bash-completion/completions/shido", "/usr/share/zsh/site-functions/_shido", "/usr/share/fish/vendor_completions.d/shido.fish",
            "/etc/systemd/system/shidod.service", "/etc/systemd/system/shidod.socket", "/usr/lib/sysusers.d/shido.conf", "/etc/shido/shidod.conf",
        ] {
            #expect(FileManager.default.fileExists(atPath: stage + file), "\(file)")
        }
        let unit = try String(contentsOfFile: stage + "/etc/systemd/system/shidod.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/shidod serve"))
        // verify resolves ExecStart on this machine, so check a copy that points at the staged binary.
        let checked = stage + "/check"
        try FileManager.default.createDirectory(atPath: checked, withIntermediateDirectories: true)
        try unit.replacingOccurrences(of: "ExecStart=/usr/bin/", with: "ExecStart=\(stage)/usr/bin/")
            .write(toFile: checked + "/shidod.service", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: stage + "/etc/systemd/system/shidod.socket", toPath: checked + "/shidod.socket")
        let verify = try Spawn.run("/usr/bin/systemd-analyze", ["verify", "--man=no", checked + "/shidod.socket", checked + "/shidod.service"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let security = try Spawn.run("/usr/bin/systemd-analyze", ["security", "--offline=true", "--threshold=15", checked + "/shidod.service"])
        let score = security.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") }
        let value = score.flatMap { line in line.split(separator: " ").compactMap { Double($0) }.first }
        #expect(value.map { $0 <= 1.5 } == true, "\(security.stdout.suffix(300))")
        let completion = try String(contentsOfFile: stage + "/usr/share/bash-completion/completions/shido", encoding: .utf8)
        #expect(completion.contains("audit") && completion.contains("import"))
    }

    @Test("create-database.sql prepares an external PostgreSQL that shidod then migrates and uses with least privilege")
    func externalDatabase() async throws {
        let server = try PrivateCluster("external")
        let directory = server.directory
        defer { server.remove() }
        let sql = Self.repository + "/deploy/create-database.sql"
        let copy = directory + "/create-database.sql"
        try FileManager.default.copyItem(atPath: sql, toPath: copy)
        let psql = try Spawn.run("/usr/bin/psql", ["-v", "ON_ERROR_STOP=1", "-h", directory + "/pg", "-U", "postgres", "-d", "postgres", "-f", copy])
        #expect(psql.status == 0, "\(psql.stderr)")
        let daemon = try DaemonProcess("external", database: nil, extra: ["--database-url", "host=\(directory)/pg dbname=shido user=shidod"])
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let early = try Spawn.run(Spawn.product("shidod"), daemon.arguments)
        #expect(early.status != 0 && early.stderr.contains("shidod migrate"), "the daemon's role may not migrate: \(early.stderr)")
        let migrate = try Spawn.run(Spawn.product("shidod"), ["migrate", "--database-url", "host=\(directory)/pg dbname=shido user=postgres", "--config", "/dev/null"])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        try await daemon.start()
        let recorded = try await daemon.request(.POST, "/v1/companies", contentType: "application/json",
                                                body: #"{"code": "X", "name": "외부", "industry": "x", "products": []}"#)
        #expect(recorded.status == 201)
        let delete = try Spawn.run("/usr/bin/psql", ["-h", directory + "/pg", "-U", "shidod", "-d", "shido", "-c", "SET ROLE shido_app; DELETE FROM shido.events"])
        #expect(delete.status != 0 && delete.stderr.contains("permission denied"), "\(delete.stderr)")
        let escalate = try Spawn.run("/usr/bin/psql", ["-h", directory + "/pg", "-U", "shidod", "-d", "shido", "-c", "RESET ROLE; SET ROLE shido_owner"])
        #expect(escalate.status != 0 && escalate.stderr.contains("permission denied to set role"), "the daemon's login cannot become the owner: \(escalate.stderr)")
        let owner = try Spawn.run("/usr/bin/psql", ["-h", directory + "/pg", "-U", "postgres", "-d", "shido", "-Atc",
                                                    "SELECT tableowner FROM pg_tables WHERE schemaname = 'shido' AND tablename = 'events'"])
        #expect(owner.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "shido_owner", "\(owner.stdout)\(owner.stderr)")
        let drop = try Spawn.run("/usr/bin/psql", ["-h", directory + "/pg", "-U", "shidod", "-d", "shido", "-c", "DROP TRIGGER events_reject_update ON shido.events"])
        #expect(drop.status != 0, "\(drop.stderr)")
    }
}
