import Crypto
import Foundation
import ShidoJSON

/// A caller's `Idempotency-Key` and the request it first named.
///
/// Guarantees: the ids of the events a keyed request writes are derived from the caller's
/// uid, the key, the line (0 outside an import) and the event's index, so a retry writes the
/// very same event ids: the store records them once and answers their original positions,
/// durably and in the same transaction as the events, for as long as the log exists.
/// `request` (a SHA-256 of method, target and body) is recorded in each such event's
/// metadata, so the same key with another request is recognised and refused.
public struct IdempotencyKey: Sendable, Hashable {
    public let uid: UInt32
    public let key: String
    /// Hex SHA-256 of the request the key names.
    public let request: String

    /// The most events one keyed command may produce (every command produces one today).
    static let eventsPerCommand = 8

    /// `request` has seen the request's method, target and all of its body.
    /// - Throws: `InvalidIdempotencyKey` when the key is empty, longer than 255 characters,
    ///   or not visible ASCII.
    public init(uid: UInt32, key: String, request: RequestDigest) throws(InvalidIdempotencyKey) {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else { throw InvalidIdempotencyKey() }
        self.uid = uid
        self.key = key
        self.request = request.hex
    }

    /// The id of the `index`-th event of `line` written under this key.
    public func eventID(line: Int = 0, index: Int) -> UUID {
        var bytes = Array(SHA256.hash(data: Array("shido-idempotency\0\(uid)\0\(key)\0\(line)\0\(index)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x80  // version 8: a name-based UUID of our own
        bytes[8] = (bytes[8] & 0x3f) | 0x80  // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// The ids a command at `line` may have written under this key.
    func candidateIDs(line: Int = 0) -> [UUID] { (0..<Self.eventsPerCommand).map { eventID(line: line, index: $0) } }

    /// What the events' metadata records about the key.
    var metadata: JSONValue { ["key": .string(key), "request": .string(request)] }

    /// Whether recorded metadata says the event was written for this very request.
    func isSameRequest(asRecordedIn metadata: JSONValue) -> Bool {
        metadata["idempotency"]?["request"]?.stringValue == request
    }
}

/// The SHA-256 of a request's method, target and body, fed as the body arrives.
public struct RequestDigest: Sendable {
    private var hash = SHA256()

    public init(method: String, target: String) { hash.update(data: Array("\(method) \(target)\n".utf8)) }

    public mutating func update(_ bytes: some Sequence<UInt8>) { hash.update(data: Array(bytes)) }

    var hex: String { hash.finalize().map { String(format: "%02x", $0) }.joined() }
}

/// The Idempotency-Key header is not 1 to 255 visible ASCII characters.
public struct InvalidIdempotencyKey: Error, Sendable {}
