import Foundation

/// The files of `Templates/` (Mustache templates, message catalogues, the style sheet),
/// embedded in the binary at build time so an installed `shido` needs nothing beside it.
public enum ReportTemplates {
    static let files: [String: String] = Dictionary(uniqueKeysWithValues: EmbeddedTemplates.files.map { file in
        (file.name, String(decoding: Data(base64Encoded: file.base64) ?? Data(), as: UTF8.self))
    })

    /// The names of the embedded files.
    public static var names: [String] { files.keys.sorted() }

    public static func text(_ name: String) -> String {
        guard let text = files[name] else { preconditionFailure("no Templates/\(name) in ProgramReport") }
        return text
    }
}
