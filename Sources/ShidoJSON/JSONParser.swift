/// Why a JSON text was refused, and where.
///
/// Guarantees: `pointer` is an RFC 6901 JSON pointer to the offending member or element
/// ("" for the document itself) and `offset` the byte where the problem was seen.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public let pointer: String
    public let offset: Int
    public let message: String

    public var description: String {
        "invalid JSON at \(pointer.isEmpty ? "the document" : pointer) (byte \(offset)): \(message)"
    }
}

/// A strict JSON parser (RFC 8259) with the extra rules a tamper-evident log needs.
///
/// Guarantees: it refuses invalid UTF-8, duplicate object keys, lone surrogate escapes,
/// `\u0000` (PostgreSQL text cannot hold it), raw control characters in strings, numbers
/// outside `JSONNumber`'s limits, nesting deeper than `maxDepth`, and anything after the
/// value. What it accepts, PostgreSQL's `jsonb` accepts with the same meaning.
public struct JSONParser {
    public static let maxDepth = 64

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { bytes in Result { () throws(JSONParseError) in try parse(bytes: bytes) } }
        return try result.get()
    }

    /// UTF-8 is checked where it can occur, inside strings, as each becomes a `String` (a
    /// byte above 0x7F anywhere else is not JSON at all): no second pass over the text.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer in Result { () throws(JSONParseError) in try parse(bytes: buffer) } }
        return try result.get()
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.error("unexpected content after the JSON value") }
        return value
    }
}

/// The cursor and the path to the current value, for error pointers.
private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var path: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ message: String) -> JSONParseError {
        JSONParseError(pointer: JSONPointer(path).text, offset: index, message: message)
    }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("unexpected character '\(Unicode.Scalar(byte))', expected a value")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count,
              bytes[index..<index + expected.count].elementsEqual(expected)
        else { throw error("invalid literal, expected \(word)") }
        index += expected.count
    }

    private mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let key = try readString()
            path.append(key)
            guard members[key] == nil else { throw error("duplicate member name \"\(key)\"") }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after the member name") }
            index += 1
            skipWhitespace()
            members[key] = try readValue(depth: depth)
            path.removeLast()
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            path.append(String(elements.count))
            elements.append(try readValue(depth: depth))
            path.removeLast()
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        while let byte = current, Self.isNumberByte(byte) { index += 1 }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = JSONNumber(literal: literal) else {
            index = start
            throw error("'\(literal)' is not a JSON number within limits (at most \(JSONNumber.maxSignificantDigits) digits, exponent within ±\(JSONNumber.maxExponent))")
        }
        return number
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// Most strings hold no escape: they become a `String` straight from their bytes; one
    /// that does is assembled as UTF-8 bytes, then decoded once.
    private mutating func readString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var unescaped: [UInt8]?
        var runStart = index
        while true {
            guard let byte = current else { throw error("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                let text: String?
                if var assembled = unescaped {
                    assembled.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    text = String(validating: assembled, as: UTF8.self)
                } else {
                    text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                guard let text else { throw error("the string is not valid UTF-8") }
                index += 1
                return text
            }
            if byte < 0x20 { throw error("raw control character U+00\(String(byte, radix: 16)) in a string; escape it") }
            if byte == UInt8(ascii: "\\") {
                var assembled = unescaped ?? []
                assembled.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                assembled.append(contentsOf: Array(String(try readEscape()).utf8))
                unescaped = assembled
                runStart = index
                continue
            }
            index += 1
        }
    }

    private mutating func readEscape() throws(JSONParseError) -> Unicode.Scalar {
        index += 1
        guard let byte = current else { throw error("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try readUnicodeEscape()
        default: index -= 1; throw error("invalid escape '\\\(Unicode.Scalar(byte))'")
        }
    }

    private mutating func readUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try readHex4()
        if first == 0 { throw error("\\u0000 is not allowed: PostgreSQL text cannot hold NUL") }
        if (0xDC00...0xDFFF).contains(first) { throw error("lone low surrogate \\u\(String(first, radix: 16))") }
        guard (0xD800...0xDBFF).contains(first) else { return Unicode.Scalar(first)! }
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
            throw error("lone high surrogate \\u\(String(first, radix: 16))")
        }
        index += 2
        let second = try readHex4()
        guard (0xDC00...0xDFFF).contains(second) else { throw error("high surrogate not followed by a low surrogate") }
        return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 65...70: digit = UInt32(byte - 55)
            case 97...102: digit = UInt32(byte - 87)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
