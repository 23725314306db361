/// A non-negative decimal amount written as a string (`"12500000.00"`), so that money and
/// quantities are never rounded through binary floating point.
///
/// Guarantees: digits with at most one `.`, at most 15 integer and 4 fraction digits, no
/// sign, no exponent; `text` is kept as given (trailing zeros included) and `value` is its
/// number for comparisons.
public struct DecimalAmount: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) throws(DecodingProblem) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let integer = parts.first, (1...15).contains(integer.count),
              integer.count == 1 || integer.first != "0",
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.count == 1 || (1...4).contains(parts[1].count)
        else {
            throw DecodingProblem(pointer: "", message: "'\(text)' is not a non-negative decimal such as \"1500\" or \"12.50\" (at most 15 digits before the point and 4 after)")
        }
        self.text = text
    }

    public var value: Double { Double(text)! }
    public var isZero: Bool { value == 0 }
    public var description: String { text }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch { throw DecodingProblem.at(decoder.codingPath, error.message) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
