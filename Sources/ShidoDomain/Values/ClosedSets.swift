/// A closed set of named values: decoding anything else fails with the list of valid values.
public protocol ClosedSet: RawRepresentable<String>, CaseIterable, Hashable, Sendable, Codable {}

extension ClosedSet {
    public static var validValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public static func parse(_ text: String) throws(DecodingProblem) -> Self {
        guard let value = Self(rawValue: text) else {
            throw DecodingProblem(pointer: "", message: "'\(text)' is not one of: \(validValues)")
        }
        return value
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Self.parse(text) } catch { throw DecodingProblem.at(decoder.codingPath, error.message) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What an engagement sets out to achieve (the program's goals).
public enum Goal: String, ClosedSet {
    case newProduct, costReduction, defectReduction, productivity, rdCapability, localisation, certification,
         training, exportMarket
}

/// What kind of result an outcome reports (covers the seed's 12 cases).
public enum OutcomeKind: String, ClosedSet {
    case defectRate, costReduction, salesGrowth, productivity, newProduct, localisation, certification, skills,
         qualityStandard, marketIntelligence, businessIntroduction

    /// Whether a metric of this kind improves when it goes down (defect rate, cost) or up.
    public var lowerIsBetter: Bool { self == .defectRate || self == .costReduction }
}

/// Where a guidance session took place.
public enum SessionFormat: String, ClosedSet {
    case onSite, remote, inJapan
}

/// Which way a trade flow went.
public enum TradeDirection: String, ClosedSet {
    case koreaToJapan, japanToKorea
}

/// How an outcome is known.
public enum Evidence: String, ClosedSet {
    case selfAssessed, verified
}

/// The report's two outcome patterns.
public enum OutcomePattern: String, ClosedSet {
    /// Production stabilises → the Japanese customer's competitiveness rises (a Korea→Japan flow).
    case productionStabilisation
    /// Sales grow → Japanese exports rise (a Japan→Korea flow).
    case salesToJapaneseExports
}
