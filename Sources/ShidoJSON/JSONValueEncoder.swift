/// Encodes an `Encodable` value straight into a `JSONValue`, with no text in between.
///
/// Guarantees: the result equals what Foundation's `JSONEncoder` (default strategies) writes,
/// read back with `JSONParser`, for values made of strings, booleans, integers, finite
/// doubles, arrays, keyed objects and optionals left out when nil (the domain's events);
/// a non-finite double throws, as `JSONEncoder` does. It exists because the round trip
/// through text cost more than anything else in recording a command.
public struct JSONValueEncoder {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try root.encode(value, at: [])
        return root.json
    }
}

/// One value under construction; containers keep their children as nodes until the end, so
/// that a nested container may be filled after its parent was handed out.
private final class Node {
    enum Content {
        case empty
        case value(JSONValue)
        case object([String: Node])
        case array([Node])
    }

    var content = Content.empty

    var json: JSONValue {
        switch content {
        case .empty: .object([:])
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.json))
        case .array(let elements): .array(elements.map(\.json))
        }
    }

    func encode(_ value: some Encodable, at path: [any CodingKey]) throws {
        if let scalar = try Self.scalar(value, at: path) {
            content = .value(scalar)
        } else {
            try value.encode(to: NodeEncoder(node: self, codingPath: path))
        }
    }

    /// The JSON of a value that is a scalar as far as JSON is concerned; nil otherwise.
    static func scalar(_ value: some Encodable, at path: [any CodingKey]) throws -> JSONValue? {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .number(JSONNumber(number))
        case let number as Int64: return .number(JSONNumber(Int(number)))
        case let number as Int32: return .number(JSONNumber(Int(number)))
        case let number as Double: return .number(try finite(number, at: path))
        case let number as Float: return .number(try finite(Double(number), at: path))
        default: return nil
        }
    }

    static func finite(_ number: Double, at path: [any CodingKey]) throws -> JSONNumber {
        guard let json = JSONNumber(number) else {
            throw EncodingError.invalidValue(number, .init(codingPath: path, debugDescription: "\(number) is not a JSON number"))
        }
        return json
    }

    func object() {
        if case .object = content { return }
        content = .object([:])
    }

    func array() {
        if case .array = content { return }
        content = .array([])
    }

    func child(forKey key: String) -> Node {
        let node = Node()
        if case .object(var members) = content {
            content = .empty  // keeps `members` uniquely referenced while it changes
            members[key] = node
            content = .object(members)
        }
        return node
    }

    func appendChild() -> Node {
        let node = Node()
        if case .array(var elements) = content {
            content = .empty
            elements.append(node)
            content = .array(elements)
        }
        return node
    }

    var count: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.object()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.array()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(node: node, codingPath: codingPath) }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .value(.null) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try node.child(forKey: key.stringValue).encode(value, at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.appendChild().content = .value(.null) }

    mutating func encode(_ value: some Encodable) throws {
        try node.appendChild().encode(value, at: codingPath + [IndexKey(intValue: count)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(node: node.appendChild(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.appendChild(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appendChild(), codingPath: codingPath) }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }

    mutating func encode(_ value: some Encodable) throws { try node.encode(value, at: codingPath) }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(intValue: Int) { self.intValue = intValue }

    init?(stringValue: String) { nil }
}
