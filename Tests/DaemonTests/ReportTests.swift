import Foundation
import ShidoDomain
import ShidoJSON
import Testing
import TestSupport

@Suite("shido report, rendered in a real browser", .serialized)
struct ReportTests {
    static func report(_ daemon: DaemonProcess, _ arguments: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/shido-report-\(UUID().uuidString).html"
        defer { unlink(path) }
        let result = try daemon.cli(["report", "--output", path] + arguments)
        guard result.status == 0 else { throw DaemonFailure("shido report \(arguments): exit \(result.status): \(result.stderr)") }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static func view(_ daemon: DaemonProcess, _ arguments: [String]) throws -> [JSONValue] {
        try JSONParser.parse(try daemon.cli(["query"] + arguments + ["--output", "json"]).stdout)["rows"]?.arrayValue ?? []
    }

    @Test("the seed's report: 12 cases as recorded, the patterns as the trade flows make them, figures and charts equal to the views, nothing wider than A4")
    func seedReport() async throws {
        let (daemon, head) = try await DaemonProcess.seeded("report_seed")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let facts = try Chromium.facts(of: try Self.report(daemon, ["--lang", "en", "--min-position", String(head)]))

        #expect(facts["width"]?.numberValue?.int64Value == Int64(Chromium.a4TextWidth), "the browser laid the page out at A4's width")
        #expect(facts["overflowing"]?.arrayValue == [], "wider than A4: \(facts["overflowing"] ?? .null)")
        #expect((facts["scrollWidth"]?.numberValue?.int64Value ?? .max) <= Int64(Chromium.a4TextWidth))

        // The case table: the engagements view's rows, names exactly as the seed recorded them.
        let engagements = try Self.view(daemon, ["engagements", "--limit", "100"])
        let rows = facts["caseRows"]?.arrayValue ?? []
        #expect(rows.count == 12)
        #expect(rows.map { $0["engagement"] } == engagements.map { $0["engagement"] })
        #expect(Set(rows.compactMap { $0["company"]?.stringValue }) == Set(SeedCases.cases.map(\.name)))
        #expect(rows.allSatisfy { $0["cells"]?.numberValue?.int64Value == 9 })

        // The patterns: Korea→Japan flows make the first, Japan→Korea the second, as the fixture records them.
        func cases(_ direction: TradeDirection) -> [String] {
            SeedCases.cases.filter { $0.direction == direction }.map { "case-" + $0.code.lowercased() }.sorted()
        }
        let patterns = facts["patterns"] ?? .null
        func listed(_ pattern: String) -> [String] { (patterns[pattern]?.arrayValue ?? []).compactMap(\.stringValue).sorted() }
        #expect(listed("productionStabilisation") == cases(.koreaToJapan))
        #expect(listed("salesToJapaneseExports") == cases(.japanToKorea))
        #expect(listed("productionStabilisation").count == 6 && listed("both").isEmpty && listed("neither").isEmpty)

        // Headline figures: every measure of the summary view, with its exact value.
        let summary = try Self.view(daemon, ["summary"])
        let expected = Dictionary(uniqueKeysWithValues: summary.compactMap { row in
            row["measure"]?.stringValue.map { ($0, JSONValue.string(row["value"]?.numberValue?.canonicalText ?? "")) }
        })
        #expect(facts["headline"]?.objectValue == expected)

        // The header ties the document to the chain.
        let status = try JSONParser.parse(try await daemon.request(.GET, "/v1/status").body)
        #expect(facts["facts"]?["position"]?.stringValue == String(head))
        #expect(facts["facts"]?["headHash"]?.stringValue == status["head"]?["hash"]?.stringValue)
        #expect(facts["checkpoint"]?.stringValue?.contains(" \(head) ") == true, "the checkpoint is of size \(head)")

        try Self.checkCharts(facts["charts"] ?? .null, daemon)

        // Korean and Japanese headings are longer or wider: they fit A4 too.
        for language in ["ko", "ja"] {
            let other = try Chromium.facts(of: try Self.report(daemon, ["--lang", language, "--known-at", String(head)]))
            #expect(other["overflowing"]?.arrayValue == [], "\(language) wider than A4: \(other["overflowing"] ?? .null)")
            #expect(other["caseRows"]?.arrayValue?.count == 12 && other["headline"] == facts["headline"], "\(language)")
        }
    }

    /// Every chart's numbers equal the views'; every bar's drawn length is proportional to its value.
    static func checkCharts(_ charts: JSONValue, _ daemon: DaemonProcess) throws {
        var trade: [String: [String: Decimal]] = [:]  // year → series → sum over industries
        for row in try view(daemon, ["trade", "--period", "year"]) where row["currency"]?.stringValue == "JPY" {
            let year = row["period"]?.stringValue ?? ""
            for series in ["koreaToJapan", "japanToKorea"] {
                trade[year, default: [:]][series, default: 0] += Decimal(string: row[series]?.numberValue?.canonicalText ?? "0") ?? 0
            }
        }
        #expect(Set(charts.objectValue?.keys.map { $0 } ?? []) == ["trade-JPY", "years", "industries"])
        let tradeTable = charts["trade-JPY"]?["table"]?.arrayValue ?? []
        #expect(tradeTable.map { $0["category"]?.stringValue ?? "" } == trade.keys.sorted())
        for row in tradeTable {
            let sums = trade[row["category"]?.stringValue ?? ""] ?? [:]
            for series in ["koreaToJapan", "japanToKorea"] {
                #expect(row["cells"]?[series]?.stringValue == "\(sums[series] ?? -1)", "trade \(row)")
            }
        }
        for (chart, view, category, series) in [
            ("years", "years", "year", ["started", "completed"]), ("industries", "industries", "industry", ["engagements", "outcomes"]),
        ] {
            let rows = try Self.view(daemon, [view])
            let table = charts[chart]?["table"]?.arrayValue ?? []
            #expect(table.map { $0["category"]?.stringValue } == rows.map { $0[category]?.stringValue ?? $0[category]?.numberValue?.canonicalText })
            for (drawn, row) in zip(table, rows) {
                for name in series { #expect(drawn["cells"]?[name]?.stringValue == row[name]?.numberValue?.canonicalText, "\(chart) \(name)") }
            }
        }
        for (name, chart) in charts.objectValue ?? [:] {
            #expect(chart["described"] == .bool(true), "\(name) has its numbers in the SVG's description")
            let horizontal = chart["horizontal"] == .bool(true)
            let bars = (chart["bars"]?.arrayValue ?? []).map { bar in
                (value: Double(bar["value"]?.stringValue ?? "") ?? .nan, length: (horizontal ? bar["width"] : bar["height"])?.numberValue?.doubleValue ?? .nan)
            }
            #expect(bars.count == (chart["table"]?.arrayValue?.count ?? 0) * 2)
            let scale = bars.filter { $0.value > 0 }.map { $0.length / $0.value }
            let unit = scale.max() ?? 0
            for bar in bars {
                #expect(abs(bar.length - unit * bar.value) <= 1.0, "\(name): \(bar.value) drawn \(bar.length) px at \(unit) px per unit")
            }
        }
    }

    @Test("a known-at report reproduces an earlier one byte for byte but for when it was made; Korean and English carry the same figures")
    func reproducible() async throws {
        let (daemon, head) = try await DaemonProcess.seeded("report_known_at")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let first = try Self.report(daemon, ["--lang", "en", "--min-position", String(head)])
        let recorded = try daemon.cli(["company", "register", "--code", "M", "--name", "M기업 (후발)", "--industry", "금형"])
        #expect(recorded.status == 0)
        let again = try Self.report(daemon, ["--lang", "en", "--known-at", String(head)])
        let now = try Self.report(daemon, ["--lang", "en", "--min-position", String(head + 1)])
        func differing(_ a: String, _ b: String) -> [Substring] {
            zip(a.split(separator: "\n"), b.split(separator: "\n")).filter { $0 != $1 }.map(\.0)
        }
        #expect(first.split(separator: "\n").count == again.split(separator: "\n").count)
        // Made in the same second, the two are equal; otherwise only the line naming when differs.
        let changed = differing(first, again)
        #expect(changed.allSatisfy { $0.contains("data-fact=\"madeAt\"") }, "\(changed)")
        #expect(differing(first, now).count > 1, "the report of now counts the new company")

        let korean = try Self.report(daemon, ["--lang", "ko", "--known-at", String(head)])
        let values = try Regex(#"data-(?:value|measure|engagement|pattern)="([^"]*)""#)
        func figures(_ html: String) -> [String] { html.matches(of: values).map { String($0.output[1].substring!) } }
        #expect(figures(korean) == figures(first) && figures(first).count > 100)
        #expect(korean.contains("<title>기술지도 사업 성과 보고서</title>") && korean.contains("<h2>사례표</h2>"))
        for name in SeedCases.cases.map(\.name) { #expect(korean.contains(name) && first.contains(name)) }

        // Narrowed: every figure counts the one engagement of 2016 in 금형 (case J), as the narrowed views do.
        let narrowed = try Self.report(daemon, ["--lang", "en", "--known-at", String(head), "--year", "2016", "--industry", "금형"])
        let rows = try Regex(#"<tr data-engagement="([^"]*)"><td><span class="name">"#)
        let caseTable = narrowed[narrowed.firstRange(of: "<section id=\"cases\">")!.lowerBound..<narrowed.firstRange(of: "<section id=\"patterns\">")!.lowerBound]
        #expect(caseTable.matches(of: rows).map { String($0.output[1].substring!) } == ["case-j"])
        #expect(narrowed.contains(#"<section class="pattern" data-pattern="productionStabilisation">"#))
        #expect(narrowed.contains(#"id="selection">Narrowed to program year 2016, industry 금형"#))
        let summary = try Self.view(daemon, ["summary", "--year", "2016", "--industry", "금형", "--known-at", String(head)])
        #expect(summary.first { $0["measure"] == "engagements" }?["value"]?.numberValue?.canonicalText == "1")
        for row in summary {
            let measure = row["measure"]?.stringValue ?? ""
            let value = row["value"]?.numberValue?.canonicalText ?? ""
            #expect(narrowed.contains(#"data-measure="\#(measure)" data-value="\#(value)""#), "\(measure) \(value)")
        }
        #expect(!narrowed.contains(#"data-category="2015""#) && narrowed.contains(#"data-category="2016""#), "the years chart has 2016 alone")

        // Korean by default for a Korean locale.
        let path = FileManager.default.temporaryDirectory.path + "/shido-report-\(UUID().uuidString).html"
        defer { unlink(path) }
        let byLocale = try Spawn.run(
            Spawn.product("shido"), ["report", "--known-at", String(head), "--output", path, "--socket", daemon.socket],
            environment: ["LANG": "ko_KR.UTF-8"], unsetting: ["LC_ALL", "LC_MESSAGES"])
        #expect(byLocale.status == 0, "\(byLocale.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("<html lang=\"ko\">"))
    }

    @Test("PDF: A4 pages through headless Chromium; without one, a message saying how, and no file")
    func pdf() async throws {
        let daemon = try await DaemonProcess.onTestCluster("report_pdf").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let path = FileManager.default.temporaryDirectory.path + "/shido-report-\(UUID().uuidString).pdf"
        defer { unlink(path) }
        _ = try Chromium.path()
        let printed = try daemon.cli(["report", "--lang", "ja", "--output", path])
        #expect(printed.status == 0, "\(printed.stderr)")
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        let pages = text.matches(of: try Regex(#"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]"#)).map { match in
            (Double(match.output[1].substring!) ?? 0, Double(match.output[2].substring!) ?? 0)
        }
        #expect(!pages.isEmpty && pages.allSatisfy { abs($0.0 - 595.28) < 1 && abs($0.1 - 841.89) < 1 }, "A4 is 595 × 842 points: \(pages)")
        unlink(path)

        let missing = try Spawn.run(
            Spawn.product("shido"), ["report", "--output", path, "--socket", daemon.socket], environment: ["PATH": "/nonexistent"],
            unsetting: ["SHIDO_CHROMIUM"])
        #expect(missing.status == 69)
        #expect(missing.stderr.contains("apt-get install chromium") && missing.stderr.contains("--output report.html"))
        #expect(!FileManager.default.fileExists(atPath: path))

        for bad in [["--year", "99999"], ["--lang", "fr"], ["--as-of", "2016-13-01"], ["--known-at", "99999"]] {
            let refused = try daemon.cli(["report", "--output", path] + bad)
            #expect(refused.status == 64 || refused.status == 65, "\(bad): \(refused.status) \(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path), "\(bad) wrote nothing")
        }
    }
}
