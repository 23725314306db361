import CLibPQ

/// Bulk loading with `COPY … FROM STDIN` in text format.
extension PostgresConnection {
    /// Runs `COPY table (columns) FROM STDIN` and streams the rows `write` adds; returns the
    /// number of rows loaded. `sql` may be a script of fixed statements around the COPY
    /// (`BEGIN; …; COPY … FROM STDIN; COMMIT`): the server runs them in one round trip, and
    /// a failure of any statement after the COPY is thrown too.
    @discardableResult
    public func copyIn(_ sql: StaticOrTrustedSQL, _ write: (inout CopyRowWriter) throws -> Void) throws -> Int {
        let conn = try liveHandle()
        _ = PostgresResult(owning: try LibPQFailure.check(PQexec(conn, sql.text), on: conn, accepting: [PGRES_COPY_IN]))
        var writer = CopyRowWriter(connection: conn)
        do {
            try write(&writer)
            try writer.flush()
        } catch {
            PQputCopyEnd(conn, "aborted by client")
            drainResults(conn)
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { throw LibPQFailure.connection(conn, context: "COPY could not finish") }
        let result = PostgresResult(owning: try LibPQFailure.check(PQgetResult(conn), on: conn, accepting: [PGRES_COMMAND_OK]))
        try checkTrailingResults(conn)
        return result.affectedRows
    }

    /// Reads the results of the statements after the COPY; throws the first failure.
    private func checkTrailingResults(_ conn: OpaquePointer) throws(PostgresError) {
        var failure: PostgresError?
        while let next = PQgetResult(conn) {
            do {
                _ = PostgresResult(owning: try LibPQFailure.check(next, on: conn, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK]))
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    private func drainResults(_ conn: OpaquePointer) {
        while let extra = PQgetResult(conn) { PQclear(extra) }
    }
}

/// Encodes rows in COPY's text format and sends them in large chunks.
///
/// Guarantees: backslash, tab, newline and carriage return inside values are escaped, and
/// nil becomes `\N`, so any value arrives exactly as given.
public struct CopyRowWriter {
    private let connection: OpaquePointer
    private var buffer: [UInt8] = []
    private static let chunkSize = 256 * 1024

    init(connection: OpaquePointer) {
        self.connection = connection
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Appends one row; `fields` must match the COPY statement's column list.
    public mutating func appendRow(_ fields: [String?]) throws(PostgresError) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
                continue
            }
            appendEscaped(field)
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.chunkSize { try flush() }
    }

    /// Sends bytes as they are (for formats that need no escaping, like binary COPY).
    mutating func appendRaw(_ raw: [UInt8]) throws(PostgresError) {
        buffer.append(contentsOf: raw)
        if buffer.count >= Self.chunkSize { try flush() }
    }

    private mutating func appendEscaped(_ field: String) {
        let utf8 = field.utf8
        if !utf8.contains(where: Self.needsEscape) {
            buffer.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    mutating func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                PQputCopyData(connection, $0, Int32(bytes.count))
            }
        }
        guard sent == 1 else { throw LibPQFailure.connection(connection, context: "COPY data could not be sent") }
        buffer.removeAll(keepingCapacity: true)
    }
}
