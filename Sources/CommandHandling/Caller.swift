import ShidoJSON

/// Who sent a command, as the daemon established it from the socket (never from the request).
///
/// Guarantees: `metadata` is the only place the actor enters an event, and it is written by
/// the daemon, so a client cannot choose the actor recorded in the log.
public struct Caller: Sendable, Hashable {
    public let uid: UInt32
    public let user: String

    public init(uid: UInt32, user: String) {
        self.uid = uid
        self.user = user
    }

    /// The metadata the daemon adds to every event this caller records.
    func metadata(command: String, via channel: String, key: IdempotencyKey? = nil) -> JSONValue {
        var members: [String: JSONValue] = [
            "actor": ["uid": .number(JSONNumber(Int(uid))), "user": .string(user)],
            "command": .string(command),
            "via": .string(channel),
        ]
        if let key { members["idempotency"] = key.metadata }
        return .object(members)
    }
}
