import Foundation
import ShidoDomain
import ShidoJSON
import Testing
import TestSupport

@Suite("The CLI queries the views through the daemon", .serialized)
struct ViewCLITests {
    static func summary(_ daemon: DaemonProcess, _ extra: [String] = []) throws -> [String: String] {
        let result = try daemon.cli(["query", "summary", "--output", "json"] + extra)
        let rows = try JSONParser.parse(result.stdout)["rows"]?.arrayValue ?? []
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in
            row["measure"]?.stringValue.map { ($0, row["value"]?.numberValue?.literal ?? "") }
        })
    }

    @Test("seed recorded with the CLI, then every view, the past, projections status and rebuild")
    func views() async throws {
        let (daemon, head) = try await DaemonProcess.seeded("views")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let summary = try Self.summary(daemon, ["--min-position", String(head)])
        #expect(summary["engagements"] == "12")
        #expect(summary["sessions"] == "24")
        #expect(summary["hours"] == "102")
        #expect(summary["trade koreaToJapan JPY"] == "6000000")
        #expect(summary["pattern salesToJapaneseExports"] == "6")

        for view in ["engagements", "engineers", "companies", "industries", "patterns", "trade", "years"] {
            let result = try daemon.cli(["query", view, "--output", "table"])
            #expect(result.status == 0, "\(view): \(result.stderr)")
            #expect(result.stdout.split(separator: "\n").count >= 3, "\(view) prints a header, a rule and rows")
        }
        let table = try daemon.cli(["query", "engagements", "--year", "2016", "--output", "table"])
        #expect(table.stdout.contains("J기업 (사출금형)") && table.stdout.contains("山田 太郎 (J)"))
        let csv = try daemon.cli(["query", "companies", "--output", "csv"])
        #expect(csv.stdout.split(separator: "\n").count == 13)
        let detail = try JSONParser.parse(try daemon.cli(["query", "engagement", "case-j", "--output", "json"]).stdout)
        #expect(detail["rows"]?.arrayValue?.map { $0["kind"]?.stringValue ?? "" } == [
            "started", "GuidanceSessionLogged", "GuidanceSessionLogged", "OutcomeReported", "ExportRecorded",
        ])
        let past = try Self.summary(daemon, ["--as-of", "2013-12-31"])
        #expect(past["engagements"] == "3")
        let known = try Self.summary(daemon, ["--known-at", "7"])
        #expect(known["engagements"] == "1" && known["sessions"] == "2", "position 7 ends case A")

        let status = try JSONParser.parse(try daemon.cli(["projections", "status", "--output", "json"]).stdout)
        let projections = status["projections"]?.arrayValue ?? []
        #expect(projections.map { $0["name"]?.stringValue } == ["directory", "engagements", "tree"])
        #expect(projections.allSatisfy { $0["state"] == "live" && $0["lagEvents"]?.numberValue?.literal == "0" })
        let rebuild = try daemon.cli(["projections", "rebuild", "engagements"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        var generation = "1"
        for _ in 0..<200 where generation != "2" {
            try await Task.sleep(for: .milliseconds(50))
            let rows = try JSONParser.parse(try daemon.cli(["projections", "status", "--output", "json"]).stdout)["projections"]?.arrayValue
            generation = rows?.first { $0["name"] == "engagements" }?["generation"]?.numberValue?.literal ?? "?"
        }
        #expect(generation == "2")
        #expect(try Self.summary(daemon)["engagements"] == "12")
    }

    @Test("refusals: an unknown view, a filter the view does not take, a position beyond the head (at once, not after a wait)")
    func refusals() async throws {
        let daemon = try await DaemonProcess.onTestCluster("view_refusals").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let unknown = try await daemon.request(.GET, "/v1/views/nonsense")
        #expect(unknown.status == 404)
        let wrongFilter = try daemon.cli(["query", "summary", "--known-at", "yesterday-ish"])
        #expect(wrongFilter.status == 65 && wrongFilter.stderr.contains("knownAt"), "\(wrongFilter.stderr)")
        let notTaken = try await daemon.request(.GET, "/v1/views/summary?engineer=engineer-a")
        #expect(notTaken.status == 400)
        #expect(try JSONParser.parse(notTaken.body)["detail"]?.stringValue?.contains("takes no parameter 'engineer'") == true)
        let beyond = try daemon.cli(["query", "summary", "--min-position", "1000000"])
        #expect(beyond.status == 65 && beyond.stderr.contains("beyond the log's head"), "\(beyond.stderr)")
        let nobody = try daemon.cli(["projections", "rebuild", "engagements"], as: "nobody")
        #expect(nobody.status == 77 || nobody.status == 69, "\(nobody.stderr)")
    }
}

@Suite("Tables on a terminal", .serialized)
struct TerminalTableTests {
    /// Runs the CLI under a pseudo-terminal (util-linux `script`), as a person would see it.
    static func onTerminal(_ daemon: DaemonProcess, _ arguments: [String], columns: Int) throws -> [String] {
        let command = ([Spawn.product("shido")] + arguments + ["--socket", daemon.socket]).map { "'\($0)'" }.joined(separator: " ")
        let result = try Spawn.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["COLUMNS": String(columns)])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        return result.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init).filter { !$0.hasPrefix("as recorded") && !$0.contains("--wide shows") }
    }

    @Test("a table wider than the terminal is cut with … to its width (by Python's wcwidth); --wide and pipes show everything")
    func cutToTerminal() async throws {
        let (daemon, _) = try await DaemonProcess.seeded("terminal_tables")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        for (view, columns) in [("companies", 70), ("engagements", 70), ("engagements", 200)] {
            let cut = try Self.onTerminal(daemon, ["query", view, "--output", "table"], columns: columns)
            #expect(cut.count == 14, "header, rule, 12 rows: \(cut)")
            #expect(try PythonWcwidth.widths(cut).allSatisfy { $0 <= columns }, "\(cut)")
            #expect(cut.contains { $0.contains("…") })
        }
        let companies = try Self.onTerminal(daemon, ["query", "companies", "--output", "table"], columns: 70)
        #expect(companies[0].hasSuffix("trade"), "every column of the companies shown, cut: \(companies[0])")
        let wide = try Self.onTerminal(daemon, ["query", "engagements", "--output", "table", "--wide"], columns: 70)
        #expect(try PythonWcwidth.widths(wide).contains { $0 > 70 } && !wide.dropFirst(2).contains { $0.contains("…") })
        #expect(wide[0].hasSuffix("patterns"), "--wide shows every column")
        let piped = try daemon.cli(["query", "engagements", "--output", "table"]).stdout.split(separator: "\n").map(String.init)
        #expect(piped.count == 14 && !piped.contains { $0.contains("…") })
        #expect(piped.dropFirst(2).allSatisfy { line in SeedCases.cases.contains { line.contains($0.name) } }, "whole names on a pipe")
    }
}
