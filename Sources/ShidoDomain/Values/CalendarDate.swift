/// A calendar date with no time and no zone (`2014-03-31`): business dates are days.
///
/// Guarantees: a real Gregorian date in years 1900–2199; ordered; written `YYYY-MM-DD`.
public struct CalendarDate: Hashable, Sendable, Comparable, StringRepresentedValue, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(DecodingProblem) {
        guard (1900...2199).contains(year), (1...12).contains(month), (1...Self.daysIn(month, of: year)).contains(day) else {
            throw DecodingProblem(pointer: "", message: "\(year)-\(month)-\(day) is not a calendar date between 1900 and 2199")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init(_ text: String) throws(DecodingProblem) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw DecodingProblem(pointer: "", message: "'\(text)' is not a date in the form YYYY-MM-DD") }
        try self.init(year: year, month: month, day: day)
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
    public init(validating text: String) throws(DecodingProblem) { try self.init(text) }
    public var text: String { description }
    public var yearMonth: YearMonth { YearMonth(unchecked: year, month) }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day) }

}

/// A month (`2015-03`), for trade periods.
public struct YearMonth: Hashable, Sendable, Comparable, StringRepresentedValue, CustomStringConvertible {
    public let year: Int
    public let month: Int

    init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init(_ text: String) throws(DecodingProblem) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), (1900...2199).contains(year), (1...12).contains(month)
        else { throw DecodingProblem(pointer: "", message: "'\(text)' is not a month in the form YYYY-MM") }
        self.init(unchecked: year, month)
    }

    public init(validating text: String) throws(DecodingProblem) { try self.init(text) }
    public var text: String { description }
    public var firstDay: CalendarDate { try! CalendarDate(year: year, month: month, day: 1) }
    public var lastDay: CalendarDate { try! CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month, of: year)) }
    public var description: String { pad(year, 4) + "-" + pad(month, 2) }
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
