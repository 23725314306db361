/// An ISO 4217 currency code in use (`KRW`, `JPY`, `USD`…).
///
/// Guarantees: one of the active codes listed here; anything else is refused.
public struct Currency: Hashable, Sendable, StringRepresentedValue, Comparable, CustomStringConvertible {
    public let code: String

    public init(_ code: String) throws(DecodingProblem) {
        guard Self.active.contains(code) else {
            throw DecodingProblem(pointer: "", message: "'\(code)' is not an ISO 4217 currency code (e.g. KRW, JPY, USD, EUR)")
        }
        self.code = code
    }

    public static let active: Set<String> = Set("""
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF \
        CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG \
        HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA \
        MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD \
        RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX \
        USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
        """.split(separator: " ").map(String.init))

    public init(validating text: String) throws(DecodingProblem) { try self.init(text) }
    public var text: String { code }
    public var description: String { code }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }

}

/// An amount of money in one currency.
public struct Money: Hashable, Sendable, Codable {
    public let amount: DecimalAmount
    public let currency: Currency

    public init(amount: DecimalAmount, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }
}

/// A quantity with its unit (`5000 drums`, `12.5 t`).
public struct Quantity: Hashable, Sendable, Codable {
    public let amount: DecimalAmount
    public let unit: String

    public init(amount: DecimalAmount, unit: String) {
        self.amount = amount
        self.unit = unit
    }
}
