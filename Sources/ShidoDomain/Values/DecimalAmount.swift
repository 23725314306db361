/// A non-negative decimal amount written as a string (`"12500000.00"`), so that money and
/// quantities are never rounded through binary floating point.
///
/// Guarantees: digits with at most one `.`, at most 15 integer and 4 fraction digits, no
/// sign, no exponent; `text` is kept as given (trailing zeros included) and `value` is its
/// number for comparisons.
public struct DecimalAmount: Hashable, Sendable, StringRepresentedValue, Comparable, CustomStringConvertible {
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

    public init(validating text: String) throws(DecodingProblem) { try self.init(text) }
    public var value: Double { Double(text)! }
    public var isZero: Bool { value == 0 }
    public var description: String { text }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

}
