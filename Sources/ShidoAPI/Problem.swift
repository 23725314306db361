import ShidoJSON

/// An RFC 9457 problem document: every error the daemon returns is one.
///
/// Guarantees: `type`, `title` and `status` are always present; `field` is a JSON pointer
/// into the request body when one field is at fault; `line` is the 1-based line of an
/// NDJSON body; `rule` names the domain rule that refused the command.
public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
    public static let mediaType = "application/problem+json"

    public var type: ProblemType
    public var title: String
    public var status: Int
    public var detail: String?
    public var field: String?
    public var line: Int?
    public var rule: String?
    /// Names the daemon's log line that holds what went wrong (server errors only: their
    /// details stay in the log, not in the answer).
    public var requestID: String?

    public init(_ type: ProblemType, detail: String? = nil, field: String? = nil, line: Int? = nil, rule: String? = nil) {
        self.type = type
        title = type.title
        status = type.status
        self.detail = detail
        self.field = field
        self.line = line
        self.rule = rule
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "type": .string(type.uri), "title": .string(title), "status": .number(JSONNumber(status)),
        ]
        if let detail { members["detail"] = .string(detail) }
        if let field { members["field"] = .string(field) }
        if let line { members["line"] = .number(JSONNumber(line)) }
        if let rule { members["rule"] = .string(rule) }
        if let requestID { members["requestID"] = .string(requestID) }
        return .object(members)
    }

    /// Reads a problem document; nil when the body is not one.
    public init?(json: JSONValue) {
        guard let uri = json["type"]?.stringValue, let type = ProblemType(uri: uri) else { return nil }
        self.init(type)
        title = json["title"]?.stringValue ?? type.title
        detail = json["detail"]?.stringValue
        field = json["field"]?.stringValue
        line = json["line"]?.numberValue.flatMap { Int($0.literal) }
        rule = json["rule"]?.stringValue
        requestID = json["requestID"]?.stringValue
    }

    /// One readable line: title, detail, and where (line and field) when known.
    public var description: String {
        var text = title
        if let detail { text += ": \(detail)" }
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let field, !field.isEmpty { place.append("field \(field)") }
        if !place.isEmpty { text += " (\(place.joined(separator: ", ")))" }
        return text
    }
}

/// The kinds of problem, each with its URI, title and HTTP status.
public enum ProblemType: String, Sendable, CaseIterable {
    case badRequest = "bad-request"
    case forbidden
    case notFound = "not-found"
    case methodNotAllowed = "method-not-allowed"
    case conflict
    case payloadTooLarge = "payload-too-large"
    case unsupportedMediaType = "unsupported-media-type"
    case rejected
    case unavailable
    /// The connection to the database broke after a commit was sent: the write may or may
    /// not be recorded; retrying with the same Idempotency-Key is safe.
    case outcomeUnknown = "outcome-unknown"
    /// An Idempotency-Key came back with a different request than the one it first named.
    case idempotencyKeyReused = "idempotency-key-reused"
    /// The views did not reach the position a query asked for in time (read-your-writes).
    case projectionBehind = "projection-behind"
    /// A write sent to a daemon that serves a read-only replica (a hot standby); the detail
    /// names where writes go.
    case readOnlyReplica = "read-only-replica"
    case internalError = "internal-error"

    public static let uriPrefix = "urn:shido:problem:"

    public var uri: String { Self.uriPrefix + rawValue }

    public init?(uri: String) {
        guard uri.hasPrefix(Self.uriPrefix) else { return nil }
        self.init(rawValue: String(uri.dropFirst(Self.uriPrefix.count)))
    }

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .payloadTooLarge: 413
        case .unsupportedMediaType: 415
        case .rejected: 422
        case .unavailable: 503
        case .outcomeUnknown: 503
        case .idempotencyKeyReused: 422
        case .projectionBehind: 504
        case .readOnlyReplica: 421
        case .internalError: 500
        }
    }

    public var title: String {
        switch self {
        case .badRequest: "Bad request"
        case .forbidden: "Permission denied"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .conflict: "Conflict"
        case .payloadTooLarge: "Request body too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .rejected: "Rejected"
        case .unavailable: "Database unavailable"
        case .outcomeUnknown: "Outcome unknown"
        case .idempotencyKeyReused: "Idempotency key reused"
        case .projectionBehind: "Views not caught up"
        case .readOnlyReplica: "Read-only replica"
        case .internalError: "Internal error"
        }
    }
}
