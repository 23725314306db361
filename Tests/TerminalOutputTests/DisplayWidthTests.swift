import Foundation
import Glibc
import TerminalOutput
import Testing

/// Python's `wcwidth` package as the oracle: it reads a JSON list of strings and prints
/// `wcswidth` of each, one per line.
enum PythonWcwidth {
    static func widths(_ texts: [String]) throws -> [Int] {
        let directory = FileManager.default.temporaryDirectory.path
        let input = directory + "/shido-wcwidth-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        try JSONSerialization.data(withJSONObject: texts).write(to: URL(fileURLWithPath: input))
        defer { unlink(input) }
        let script = "import json,sys,wcwidth; [print(wcwidth.wcswidth(t)) for t in json.load(open(sys.argv[1]))]"
        guard let pipe = popen("python3 -c '\(script)' '\(input)' 2>&1", "r") else { throw OracleError(output: "popen failed") }
        var bytes: [UInt8] = []
        while case let next = fgetc(pipe), next != EOF { bytes.append(UInt8(truncatingIfNeeded: next)) }
        let output = String(decoding: bytes, as: UTF8.self)
        let status = pclose(pipe)
        let lines = output.split(separator: "\n").map(String.init)
        guard status == 0, lines.count == texts.count else {
            throw OracleError(output: "python3 with the wcwidth package is needed (make test installs it): \(output.prefix(500))")
        }
        return lines.compactMap { Int($0) }
    }

    struct OracleError: Error, CustomStringConvertible {
        let output: String
        var description: String { output }
    }
}

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
        let lines = table.render(maxCellWidth: 11).split(separator: "\n").map(String.init)
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
