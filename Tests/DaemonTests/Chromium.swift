import Foundation
import ShidoJSON

/// A real browser for the report's tests: headless Chromium lays the document out, and a
/// script (report-facts.js) reports through the DOM what it drew.
enum Chromium {
    /// A4's text width at 96 CSS pixels per inch: 210 mm less the report's 15 mm margins.
    static let a4TextWidth = 680

    struct Missing: Error, CustomStringConvertible {
        var description: String { "headless Chromium is needed for the report's tests: `make deps` installs it (apt-get install chromium fonts-noto-cjk)" }
    }

    static func path() throws -> String {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        throw Missing()
    }

    /// Loads `html` at A4's text width and returns what report-facts.js found.
    static func facts(of html: String) throws -> JSONValue {
        let script = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("report-facts.js").path, encoding: .utf8)
        guard let end = html.range(of: "</body>", options: .backwards) else { throw DaemonFailure("the report has no </body>") }
        let page = html.replacingCharacters(in: end, with: "<script>\n\(script)\n</script>\n</body>")
        let dom = try run(page, ["--window-size=\(a4TextWidth),1200", "--dump-dom"])
        guard let start = dom.range(of: "<pre id=\"test-facts\">", options: .backwards), let stop = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw DaemonFailure("the browser's DOM has no facts: \(dom.suffix(300))")
        }
        let text = dom[start.upperBound..<stop.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONParser.parse(text)
    }

    /// Runs Chromium on `html` (written to a scratch folder with its own profile) with `arguments`; its stdout.
    static func run(_ html: String, _ arguments: [String]) throws -> String {
        let browser = try path()
        let scratch = FileManager.default.temporaryDirectory.path + "/shido-chromium-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data(html.utf8).write(to: URL(fileURLWithPath: scratch + "/page.html"))
        let result = try Spawn.run(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(scratch)/profile",
        ] + arguments + ["file://\(scratch)/page.html"])
        guard result.status == 0 else { throw DaemonFailure("chromium exited \(result.status): \(result.stderr.suffix(500))") }
        return result.stdout
    }
}
