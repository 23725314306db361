import Foundation
import ShidoAPI
import ShidoDomain
import ShidoJSON
import Testing
import TestSupport

@Suite("The CLI records and audits through the daemon", .serialized)
struct CLIRecordingTests {
    @Test("the seed's twelve cases, recorded flag by flag, come back in the audit log with the caller as actor")
    func seedCases() async throws {
        let daemon = try await DaemonProcess.onTestCluster("seed").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let commands = try SeedCases.commands()
        for command in commands {
            let arguments = SeedThroughCLI.arguments(for: command)
            try #require(!arguments.isEmpty)
            let result = try daemon.cli(arguments + ["--output", "json"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let receipt = try JSONParser.parse(result.stdout)
            #expect(receipt["events"]?.arrayValue?.count == 1)
        }
        let again = try daemon.cli(SeedThroughCLI.arguments(for: commands[3]) + ["--output", "json"])
        #expect(again.status == 0 && again.stderr.contains("already recorded"), "a repeated command is a retry")

        let log = try daemon.cli(["audit", "log", "--limit", "1000", "--output", "json"])
        #expect(log.status == 0)
        let events = try JSONParser.parse(log.stdout)["events"]?.arrayValue ?? []
        #expect(events.count == commands.count)
        #expect(events.allSatisfy { $0["metadata"]?["actor"]?["user"] == "root" && $0["metadata"]?["actor"]?["uid"] == 0 })
        #expect(events.map { $0["position"]?.numberValue?.literal } == (1...commands.count).map { String($0) })

        let table = try daemon.cli(["audit", "stream", "company-J", "--output", "table"])
        #expect(table.stdout.contains("J기업 (사출금형)"), "Korean text survives the round trip")
        let csv = try daemon.cli(["audit", "log", "--type", "ExportRecorded", "--output", "csv"])
        #expect(csv.stdout.split(separator: "\n").count == 13, "a header and one row per case")
        let verify = try daemon.cli(["audit", "verify", "--output", "json"])
        #expect(verify.status == 0)
        #expect(try JSONParser.parse(verify.stdout)["intact"] == true)
    }

    @Test("--version names the release, the same for both programs and the daemon's status; --help shows what is required")
    func versionAndHelp() async throws {
        let cli = try Spawn.run(Spawn.product("shido"), ["--version"])
        let daemonVersion = try Spawn.run(Spawn.product("shidod"), ["--version"])
        #expect(cli.status == 0 && daemonVersion.status == 0)
        #expect(cli.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ShidoVersion.current)
        #expect(daemonVersion.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ShidoVersion.current)
        let help = try Spawn.run(Spawn.product("shido"), ["engagement", "start", "--help"])
        let usage = help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") }.map(String.init) ?? ""
        #expect(usage.contains(" --field <field> ...") && !usage.contains("[--field"), "the daemon requires a field: \(usage)")
        let missing = try Spawn.run(Spawn.product("shido"), ["engagement", "start", "x", "--company", "C", "--engineer", "t", "--start", "2014-04-01", "--year", "2014"])
        #expect(missing.status == 64 && missing.stderr.contains("--field"), "\(missing.stderr)")
    }

    @Test("corrections and retractions by event id; a repeated one changes nothing")
    func corrections() async throws {
        let daemon = try await DaemonProcess.onTestCluster("correct").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        for command in try SeedCases.commands(for: SeedCases.cases[0]) {
            #expect(try daemon.cli(SeedThroughCLI.arguments(for: command)).status == 0)
        }
        let stream = try JSONParser.parse(try daemon.cli(["audit", "stream", "engagement-case-a", "--output", "json"]).stdout)
        let session = try #require(stream["events"]?.arrayValue?.first { $0["type"] == "GuidanceSessionLogged" })
        let sessionID = try #require(session["id"]?.stringValue)
        let correct = ["correct", sessionID, "--reason", "시간 오기", "--set", "hours=3", "--output", "json"]
        let first = try daemon.cli(correct)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try JSONParser.parse(first.stdout)["events"]?.arrayValue?.first?["type"] == "EntryCorrected")
        #expect(try daemon.cli(correct).stderr.contains("already recorded"))
        let bad = try daemon.cli(["correct", sessionID, "--reason", "x", "--set", "sessionID=other"])
        #expect(bad.status == 65 && bad.stderr.contains("/session/sessionID"), "\(bad.stderr)")
        #expect(try daemon.cli(["retract", sessionID, "--reason", "중복 입력"]).status == 0)
        let unknown = try daemon.cli(["retract", UUID().uuidString, "--reason", "x"])
        #expect(unknown.status == 65 && unknown.stderr.contains("unknownEntry") == false && unknown.stderr.contains("no event"))
    }
}
