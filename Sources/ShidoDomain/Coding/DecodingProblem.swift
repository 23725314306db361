import ShidoJSON

/// Why a JSON document could not become a domain value.
///
/// Guarantees: `pointer` is the RFC 6901 JSON pointer of the offending member ("" for the
/// whole document), `message` says what was expected.
public struct DecodingProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let pointer: String
    public let message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(pointer.isEmpty ? "document" : pointer): \(message)" }

    static func at(_ path: [any CodingKey], _ message: String) -> DecodingProblem {
        DecodingProblem(pointer: JSONPointer(path.map(\.pointerToken)).text, message: message)
    }
}

extension CodingKey {
    var pointerToken: String { intValue.map(String.init) ?? stringValue }
}

/// A coding key built from a string or an index, for paths.
struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}
