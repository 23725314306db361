import CLibPQ

/// A five-character SQLSTATE code as PostgreSQL reports it.
///
/// Guarantees: `rawValue` is exactly what the server sent; `errorClass` is its first two
/// characters, which is how PostgreSQL groups conditions (e.g. `08` connection exceptions).
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public var errorClass: Substring { rawValue.prefix(2) }
    public var description: String { rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    public static let raiseException = SQLState(rawValue: "P0001")
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let crashShutdown = SQLState(rawValue: "57P02")
    public static let cannotConnectNow = SQLState(rawValue: "57P03")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
}

/// Every failure that crosses the libpq boundary, typed.
///
/// Guarantees: no libpq call in this module fails without producing one of these; the
/// server's SQLSTATE, message, detail and hint are carried verbatim when the server sent them.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Where the failure arose.
    public enum Kind: Sendable, Hashable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server rejected a statement.
        case server
        /// libpq refused a call on the client side (out of memory, wrong state, COPY failure).
        case client
        /// A value in a result did not have the expected type or shape.
        case decoding
    }

    public let kind: Kind
    public let sqlState: SQLState?
    public let message: String
    public let detail: String?
    public let hint: String?

    public init(kind: Kind, sqlState: SQLState? = nil, message: String, detail: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    /// True when retrying on a new connection may succeed: the link broke or the server
    /// is shutting down, starting up or recovering.
    public var isConnectionFailure: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.errorClass == "08"
            || sqlState == .adminShutdown || sqlState == .crashShutdown || sqlState == .cannotConnectNow
    }

    public var description: String {
        var text = sqlState.map { "\($0): \(message)" } ?? message
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

/// The one place where libpq's failure reporting becomes `PostgresError`.
enum LibPQFailure {
    /// The error currently recorded on a connection.
    static func connection(_ conn: OpaquePointer?, context: String) -> PostgresError {
        let raw = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "no connection object"
        let broken = conn == nil || PQstatus(conn) != CONNECTION_OK
        return PostgresError(kind: broken ? .connection : .client, message: "\(context): \(trimmed(raw))")
    }

    /// Turns a result into an error unless its status is one of `accepted`; on failure the
    /// result is cleared here, so callers never free it twice.
    static func check(
        _ result: OpaquePointer?, on conn: OpaquePointer, accepting accepted: [ExecStatusType]
    ) throws(PostgresError) -> OpaquePointer {
        guard let result else { throw connection(conn, context: "query failed") }
        let status = PQresultStatus(result)
        if accepted.contains(status) { return result }
        let error = fromResult(result, conn: conn)
        PQclear(result)
        throw error
    }

    private static func fromResult(_ result: OpaquePointer, conn: OpaquePointer) -> PostgresError {
        // libpq's PG_DIAG_* codes are character macros, which Swift does not import.
        func field(_ code: Character) -> String? {
            guard let raw = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: raw)
        }
        let state = field("C").map(SQLState.init(rawValue:))
        let message = field("M") ?? trimmed(String(cString: PQresultErrorMessage(result)))
        let brokenLink = PQstatus(conn) != CONNECTION_OK
        let kind: PostgresError.Kind = brokenLink ? .connection : (state == nil ? .client : .server)
        return PostgresError(
            kind: kind, sqlState: state,
            message: message.isEmpty ? "unexpected result status \(PQresultStatus(result).rawValue)" : message,
            detail: field("D"), hint: field("H"))
    }

    static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
