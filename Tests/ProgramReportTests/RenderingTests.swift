import Foundation
import ProgramReport
import ShidoJSON
import Testing

/// A small report source written by hand: two engagements, one with a name that is HTML.
enum SampleSource {
    static func make(madeAt: String = "2026-12-06T00:00:00Z", company: String = "<b>J金型</b> & \"주식회사\"") throws -> ReportSource {
        func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
        let engagement = #"{"engagement": "case-j", "companyName": \#(JSONValue.string(company).canonicalText), "products": ["사출 금형"], "engineerName": "山田 太郎", "guidanceFields": ["금형 설계"], "start": "2014-04-01", "completed": null, "status": "active", "sessions": 2, "hours": 8.5, "outcomes": ["원가 10% 절감"], "trade": ["koreaToJapan 1234567.5 JPY"], "patterns": ["productionStabilisation"]}"#
        return ReportSource(
            summary: try parse(#"{"position": 9, "rows": [{"measure": "engagements", "value": 1}, {"measure": "hours", "value": 8.5}, {"measure": "outcomes costReduction", "value": 1}, {"measure": "trade koreaToJapan JPY", "value": 1234567.5}, {"measure": "pattern productionStabilisation", "value": 1}]}"#),
            engagements: try parse(#"{"rows": [\#(engagement)]}"#),
            patterns: try parse(#"{"rows": [{"pattern": "productionStabilisation", "engagements": 1, "trade": ["koreaToJapan 1234567.5 JPY"], "cases": [{"engagement": "case-j", "company": "J", "flows": [{"direction": "koreaToJapan", "from": "2015-01-01", "to": "2015-01-31", "product": "금형", "counterparty": "株式会社サンプル", "value": 1234567.5, "currency": "JPY"}], "outcomes": [{"date": "2014-12-01", "kind": "costReduction", "description": "원가 10% 절감"}]}]}, {"pattern": "neither", "engagements": 0, "trade": [], "cases": []}]}"#),
            trade: try parse(#"{"rows": [{"period": "2015", "industry": "금형", "currency": "JPY", "koreaToJapan": 1234567.5, "japanToKorea": 0, "balance": 1234567.5, "flows": 1}, {"period": "2016", "industry": "금형", "currency": "JPY", "koreaToJapan": 1, "japanToKorea": 2, "balance": -1, "flows": 2}, {"period": "2016", "industry": "화학", "currency": "JPY", "koreaToJapan": 0.1, "japanToKorea": 0.2, "balance": -0.1, "flows": 2}]}"#),
            years: try parse(#"{"rows": [{"year": 2014, "started": 3, "completed": 1}, {"year": 2015, "started": 0, "completed": 2}]}"#),
            industries: try parse(#"{"rows": [{"industry": "금형", "engagements": 1, "outcomes": 1}]}"#),
            engineers: try parse(#"{"rows": [{"name": "山田 太郎", "engineer": "yamada-t", "specialty": "金型設計", "engagements": 1, "companies": 1, "sessions": 2, "hours": 8.5, "outcomes": 1}]}"#),
            companies: try parse(#"{"rows": [{"company": "J", "name": "J金型", "industry": "금형", "engagements": 1, "engineers": 1, "outcomes": 1, "trade": ["koreaToJapan 1234567.5 JPY"]}]}"#),
            stamp: ReportStamp(
                asOf: nil, position: 9, headHash: String(repeating: "ab", count: 32), checkpoint: "origin\n9\nroot=\n\n— origin sig\n",
                year: nil, industry: nil, madeAt: madeAt, madeBy: "root (uid 0)"))
    }
}

@Suite("The report document")
struct RenderingTests {
    @Test("recorded text is escaped once and otherwise exactly as recorded; no script, no external reference")
    func escaping() throws {
        let html = ProgramReport.html(try SampleSource.make(), language: .en)
        #expect(html.contains("&lt;b&gt;J金型&lt;/b&gt; &amp; &quot;주식회사&quot;"))
        #expect(!html.contains("<b>J金型"))
        #expect(html.contains("山田 太郎") && html.contains("株式会社サンプル"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    }

    @Test("numbers are grouped, decimals kept, trade summed exactly per year over industries")
    func numbers() throws {
        let html = ProgramReport.html(try SampleSource.make(), language: .en)
        #expect(html.contains("Korea→Japan 1,234,567.5 JPY"))
        // 2016: 1 + 0.1 and 2 + 0.2, in decimal (binary floating point would give 2.2000000000000002).
        #expect(html.contains(#"data-series="koreaToJapan" data-value="1.1""#))
        #expect(html.contains(#"data-series="japanToKorea" data-value="2.2""#))
        #expect(html.contains(#"data-series="balance" data-value="-1.1""#))
        // Every chart (trade in JPY, years, industries) draws its zero line where its bars start.
        let axes = try Regex(#"<line class="axis" x1="[0-9.]+" y1="[0-9.]+" x2="[0-9.]+" y2="[0-9.]+"/>"#)
        #expect(html.matches(of: axes).count == 3)
    }

    @Test("the same source renders the same bytes; only the line naming when it was made differs")
    func deterministic() throws {
        let first = ProgramReport.html(try SampleSource.make(madeAt: "2026-01-01T00:00:00Z"), language: .ko)
        let again = ProgramReport.html(try SampleSource.make(madeAt: "2026-01-01T00:00:00Z"), language: .ko)
        let later = ProgramReport.html(try SampleSource.make(madeAt: "2026-02-02T00:00:00Z"), language: .ko)
        #expect(first == again)
        let differing = zip(first.split(separator: "\n"), later.split(separator: "\n")).filter { $0 != $1 }
        #expect(differing.count == 1 && differing.first?.0.contains("2026-01-01T00:00:00Z") == true)
    }

    @Test("each language's headings come from its catalogue; the figures are the same")
    func languages() throws {
        let source = try SampleSource.make()
        let pages = ReportLanguage.allCases.map { ($0, ProgramReport.html(source, language: $0)) }
        let values = try Regex(#"data-value="([^"]*)""#)
        let figures = pages.map { page in page.1.matches(of: values).map { String($0.output[1].substring!) } }
        #expect(figures.allSatisfy { $0 == figures[0] } && figures[0].count > 10)
        for (language, page) in pages {
            #expect(page.contains("<title>\(MessageCatalogue(language)["title"])</title>"))
            #expect(page.contains("lang=\"\(language.rawValue)\""))
        }
    }
}

@Suite("Bar charts")
struct BarChartTests {
    static func chart(_ values: [[String]], _ orientation: BarChart.Orientation = .vertical) -> BarChart {
        BarChart(
            orientation: orientation, categories: values.indices.map { "c\($0)" },
            series: [.init(key: "a", label: "A", style: "s0"), .init(key: "b", label: "B", style: "s1")], values: values, text: { $0 },
            tickText: { $0 })
    }

    @Test("bar lengths are proportional to the values, on one scale ending at or above the largest", arguments: [
        [["6000000", "1000000"], ["0", "2500000"]], [["3", "1"], ["2", "0"]], [["0.2", "0.15"], ["0.05", "0"]], [["0", "0"]],
    ])
    func proportional(values: [[String]]) {
        for orientation in [BarChart.Orientation.vertical, .horizontal] {
            let chart = Self.chart(values, orientation)
            let lengths = chart.bars.map { orientation == .vertical ? $0.height : $0.width }
            let numbers = chart.bars.map { Double($0.value)! }
            let top = Double(chart.ticks.last!.text)!
            #expect(top >= numbers.max()! && chart.ticks.count <= 6 && chart.ticks.count >= 2)
            let full = orientation == .vertical ? chart.ticks.first!.y1 - chart.ticks.last!.y1 : chart.ticks.last!.x1 - chart.ticks.first!.x1
            for (length, number) in zip(lengths, numbers) {
                // Bars and ticks are each rounded to 0.1 of a unit.
                #expect(abs(length - full * number / top) <= 0.1 + 1e-9, "\(number) drawn \(length) of \(full) for \(top)")
            }
            #expect(chart.bars.allSatisfy { $0.x >= 0 && $0.x + $0.width <= BarChart.width && $0.y >= 0 && $0.y + $0.height <= chart.height })
        }
    }

    @Test("counts get whole ticks")
    func wholeTicks() {
        #expect(Self.chart([["3", "1"], ["2", "0"]]).ticks.map(\.text) == ["0", "1", "2", "3"])
        #expect(Self.chart([["12", "1"]]).ticks.map(\.text) == ["0", "5", "10", "15"])
    }
}
