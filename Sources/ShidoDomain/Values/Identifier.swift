/// An identifier chosen by program staff: a company code (`A`), an engineer id (`tanaka-h`),
/// an engagement, session, outcome or trade id.
///
/// Guarantees: 1–64 ASCII letters, digits, `.`, `_` or `-`, starting with a letter or a
/// digit, so it can stand in a stream name and a URL path unescaped.
public struct Identifier<Kind: IdentifierKind>: Hashable, Sendable, StringRepresentedValue, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(DecodingProblem) {
        guard Self.isValid(rawValue) else {
            throw DecodingProblem(pointer: "", message: "\(Kind.noun) '\(rawValue)' must be 1–64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        self.rawValue = rawValue
    }

    static func isValid(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= 64, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    public init(validating text: String) throws(DecodingProblem) { try self.init(text) }
    public var text: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// What an identifier names, for messages and stream names.
public protocol IdentifierKind: Sendable {
    static var noun: String { get }
}

public enum CompanyKind: IdentifierKind { public static let noun = "company code" }
public enum EngineerKind: IdentifierKind { public static let noun = "engineer id" }
public enum EngagementKind: IdentifierKind { public static let noun = "engagement id" }
public enum SessionKind: IdentifierKind { public static let noun = "session id" }
public enum OutcomeKindTag: IdentifierKind { public static let noun = "outcome id" }
public enum TradeKind: IdentifierKind { public static let noun = "trade id" }

public typealias CompanyCode = Identifier<CompanyKind>
public typealias EngineerID = Identifier<EngineerKind>
public typealias EngagementID = Identifier<EngagementKind>
public typealias SessionID = Identifier<SessionKind>
public typealias OutcomeID = Identifier<OutcomeKindTag>
public typealias TradeID = Identifier<TradeKind>
