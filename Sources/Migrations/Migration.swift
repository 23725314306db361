import Crypto
import Foundation

/// One numbered SQL file from `Schema/`, as shipped inside the binary.
///
/// Guarantees: `sql` is the file's exact content and `sha256` its lower-case hex digest.
public struct Migration: Sendable, Hashable {
    public let name: String
    public let sql: String
    public let sha256: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        self.sha256 = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The number a file name starts with (`0007_x.sql` → 7), or nil.
    var number: Int? {
        Int(name.prefix { $0.isNumber })
    }
}

extension Migration {
    /// The migrations embedded from `Schema/*.sql` at build time, in order.
    public static let embedded: [Migration] = EmbeddedSchema.files.map { file in
        let bytes = Data(base64Encoded: file.base64) ?? Data()
        return Migration(name: file.name, sql: String(decoding: bytes, as: UTF8.self))
    }
}
