import Foundation
import HexEncoding

/// One bound parameter of a parameterised statement, in PostgreSQL's text format or, for
/// the types that build it (`BinaryArrayParameter`), in the binary one.
///
/// Guarantees: values only ever travel as parameters (`$1`, `$2`, …), never spliced into
/// SQL text, so no value can change the meaning of a statement.
public struct PostgresParameter: Sendable, Hashable {
    /// The text form, or nil for SQL NULL or a binary value.
    public let text: String?
    /// The binary form, when the value is sent as one.
    public let binary: [UInt8]?

    public init(text: String?) {
        self.text = text
        binary = nil
    }

    public init(binary: [UInt8]) {
        text = nil
        self.binary = binary
    }

    public static let null = PostgresParameter(text: nil)
}

/// A Swift value that can be bound as a statement parameter.
public protocol PostgresParameterEncodable {
    var postgresParameter: PostgresParameter { get }
}

extension String: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { .init(text: self) }
}

extension Int: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { .init(text: String(self)) }
}

extension Int32: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { .init(text: String(self)) }
}

extension Int64: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { .init(text: String(self)) }
}

extension Bool: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { .init(text: self ? "t" : "f") }
}

extension UUID: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { .init(text: lowercaseText) }
}

extension Optional: PostgresParameterEncodable where Wrapped: PostgresParameterEncodable {
    public var postgresParameter: PostgresParameter { self?.postgresParameter ?? .null }
}

/// Binary data bound as `bytea` (hex text form).
public struct ByteaParameter: PostgresParameterEncodable, Sendable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var postgresParameter: PostgresParameter { .init(text: "\\x" + Hex.encode(bytes)) }
}

/// A one-dimensional array bound as a PostgreSQL array literal (`text[]`, `uuid[]`, `bigint[]`…).
///
/// Guarantees: every element is quoted and escaped, so element text cannot break the literal.
public struct ArrayParameter: PostgresParameterEncodable, Sendable {
    public let elements: [PostgresParameter]

    public init<Element: PostgresParameterEncodable>(_ elements: [Element]) {
        self.elements = elements.map(\.postgresParameter)
    }

    public var postgresParameter: PostgresParameter {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { literal += "," }
            guard let text = element.text else { literal += "NULL"; continue }
            literal += "\""
            for scalar in text.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { literal += "\\" }
                literal.unicodeScalars.append(scalar)
            }
            literal += "\""
        }
        return .init(text: literal + "}")
    }
}

/// A one-dimensional array sent in binary form (`bigint[]`, `uuid[]`, `jsonb[]`…): no
/// quoting or escaping for the client, no text to parse for the server.
///
/// Guarantees: the header names the element type, so a statement whose parameter is of
/// another type refuses it instead of misreading it; every element is written by `write`
/// as exactly one field of that type.
public struct BinaryArrayParameter: PostgresParameterEncodable, Sendable {
    /// Element types by their PostgreSQL type OID.
    public enum ElementType: Int32, Sendable {
        case bytea = 17, int8 = 20, int4 = 23, text = 25, timestamptz = 1184, uuid = 2950, jsonb = 3802
    }

    public let postgresParameter: PostgresParameter

    public init<Values: Collection>(_ type: ElementType, _ values: Values, _ write: (inout BinaryFields, Values.Element) -> Void) {
        var fields = BinaryFields(reservingCapacity: 20 + values.count * 12)
        fields.appendInteger(Int32(values.isEmpty ? 0 : 1))  // dimensions
        fields.appendInteger(Int32(0))  // flags: no NULL elements
        fields.appendInteger(type.rawValue)
        if !values.isEmpty {
            fields.appendInteger(Int32(values.count))
            fields.appendInteger(Int32(1))  // lower bound
        }
        for value in values { write(&fields, value) }
        postgresParameter = PostgresParameter(binary: fields.bytes)
    }
}
