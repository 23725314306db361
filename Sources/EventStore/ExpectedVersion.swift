/// What the caller believes about a stream before appending to it (optimistic concurrency).
///
/// Guarantees: `parse` accepts exactly `any`, `no-stream` and a non-negative integer, and
/// `description` prints the same forms back.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream's state.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must be at exactly this version (0 means: has no events).
    case exactly(Int64)

    public static func parse(_ text: String) -> ExpectedVersion? {
        switch text {
        case "any": return .any
        case "no-stream": return .noStream
        default:
            guard let number = Int64(text), number >= 0, text.allSatisfy(\.isASCII) else { return nil }
            return .exactly(number)
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no-stream"
        case .exactly(let version): String(version)
        }
    }

    /// Whether a stream currently at `current` satisfies the expectation.
    func accepts(current: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exactly(let version): current == version
        }
    }
}
