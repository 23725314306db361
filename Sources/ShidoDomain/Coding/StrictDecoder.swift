import ShidoJSON

/// Decodes `Decodable` types from a strictly parsed JSON value, refusing what Foundation's
/// JSONDecoder lets through.
///
/// Guarantees: duplicate keys and invalid text never get here (the parser refuses them);
/// a member no type asked for is refused as an unknown field; a string is never read as a
/// number or the other way round; an integer must be written as one (`1.0` is refused) and
/// fit its type; every refusal carries the JSON pointer of the offending place.
public enum StrictDecoder {
    public static func decode<Value: Decodable>(_ type: Value.Type, from value: JSONValue) throws(DecodingProblem) -> Value {
        let tracker = KeyTracker()
        do {
            let decoded = try Value(from: ValueDecoder(value: value, codingPath: [], tracker: tracker))
            try tracker.checkNoUnknownKeys()
            return decoded
        } catch let problem as DecodingProblem {
            throw problem
        } catch let error as DecodingError {
            throw Self.problem(from: error)
        } catch {
            throw DecodingProblem(pointer: "", message: "\(error)")
        }
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, fromJSON text: String) throws(DecodingProblem) -> Value {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw DecodingProblem(pointer: error.pointer, message: error.message) }
        return try decode(type, from: value)
    }

    static func problem(from error: DecodingError) -> DecodingProblem {
        switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context):
            return .at(context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context):
            return .at(context.codingPath + [key], "required field is missing")
        @unknown default:
            return DecodingProblem(pointer: "", message: "\(error)")
        }
    }
}

/// Remembers, per object, which members were asked for.
final class KeyTracker {
    private var objects: [(path: [any CodingKey], keys: [String], used: Set<String>)] = []

    func register(path: [any CodingKey], keys: [String]) -> Int {
        objects.append((path, keys, []))
        return objects.count - 1
    }

    func markUsed(_ key: String, in object: Int) { objects[object].used.insert(key) }

    func checkNoUnknownKeys() throws(DecodingProblem) {
        for object in objects where !object.keys.allSatisfy(object.used.contains) {
            if let unknown = object.keys.sorted().first(where: { !object.used.contains($0) }) {
                throw .at(object.path + [PathKey(stringValue: unknown)], "unknown field \"\(unknown)\"")
            }
        }
    }
}

struct ValueDecoder: Decoder {
    let value: JSONValue
    /// The path to the value's container, and the value's key in it: the whole path is made
    /// only when asked for (an error, a nested container), not for every field.
    let parentPath: [any CodingKey]
    let key: (any CodingKey)?
    let tracker: KeyTracker
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue, codingPath: [any CodingKey], tracker: KeyTracker) {
        self.init(value: value, parentPath: codingPath, key: nil, tracker: tracker)
    }

    init(value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?, tracker: KeyTracker) {
        self.value = value
        self.parentPath = parentPath
        self.key = key
        self.tracker = tracker
    }

    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch("an object") }
        let object = tracker.register(path: codingPath, keys: Array(members.keys))
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath, tracker: tracker, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("an array") }
        return ArrayContainer(elements: elements, codingPath: codingPath, tracker: tracker)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(decoder: self) }

    func mismatch(_ expected: String) -> DecodingProblem {
        .at(codingPath, "expected \(expected), found \(value.typeName)")
    }

    func decodeScalar<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is String.Type:
            guard case .string(let text) = value else { throw mismatch("a string") }
            return text as! T
        case is Bool.Type:
            guard case .bool(let flag) = value else { throw mismatch("true or false") }
            return flag as! T
        case is Double.Type:
            guard case .number(let number) = value else { throw mismatch("a number") }
            return number.doubleValue as! T
        case is Int.Type: return try Int(exactly: integer()) as! T
        case is Int64.Type: return try integer() as! T
        case is Int32.Type:
            guard let narrow = Int32(exactly: try integer()) else { throw DecodingProblem.at(codingPath, "integer out of range") }
            return narrow as! T
        default:
            return try T(from: self)
        }
    }

    /// A number whose value is an integer, however written (`3`, `3.0`, `3e0`): JSON Schema's
    /// `integer`, so a request valid by docs/openapi.json is never refused for it. `3.5` is not.
    private func integer() throws -> Int64 {
        guard case .number(let number) = value else { throw mismatch("an integer") }
        guard let exact = number.int64Value else {
            throw DecodingProblem.at(codingPath, "expected an integer (within ±9223372036854775807), found \(number.literal)")
        }
        return exact
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    let tracker: KeyTracker
    let object: Int

    var allKeys: [Key] { members.keys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool {
        tracker.markUsed(key.stringValue, in: object)
        return members[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        tracker.markUsed(key.stringValue, in: object)
        guard let value = members[key.stringValue] else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        tracker.markUsed(key.stringValue, in: object)
        guard let value = members[key.stringValue] else {
            throw DecodingProblem.at(codingPath + [key], "required field is missing")
        }
        return try ValueDecoder(value: value, parentPath: codingPath, key: key, tracker: tracker).decodeScalar(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { try decoder(for: Key(stringValue: "super")!) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(for: key) }

    private func decoder(for key: Key) throws -> ValueDecoder {
        tracker.markUsed(key.stringValue, in: object)
        guard let value = members[key.stringValue] else { throw DecodingProblem.at(codingPath + [key], "required field is missing") }
        return ValueDecoder(value: value, parentPath: codingPath, key: key, tracker: tracker)
    }
}

private struct ArrayContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let tracker: KeyTracker
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], tracker: KeyTracker) {
        self.elements = elements
        self.codingPath = codingPath
        self.tracker = tracker
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = try next()
        return try decoder.decodeScalar(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }

    private mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else { throw DecodingProblem.at(codingPath, "array has too few elements") }
        defer { currentIndex += 1 }
        return ValueDecoder(value: elements[currentIndex], parentPath: codingPath, key: PathKey(intValue: currentIndex), tracker: tracker)
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    func decodeNil() -> Bool { decoder.value == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeScalar(type) }
}
