import Foundation

/// The projections' SQL files (`Sources/Projections/SQL/*.sql`), embedded at build time.
enum ProjectionSQL {
    private static let files: [String: String] = Dictionary(uniqueKeysWithValues: EmbeddedSQL.files.map { file in
        (String(file.name.dropLast(".sql".count)), String(decoding: Data(base64Encoded: file.base64) ?? Data(), as: UTF8.self))
    })

    /// The text of `NAME.sql`; a missing file is a build mistake, caught by every test.
    static func text(_ name: String) -> String {
        guard let text = files[name] else { preconditionFailure("no SQL file \(name).sql in the Projections target") }
        return text
    }

}
