/// A value written in JSON as one validated string (a date, an id, a currency code…).
///
/// Guarantees: decoding reads a JSON string and validates it with `init(validating:)`,
/// refusing with the field's JSON pointer; encoding writes `text` back unchanged.
public protocol StringRepresentedValue: Codable {
    init(validating text: String) throws(DecodingProblem)
    var text: String { get }
}

extension StringRepresentedValue {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(validating: text) } catch { throw DecodingProblem.at(decoder.codingPath, error.message) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
