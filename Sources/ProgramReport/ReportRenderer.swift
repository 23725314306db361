import Mustache

/// The program's performance as one self-contained HTML document: inline CSS and SVG, no
/// script, no external file, no network; it prints to A4.
///
/// Guarantees: the document is made from `source` and the language's catalogue only
/// (`ReportSource`'s guarantee: the same source gives the same bytes); every text from the
/// daemon is HTML-escaped, so recorded Korean and Japanese text appears exactly as recorded.
public enum ProgramReport {
    private static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for name in ReportTemplates.names where name.hasSuffix(".mustache") {
            do {
                try library.register(ReportTemplates.text(name), named: String(name.dropLast(".mustache".count)))
            } catch {
                preconditionFailure("Templates/\(name) does not parse: \(error)")
            }
        }
        return library
    }()

    public static func html(_ source: ReportSource, language: ReportLanguage) -> String {
        let page = ReportPage(source, MessageCatalogue(language))
        guard let html = library.render(page, withTemplate: "report") else { preconditionFailure("no Templates/report.mustache") }
        return html
    }
}
