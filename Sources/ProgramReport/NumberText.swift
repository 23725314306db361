import ShidoJSON

/// Numbers as a report prints them: digits grouped in threes with the catalogue's separators,
/// the fraction kept exactly as recorded, money with its currency.
///
/// Guarantees: the digits are the number's canonical decimal text (no rounding, no binary
/// floating point); only separators are added.
public struct NumberText: Sendable {
    let group: String
    let decimal: String
    let moneyPattern: String

    public init(_ catalogue: MessageCatalogue) {
        group = catalogue["number_group"]
        decimal = catalogue["number_decimal"]
        moneyPattern = catalogue["money"]
    }

    /// `1234567.5` → `1,234,567.5`.
    public func grouped(_ canonical: String) -> String {
        let negative = canonical.hasPrefix("-")
        let unsigned = negative ? canonical.dropFirst() : Substring(canonical)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var text = ""
        for (index, digit) in integer.enumerated() {
            if index > 0, (integer.count - index) % 3 == 0 { text += group }
            text.append(digit)
        }
        if parts.count == 2 { text += decimal + parts[1] }
        return (negative ? "-" : "") + text
    }

    public func grouped(_ number: JSONNumber) -> String { grouped(number.canonicalText) }

    public func money(_ canonical: String, _ currency: String) -> String {
        MessageCatalogue.fill(moneyPattern, ["amount": grouped(canonical), "currency": currency])
    }
}
