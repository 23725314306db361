/// The rules every piece of text obeys: trimmed, non-empty where required, bounded, and
/// free of control characters (line breaks and tabs only in multi-line text).
enum TextRules {
    static func check(_ text: String, at field: String, maxCharacters: Int, multiline: Bool = false) throws(Rejection) -> String {
        let trimmed = trim(text)
        guard !trimmed.isEmpty else { throw Rejection(.textRequired, at: field, "must not be empty") }
        guard trimmed.count <= maxCharacters else {
            throw Rejection(.textTooLong, at: field, "is \(trimmed.count) characters long; at most \(maxCharacters) are allowed")
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\t"] : []
        if let bad = trimmed.unicodeScalars.first(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) {
            throw Rejection(.controlCharacter, at: field, "contains the control character U+\(String(bad.value, radix: 16, uppercase: true))")
        }
        return trimmed
    }

    static func optional(_ text: String?, at field: String, maxCharacters: Int, multiline: Bool = false) throws(Rejection) -> String? {
        guard let text, !trim(text).isEmpty else { return nil }
        return try check(text, at: field, maxCharacters: maxCharacters, multiline: multiline)
    }

    static func list(_ items: [String], at field: String, maxItems: Int, maxCharacters: Int, required: Bool) throws(Rejection) -> [String] {
        if required && items.isEmpty { throw Rejection(.listRequired, at: field, "needs at least one entry") }
        guard items.count <= maxItems else { throw Rejection(.listTooLong, at: field, "has \(items.count) entries; at most \(maxItems)") }
        var checked: [String] = []
        for (index, item) in items.enumerated() {
            checked.append(try check(item, at: "\(field)/\(index)", maxCharacters: maxCharacters))
        }
        return checked
    }

    /// Removes leading and trailing white space, the ideographic space (U+3000) included.
    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
