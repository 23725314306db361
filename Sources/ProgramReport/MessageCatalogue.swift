import Foundation
import ShidoJSON

/// One language's words for the report, read from `Templates/messages.LANG.json` (embedded at
/// build time).
///
/// Guarantees: every catalogue has the same keys (a test compares them); asking for a key the
/// catalogue lacks is a programming mistake and stops the program, so no label is ever left
/// blank or untranslated silently. `{name}` placeholders are filled by `text(_:_:)`.
public struct MessageCatalogue: Sendable {
    public let language: ReportLanguage
    public let messages: [String: String]

    public init(_ language: ReportLanguage) {
        self.language = language
        messages = Self.load(language)
    }

    public subscript(key: String) -> String {
        guard let message = messages[key] else { preconditionFailure("messages.\(language.rawValue).json has no key \(key)") }
        return message
    }

    /// The message with each `{name}` replaced by its value.
    public func text(_ key: String, _ values: [String: String]) -> String { Self.fill(self[key], values) }

    /// `pattern` with each `{name}` whose name `values` holds replaced by its value; other text as it is.
    /// (Foundation's replacingOccurrences, once per value, took a sixth of a large report's time.)
    static func fill(_ pattern: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += values[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A label for a value of a closed set (`outcome_salesGrowth`), or the value itself when the
    /// catalogue has none (a value newer than this build).
    public func label(_ prefix: String, _ value: String) -> String { messages["\(prefix)_\(value)"] ?? value }

    private static func load(_ language: ReportLanguage) -> [String: String] {
        let text = ReportTemplates.text("messages.\(language.rawValue).json")
        guard let object = (try? JSONParser.parse(Array(text.utf8)))?.objectValue else {
            preconditionFailure("messages.\(language.rawValue).json is not a JSON object")
        }
        return object.compactMapValues(\.stringValue)
    }
}
