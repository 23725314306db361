/// A JSON number, kept as its decimal literal so that no precision is lost.
///
/// Guarantees: the literal follows JSON's grammar, has at most `maxSignificantDigits`
/// digits and an exponent within ±`maxExponent`; `canonicalText` is exactly what
/// PostgreSQL prints for the same number inside `jsonb` (its `numeric` output: no exponent,
/// the input's scale kept, no negative zero). Two numbers are equal when their canonical
/// texts are (so `1.0` and `1.00` differ, as they do in `jsonb`).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    public static let maxSignificantDigits = 40
    /// Wide enough for every finite double (4.9e-324 … 1.8e308), which JSON writers emit.
    public static let maxExponent = 400

    public let literal: String
    public let canonicalText: String

    /// Validates a literal; nil when it is not a JSON number within the limits.
    public init?(literal: String) {
        guard let parts = NumberParts(literal), let canonical = parts.canonicalText else { return nil }
        self.literal = literal
        self.canonicalText = canonical
    }

    public init(_ value: Int) {
        literal = String(value)
        canonicalText = literal
    }

    /// A finite double, written with Swift's shortest round-tripping form.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        self.init(literal: text)
    }

    public var description: String { canonicalText }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.canonicalText == rhs.canonicalText }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalText) }

    /// The value as an integer, when it is one and fits.
    public var int64Value: Int64? {
        if let exact = Int64(canonicalText) { return exact }
        guard let point = canonicalText.firstIndex(of: ".") else { return nil }
        guard canonicalText[canonicalText.index(after: point)...].allSatisfy({ $0 == "0" }) else { return nil }
        return Int64(canonicalText[..<point])
    }

    public var doubleValue: Double { Double(canonicalText) ?? .nan }
}

/// The pieces of a JSON number literal: sign, digits and where the decimal point falls.
struct NumberParts {
    var negative = false
    var digits: [UInt8] = []  // all digits of the integer and fraction parts, in order
    var fractionDigits = 0
    var exponent = 0

    init?(_ literal: String) {
        var bytes = Array(literal.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        guard let integer = Self.takeDigits(&bytes), integer.count == 1 || integer.first != UInt8(ascii: "0") else {
            return nil
        }
        digits = Array(integer)
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard let fraction = Self.takeDigits(&bytes) else { return nil }
            digits += fraction
            fractionDigits = fraction.count
        }
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard let exponentDigits = Self.takeDigits(&bytes), exponentDigits.count <= 4 else { return nil }
            let magnitude = exponentDigits.reduce(0) { $0 * 10 + Int($1 - 48) }
            exponent = exponentNegative ? -magnitude : magnitude
        }
        guard bytes.isEmpty, abs(exponent) <= JSONNumber.maxExponent else { return nil }
        let significant = digits.drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= JSONNumber.maxSignificantDigits,
              fractionDigits <= JSONNumber.maxSignificantDigits + JSONNumber.maxExponent
        else { return nil }
    }

    private static func takeDigits(_ bytes: inout ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let run = bytes.prefix { (48...57).contains($0) }
        guard !run.isEmpty else { return nil }
        bytes = bytes.dropFirst(run.count)
        return run
    }

    /// PostgreSQL's numeric output: display scale = max(0, fraction digits − exponent).
    var canonicalText: String? {
        let scale = max(0, fractionDigits - exponent)
        let pointIndex = digits.count - fractionDigits + exponent  // digits before the point
        var integerPart: [UInt8] = []
        var fractionPart: [UInt8] = []
        for (index, digit) in digits.enumerated() {
            if index < pointIndex { integerPart.append(digit) } else { fractionPart.append(digit) }
        }
        if pointIndex > digits.count { integerPart += Array(repeating: UInt8(ascii: "0"), count: pointIndex - digits.count) }
        if pointIndex < 0 { fractionPart = Array(repeating: UInt8(ascii: "0"), count: -pointIndex) + fractionPart }
        fractionPart = Array(fractionPart.prefix(scale))
        fractionPart += Array(repeating: UInt8(ascii: "0"), count: scale - fractionPart.count)
        let trimmedInteger = integerPart.drop { $0 == UInt8(ascii: "0") }
        let isZero = digits.allSatisfy { $0 == UInt8(ascii: "0") }
        var text = (negative && !isZero) ? "-" : ""
        text += trimmedInteger.isEmpty ? "0" : String(decoding: trimmedInteger, as: UTF8.self)
        if scale > 0 { text += "." + String(decoding: fractionPart, as: UTF8.self) }
        return text
    }
}
