import Foundation

/// SQL files a target embeds at build time (`SQL/*.sql`, see the embedding plugin), by name.
///
/// Guarantees: `text` is a file's exact content; a missing name is a build mistake, caught by
/// every test that runs the statement.
public struct SQLFiles: Sendable {
    private let files: [String: String]

    /// `embedded`: the generated `EmbeddedSQL.files` of the calling target.
    public init(_ embedded: [(name: String, base64: String)], target: String) {
        files = Dictionary(uniqueKeysWithValues: embedded.map { file in
            (String(file.name.dropLast(".sql".count)), String(decoding: Data(base64Encoded: file.base64) ?? Data(), as: UTF8.self))
        })
        self.target = target
    }

    private let target: String

    /// The text of `NAME.sql`.
    public func text(_ name: String) -> String {
        guard let text = files[name] else { preconditionFailure("no SQL file \(name).sql in the \(target) target") }
        return text
    }
}

/// The projections' SQL files (`Sources/Projections/SQL/*.sql`).
enum ProjectionSQL {
    private static let files = SQLFiles(EmbeddedSQL.files, target: "Projections")

    static func text(_ name: String) -> String { files.text(name) }
}
