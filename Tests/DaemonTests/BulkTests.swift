import Foundation
import ShidoJSON
import Testing
import TestSupport

@Suite("Bulk import, dump and restore", .serialized)
struct BulkTests {
    /// `engagements` engagements, each with its company, engineer, start and sessions: `perEngagement` lines apiece.
    static func importFile(engagements: Int, perEngagement: Int) throws -> String {
        var lines: [String] = []
        lines.reserveCapacity(engagements * perEngagement)
        for number in 0..<engagements {
            let code = "c\(number)"
            lines.append(#"{"command": "registerCompany", "body": {"code": "\#(code)", "name": "회사 \#(number) (会社)", "industry": "금형", "products": []}}"#)
            lines.append(#"{"command": "registerEngineer", "body": {"engineerID": "e\#(number)", "name": "山田 \#(number)", "specialty": "金型", "career": "40年"}}"#)
            lines.append(#"{"command": "startEngagement", "body": {"engagementID": "g\#(number)", "companyCode": "\#(code)", "engineerID": "e\#(number)", "guidanceFields": ["금형"], "goals": ["productivity"], "startDate": "2014-04-01", "programYear": 2014}}"#)
            for session in 0..<(perEngagement - 3) {
                lines.append(#"{"command": "logSession", "engagementID": "g\#(number)", "body": {"sessionID": "s\#(session)", "date": "2014-05-10", "hours": 2.5, "topic": "냉각 \#(session)", "format": "onSite", "attendees": 2}}"#)
            }
        }
        let path = FileManager.default.temporaryDirectory.path + "/shido-import-\(UUID().uuidString).ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("100,000 events import with progress on a terminal, and a re-run writes nothing")
    func importHundredThousand() async throws {
        let daemon = try await DaemonProcess.onTestCluster("import").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let file = try Self.importFile(engagements: 500, perEngagement: 200)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let shido = Spawn.product("shido")
        // `script` gives the CLI a terminal, so it draws its progress bar.
        let socket = daemon.socket
        // A minute of waiting for a child: off the cooperative pool, which the other tests share.
        let first = try await offPool {
            try Spawn.run("/usr/bin/script", ["-qec", "\(shido) import \(file) --socket \(socket) --output json", "/dev/null"], unsetting: ["NO_COLOR"])
        }
        #expect(first.status == 0, "\(first.stdout)")
        #expect(first.stdout.contains("\r[") && first.stdout.contains("100% ") && first.stdout.contains("bytes sent"), "progress is drawn")
        #expect(try await daemon.head() == 100_000)
        let again = try await offPool { try daemon.cli(["import", file, "--output", "json"]) }
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("\r["), "no progress bar without a terminal")
        let summary = try JSONParser.parse(again.stdout)
        #expect(summary["events"] == 0 && summary["unchanged"] == 100_000)
        #expect(try await daemon.head() == 100_000)
    }

    /// A file of `engagements` × `perEngagement` lines whose session on line `line` is refused.
    struct RefusedLine: Sendable, CustomTestStringConvertible {
        let engagements: Int
        let perEngagement: Int
        let line: Int
        let hours: String
        var testDescription: String { "\(engagements * perEngagement) lines, line \(line)" }
    }

    @Test("a refused import line is reported with its line number in the file, and nothing of the file is recorded (a long file too, streamed into its transaction)",
          arguments: [
              RefusedLine(engagements: 3, perEngagement: 10, line: 25, hours: "-1"),
              // 6,000 lines go in parts of 2,000: two parts are already copied when line 5,500 is refused.
              RefusedLine(engagements: 30, perEngagement: 200, line: 5_500, hours: "30"),
          ])
    func refusedLine(_ case: RefusedLine) async throws {
        let daemon = try await DaemonProcess.onTestCluster("import-bad-\(`case`.line)").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let file = try Self.importFile(engagements: `case`.engagements, perEngagement: `case`.perEngagement)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let total = `case`.engagements * `case`.perEngagement
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let good = lines[`case`.line - 1]
        lines[`case`.line - 1] = good.replacingOccurrences(of: #""hours": 2.5"#, with: #""hours": \#(`case`.hours)"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try daemon.cli(["import", file])
        #expect(result.status == 65)
        #expect(result.stderr.contains("line \(`case`.line)") && result.stderr.contains("/body/hours"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing of the import was recorded"), "\(result.stderr)")
        #expect(try await daemon.head() == 0, "all or nothing: the lines before the bad one are not recorded either")
        lines[`case`.line - 1] = good
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let fixed = try daemon.cli(["import", file, "--output", "json"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let summary = try JSONParser.parse(fixed.stdout)
        #expect(summary["events"] == .number(JSONNumber(total)) && summary["unchanged"] == 0, "the summary counts exactly what was written")
        #expect(try await daemon.head() == Int64(total), "resuming after the fix is a plain re-run")
        let verified = try await daemon.request(.GET, "/v1/audit/verify")
        #expect(try JSONParser.parse(verified.body)["intact"] == true, "the parts extend one hash chain")
        let again = try daemon.cli(["import", file, "--output", "json"])
        #expect(try JSONParser.parse(again.stdout)["unchanged"] == .number(JSONNumber(total)), "a re-run records nothing")
    }

    @Test("in a long file, the first of several refused lines is the one reported (lines are parsed side by side)")
    func firstRefusedLineOfMany() async throws {
        let daemon = try await DaemonProcess.onTestCluster("import-first-bad").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let file = try Self.importFile(engagements: 100, perEngagement: 200)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[16_999] = #"{"command": "logSession", "body": {"#
        lines[12_344] = #"{"command": "noSuchCommand", "body": {}}"#
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try daemon.cli(["import", file])
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 12345"), "\(result.stderr)")
        #expect(try await daemon.head() == 0)
    }

    @Test("dump then restore into a fresh store reproduces every byte; a corrupted line is refused with its number")
    func dumpAndRestore() async throws {
        let source = try await DaemonProcess.onTestCluster("dump").start()
        defer { _ = try? source.stop(); source.removeFiles() }
        let file = try Self.importFile(engagements: 20, perEngagement: 10)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try source.cli(["import", file]).status == 0)
        let dump = try source.cli(["dump"])
        #expect(dump.status == 0 && dump.stdout.split(separator: "\n").count == 200)
        let dumpFile = source.directory + "/events.ndjson"
        try dump.stdout.write(toFile: dumpFile, atomically: true, encoding: .utf8)

        let target = try await DaemonProcess.onTestCluster("restore").start()
        defer { _ = try? target.stop(); target.removeFiles() }
        let restored = try target.cli(["restore", dumpFile])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try target.cli(["dump"]).stdout == dump.stdout, "positions, ids, times, metadata and hashes are the same")
        let retried = try target.cli(["restore", dumpFile, "--output", "json"])
        let retriedSummary = try JSONParser.parse(retried.stdout)
        #expect(retried.status == 0 && retriedSummary["restored"] == 200, "a retry of the same dump answers as the first time")
        let other = try Self.importFile(engagements: 1, perEngagement: 5)
        defer { try? FileManager.default.removeItem(atPath: other) }
        let otherSource = try await DaemonProcess.onTestCluster("dump2").start()
        defer { _ = try? otherSource.stop(); otherSource.removeFiles() }
        #expect(try otherSource.cli(["import", other]).status == 0)
        let otherDump = source.directory + "/other.ndjson"
        try otherSource.cli(["dump"]).stdout.write(toFile: otherDump, atomically: true, encoding: .utf8)
        #expect(try target.cli(["restore", otherDump]).status == 75, "another dump only into an empty store")

        var lines = dump.stdout.split(separator: "\n").map(String.init)
        // Appends to different streams commit in any order, so line 137 may hold any event: change its time, which every hash covers.
        lines[136] = lines[136].replacingOccurrences(of: #""recordedAtMicros":1"#, with: #""recordedAtMicros":2"#)
        let corrupted = source.directory + "/corrupted.ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: corrupted, atomically: true, encoding: .utf8)
        let empty = try await DaemonProcess.onTestCluster("corrupt").start()
        defer { _ = try? empty.stop(); empty.removeFiles() }
        let refused = try empty.cli(["restore", corrupted])
        #expect(refused.status == 65 && refused.stderr.contains("line 137"), "\(refused.stderr)")
        #expect(try await empty.head() == 0, "nothing restored")
    }
}
