/// An RFC 6901 JSON pointer: `/engagement/goals/2`.
///
/// Guarantees: `~` and `/` inside a token are escaped as `~0` and `~1`; the empty pointer
/// names the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    public let tokens: [String]

    public init(_ tokens: [String] = []) { self.tokens = tokens }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens + [String(index)]) }

    public var text: String {
        tokens.map { token in
            var escaped = "/"
            for character in token {
                switch character {
                case "~": escaped += "~0"
                case "/": escaped += "~1"
                default: escaped.append(character)
                }
            }
            return escaped
        }.joined()
    }

    public var description: String { text }
}
