import CLibPQ
import Glibc

/// One libpq connection, used from one thread at a time.
///
/// Guarantees: statements carry values only as parameters; every libpq result is owned by a
/// `PostgresResult` or cleared before a call returns; the connection is closed exactly once
/// (by `close()` or when the object goes away). Sessions always use UTF-8, UTC and ISO
/// dates, so text results parse the same way everywhere. Server NOTICEs go to
/// `noticeHandler` (discarded by default), never to stderr.
///
/// libpq calls block. Do not call this from Swift's cooperative pool or a NIO event loop:
/// own it from a `PostgresWorker` (a dedicated thread), which is what the rest of shido does.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    private let notices = NoticeSink()
    var preparedNames: [String: String] = [:]
    public let settings: ConnectionSettings

    /// Connects and prepares the session; throws `.connection` when the server is unreachable.
    public init(_ settings: ConnectionSettings) throws(PostgresError) {
        self.settings = settings
        handle = Self.connect(settings)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let error = LibPQFailure.connection(handle, context: "could not connect to PostgreSQL")
            if let handle { PQfinish(handle) }
            self.handle = nil
            throw error
        }
        installNoticeReceiver(on: handle)
        try prepareSession()
    }

    deinit { close() }

    /// Receives the text of each NOTICE or WARNING the server sends.
    public var noticeHandler: (@Sendable (String) -> Void)? {
        get { notices.handler }
        set { notices.handler = newValue }
    }

    /// True while the link to the server is healthy.
    public var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// True while a transaction block is open on the session (also one that failed and awaits
    /// its ROLLBACK).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// The server's process id for this session (for `pg_terminate_backend` in tests and tools).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// Closes the connection; later calls throw `.connection`.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Runs one parameterised statement and returns its rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresParameterEncodable] = []) throws(PostgresError) -> PostgresResult {
        let conn = try liveHandle()
        let raw = withCParameters(parameters.map(\.postgresParameter)) { count, values, lengths, formats in
            PQexecParams(conn, sql, count, nil, values, lengths, formats, 0)
        }
        return PostgresResult(owning: try LibPQFailure.check(raw, on: conn, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK]))
    }

    /// Prepares a named statement for repeated `executePrepared` calls on this connection.
    public func prepare(_ name: String, _ sql: String) throws(PostgresError) {
        let conn = try liveHandle()
        let raw = PQprepare(conn, name, sql, 0, nil)
        _ = PostgresResult(owning: try LibPQFailure.check(raw, on: conn, accepting: [PGRES_COMMAND_OK]))
    }

    /// Runs a statement prepared with `prepare`.
    @discardableResult
    public func executePrepared(_ name: String, _ parameters: [any PostgresParameterEncodable] = []) throws(PostgresError) -> PostgresResult {
        let conn = try liveHandle()
        let raw = withCParameters(parameters.map(\.postgresParameter)) { count, values, lengths, formats in
            PQexecPrepared(conn, name, count, values, lengths, formats, 0)
        }
        return PostgresResult(owning: try LibPQFailure.check(raw, on: conn, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK]))
    }

    /// Runs a statement through a prepared statement that this connection creates on first
    /// use: for hot statements, which then skip parsing and planning on every later call.
    @discardableResult
    public func executeCached(_ sql: String, _ parameters: [any PostgresParameterEncodable] = []) throws(PostgresError) -> PostgresResult {
        try executePrepared(try cachedStatementName(sql), parameters)
    }

    /// Drops every statement `executeCached` and `pipeline` prepared (and their cached
    /// plans): the next call prepares and plans each afresh.
    public func forgetPreparedStatements() throws(PostgresError) {
        try execute("DEALLOCATE ALL")
        preparedNames.removeAll()
    }

    /// The name of this connection's prepared statement for `sql`, preparing it if needed.
    func cachedStatementName(_ sql: String) throws(PostgresError) -> String {
        if let name = preparedNames[sql] { return name }
        let name = newStatementName(besides: 0)
        try prepare(name, sql)
        preparedNames[sql] = name
        return name
    }

    /// A name no statement of this connection has, with `pending` more being prepared.
    func newStatementName(besides pending: Int) -> String { "shido_cached_\(preparedNames.count + pending + 1)" }

    /// Runs a script of several statements with no parameters: for fixed SQL written by us
    /// (migrations, session set-up), never for anything that contains a value from outside.
    public func executeScript(_ sql: StaticOrTrustedSQL) throws(PostgresError) {
        let conn = try liveHandle()
        let raw = PQexec(conn, sql.text)
        _ = PostgresResult(owning: try LibPQFailure.check(raw, on: conn, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK]))
    }

    /// The raw handle for this module's extensions; throws when the connection is closed or broken.
    func liveHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else { throw PostgresError(kind: .connection, message: "the connection is closed") }
        return handle
    }

    private static func connect(_ settings: ConnectionSettings) -> OpaquePointer? {
        let pairs = settings.keywordPairs
        let keywords = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        return keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordBuffer in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 1)
            }
        }
    }

    private func prepareSession() throws(PostgresError) {
        let conn = try liveHandle()
        guard PQsetClientEncoding(conn, "UTF8") == 0 else {
            throw LibPQFailure.connection(conn, context: "could not set the client encoding to UTF8")
        }
        try executeScript("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET IntervalStyle TO 'iso_8601'")
        if let role = settings.sessionRole {
            try execute("SELECT set_config('role', $1, false)", [role])
        }
        for (name, value) in settings.sessionParameters.sorted(by: { $0.key < $1.key }) {
            try execute("SELECT set_config($1, $2, false)", [name, value])
        }
    }

    private func installNoticeReceiver(on conn: OpaquePointer) {
        let context = Unmanaged.passUnretained(notices).toOpaque()
        PQsetNoticeReceiver(conn, { context, result in
            guard let context, let result else { return }
            let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
            sink.handler?(LibPQFailure.trimmed(String(cString: PQresultErrorMessage(result))))
        }, context)
    }
}

/// SQL text that is fixed in the source or shipped with shido (migrations): the only kind
/// `executeScript` accepts. A string literal converts implicitly; anything else must say so.
public struct StaticOrTrustedSQL: ExpressibleByStringLiteral, Sendable {
    public let text: String
    public init(stringLiteral value: StaticString) { text = "\(value)" }
    /// Marks shipped SQL (a migration file) as trusted.
    public init(trusted text: String) { self.text = text }
}

/// Where NOTICE messages go; kept alive by its connection, read by libpq's callback.
private final class NoticeSink {
    var handler: (@Sendable (String) -> Void)?
}

/// Calls `body` with libpq's view of the parameters: a count, their values (NULL for SQL
/// NULL), lengths and formats (0 text, 1 binary), all valid for the duration of the call.
func withCParameters<Result>(
    _ parameters: [PostgresParameter],
    _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> Result
) -> Result {
    let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { parameter in
        if let binary = parameter.binary {
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: max(binary.count, 1))
            binary.withUnsafeBytes { copy.update(from: $0.bindMemory(to: CChar.self).baseAddress!, count: binary.count) }
            return copy
        }
        return parameter.text.map { strdup($0) } ?? nil
    }
    defer { copies.forEach { free($0) } }
    let lengths = parameters.map { Int32($0.binary?.count ?? 0) }
    let formats = parameters.map { Int32($0.binary == nil ? 0 : 1) }
    return copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
        lengths.withUnsafeBufferPointer { lengths in
            formats.withUnsafeBufferPointer { formats in
                body(Int32(parameters.count), values.baseAddress, lengths.baseAddress, formats.baseAddress)
            }
        }
    }
}
