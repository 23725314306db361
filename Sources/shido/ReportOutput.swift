#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where a report goes: stdout, an HTML file, or a PDF printed by headless Chromium.
enum ReportOutput {
    /// The browsers tried, in order, for PDF (SHIDO_CHROMIUM first when set).
    static let browsers = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    static func write(_ html: String, to destination: String) throws {
        if destination == "-" { return Terminal.out(html) }
        if destination.lowercased().hasSuffix(".pdf") { return try printPDF(html, to: destination) }
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: destination), options: .atomic)
        } catch {
            throw Failure(message: "cannot write \(destination): \(error.localizedDescription)", code: Exit.usage)
        }
    }

    /// Prints the HTML to A4 PDF with headless Chromium (its own print engine: the page's @page rules apply).
    private static func printPDF(_ html: String, to destination: String) throws {
        guard let browser = findBrowser() else {
            throw Failure(
                message: "printing PDF needs Chromium, and none is installed (apt-get install chromium, or set SHIDO_CHROMIUM); "
                    + "or write --output report.html and print it to PDF from any browser",
                code: Exit.unavailable)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("shido-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let page = scratch.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: page)
        let target = URL(fileURLWithPath: destination).standardizedFileURL.path
        var arguments = [
            "--headless", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(scratch.path)/profile",
            "--print-to-pdf=\(target)", page.absoluteString,
        ]
        // Chromium refuses to run as root with its sandbox; the page is ours and has no script.
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        if Terminal.decorations { Terminal.note("printing \(destination) with \(browser)…") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: target) else {
            let lines = String(decoding: said, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " / ")
            throw Failure(message: "\(browser) did not print \(destination) (exit \(process.terminationStatus)): \(lines)", code: Exit.serverError)
        }
    }

    private static func findBrowser() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["SHIDO_CHROMIUM"], !chosen.isEmpty { return chosen }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in browsers {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }
}
