import Foundation
import Glibc
@testable import TerminalOutput
import Testing
import TestSupport

@Suite("Display width")
struct DisplayWidthTests {
    static let samples = [
        "", "abc", "A기업", "한국정밀 株式会社", "金型設計の改善", "ｱｲｳ", "ＡＢＣ", "가나다라마바사", "café", "cafe\u{301}",
        "\u{1112}\u{1161}\u{11AB}국", "😀", "👍🏽", "❤️", "👨‍👩‍👧", "🇰🇷🇯🇵", "1️⃣", "Ω≈ç√", "「改善」、。", "〜ー…", "α β γ",
        "월 5,000개 이상", "サンプル株式会社", "漢字かなカナ", "a\u{200B}b",
    ]

    @Test("agrees with Python's wcwidth on Korean, Japanese, fullwidth, combining and emoji text")
    func matchesOracle() throws {
        let expected = try PythonWcwidth.widths(Self.samples)
        for (text, width) in zip(Self.samples, expected) {
            #expect(DisplayWidth.of(text) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("agrees on 500 generated mixtures")
    func matchesOracleOnMixtures() throws {
        let alphabet = Array("aZ9 .-한국어金型かなカナｶﾅＡ１é\u{301}😀❤️👍🏽「」、・ー")
        var generator = SystemRandomNumberGenerator()
        let texts = (0..<500).map { _ in String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
        let expected = try PythonWcwidth.widths(texts)
        for (text, width) in zip(texts, expected) {
            #expect(DisplayWidth.of(text) == width, "\(text)")
        }
    }
}

@Suite("Tables, CSV, output formats")
struct TextTableTests {
    @Test("columns line up by display width, numbers align right")
    func alignment() {
        var table = TextTable(columns: [.init("code"), .init("name"), .init("hours", .right), .init("note")])
        table.append(["A", "A기업 (환경분석)", "8.5", "센서"])
        table.append(["J", "J金型", "12", "金型設計"])
        table.append(["K", "Kei", "0.5", ""])
        let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines == [
            "code  name              hours  note",
            "----  ----------------  -----  --------",
            "A     A기업 (환경분석)    8.5  센서",
            "J     J金型                12  金型設計",
            "K     Kei                 0.5",
            "",
        ])
        // Whatever the script, the fourth column starts at the same terminal column.
        let header = lines[0].firstRange(of: "note")!.lowerBound
        let starts = [lines[2].firstRange(of: "센서")!.lowerBound, lines[3].firstRange(of: "金型設計")!.lowerBound]
        #expect(DisplayWidth.of(lines[2][..<starts[0]]) == DisplayWidth.of(lines[0][..<header]))
        #expect(DisplayWidth.of(lines[3][..<starts[1]]) == DisplayWidth.of(lines[0][..<header]))
    }

    @Test("cells stay on one line and long ones are cut at a cluster with an ellipsis")
    func fitting() {
        var table = TextTable(columns: [.init("text")])
        table.append(["line\nbreak\tand\u{7}bell"])
        table.append([String(repeating: "금형", count: 20)])
        let lines = table.render(width: 11).split(separator: "\n").map(String.init)
        #expect(lines[2] == "line break…")
        #expect(lines[3] == "금형금형금…")
        #expect(DisplayWidth.of(lines[3]) <= 11)
    }

    @Test("CSV quotes what needs quoting and keeps wide text as is")
    func csv() {
        #expect(CSVWriter.line(["A", "한국, 日本", "say \"hi\"", "two\nlines", ""]) == "A,\"한국, 日本\",\"say \"\"hi\"\"\",\"two\nlines\",\n")
    }

    @Test("table on a terminal, JSON otherwise; no decoration with NO_COLOR or off a terminal")
    func formats() {
        #expect(OutputFormat.default(standardOutputIsTerminal: true) == .table)
        #expect(OutputFormat.default(standardOutputIsTerminal: false) == .json)
        #expect(OutputFormat.decorationsAllowed(isTerminal: true, environment: [:]))
        #expect(!OutputFormat.decorationsAllowed(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!OutputFormat.decorationsAllowed(isTerminal: false, environment: [:]))
    }
}

@Suite("Tables cut to the terminal's width")
struct TableWidthTests {
    @Test("the widest columns are cut first, to a common cap; what is left goes to the cut ones")
    func share() {
        #expect(TextTable.share(30, among: [10, 50, 5]) == [10, 15, 5])
        #expect(TextTable.share(31, among: [10, 50, 5]) == [10, 16, 5])
        #expect(TextTable.share(20, among: [30, 30]) == [10, 10])
        #expect(TextTable.share(100, among: [30, 30]) == [30, 30], "nothing is cut when the table fits")
        #expect(TextTable.share(6, among: [30, 30, 2]) == [8, 8, 2], "a column keeps 8 columns")
        #expect(TextTable.share(20, among: [3, 30, 30]) == [3, 9, 8], "a narrow column is not widened")
    }

    @Test("every line fits the width by Python's wcwidth, every cut cell is a prefix and …; columns line up", arguments: [20, 40, 60, 80, 120])
    func fitsTerminal(width: Int) throws {
        let alphabet = Array("aZ9 .-한국어金型かなカナｶﾅＡ１é\u{301}😀❤️👍🏽「」、・ー")
        var generator = SeededGenerator(seed: UInt64(width))
        var table = TextTable(columns: [.init("engagement"), .init("회사"), .init("hours", .right), .init("engineer"), .init("note")])
        var cells: [[String]] = []
        for _ in 0..<30 {
            let row = (0..<5).map { _ in String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
            cells.append(row)
            table.append(row)
        }
        let lines = table.render(width: width).split(separator: "\n").map(String.init)
        let measured = try PythonWcwidth.widths(lines)
        #expect(measured.allSatisfy { $0 <= width }, "wider than \(width): \(zip(measured, lines).filter { $0.0 > width }.prefix(3))")
        #expect(lines.count == 32)
        // The rule under the header shows each column's width; every row's cells start where the rule's dashes do.
        let widths = lines[1].split(separator: " ", omittingEmptySubsequences: true).map(\.count)
        #expect(widths.count == table.layout(width: width).shown && widths.count >= 2)
        for (row, line) in zip(cells, lines.dropFirst(2)) {
            var start = 0
            for (index, cell) in row.prefix(widths.count).enumerated() {
                let shown = TextTable.fit(cell, widths[index])
                let flat = TextTable.fit(cell, .max)
                #expect(shown == flat || (shown.hasSuffix("…") && flat.hasPrefix(shown.dropLast())), "\(shown) cuts \(flat)")
                let offset = table.columns[index].alignment == .right ? widths[index] - DisplayWidth.of(shown) : 0
                // Lines carry no trailing spaces.
                let visible = index == widths.count - 1 ? shown.replacing(#/ +$/#, with: "") : shown
                #expect(visible.isEmpty || Self.text(atColumn: start + offset, of: line)?.hasPrefix(visible) == true, "column \(index) at \(start + offset): \(shown.debugDescription) in \(line.debugDescription) widths \(widths)")
                start += widths[index] + 2
            }
        }
    }

    /// The line from the character that starts at terminal column `column`, nil when a wide character covers it.
    static func text(atColumn column: Int, of line: String) -> Substring? {
        var width = 0
        for index in line.indices {
            if width == column { return line[index...] }
            if width > column { return nil }
            width += DisplayWidth.of(line[index])
        }
        return width == column ? line[line.endIndex...] : nil
    }

    @Test("cut only on a terminal and without --wide; COLUMNS first, then the terminal, then 80")
    func decision() {
        #expect(OutputFormat.tableWidth(standardOutputIsTerminal: false, wide: false, environment: ["COLUMNS": "50"], terminalColumns: 50) == nil)
        #expect(OutputFormat.tableWidth(standardOutputIsTerminal: true, wide: true, environment: [:], terminalColumns: 50) == nil)
        #expect(OutputFormat.tableWidth(standardOutputIsTerminal: true, wide: false, environment: ["COLUMNS": "50"], terminalColumns: 100) == 50)
        #expect(OutputFormat.tableWidth(standardOutputIsTerminal: true, wide: false, environment: ["COLUMNS": "x"], terminalColumns: 100) == 100)
        #expect(OutputFormat.tableWidth(standardOutputIsTerminal: true, wide: false, environment: [:], terminalColumns: 0) == 80)
    }
}

/// A repeatable generator (SplitMix64), so a failing width shows the same table again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
