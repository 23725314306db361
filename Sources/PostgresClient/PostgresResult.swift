import CLibPQ
import HexEncoding

/// The rows a statement returned, read in text format.
///
/// Guarantees: owns its libpq result and frees it exactly once (when this object goes away);
/// a result is immutable and independent of its connection, so it may cross threads.
/// Every typed read checks for NULL and for the value's shape and throws a `.decoding`
/// `PostgresError` naming the column, instead of returning a silent default.
public final class PostgresResult: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Takes ownership of `handle`.
    init(owning handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    public var rowCount: Int { Int(PQntuples(handle)) }
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// Rows changed by an INSERT, UPDATE, DELETE, COPY… (0 when the command reports none).
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    public func columnName(_ column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    /// The index of a column by name, or nil.
    public func column(named name: String) -> Int? {
        (0..<columnCount).first { columnName($0) == name }
    }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// The raw text of a value, or nil for NULL.
    public func text(_ row: Int, _ column: Int) -> String? {
        if isNull(row, column) { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// The raw UTF-8 bytes of a value (jsonb, text), or nil for NULL.
    public func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        if isNull(row, column) { return nil }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard let start = PQgetvalue(handle, Int32(row), Int32(column)) else { return [] }
        return start.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    public func string(_ row: Int, _ column: Int) throws(PostgresError) -> String {
        guard let value = text(row, column) else { throw nullError(column) }
        return value
    }

    public func int64(_ row: Int, _ column: Int) throws(PostgresError) -> Int64 {
        let value = try string(row, column)
        guard let number = Int64(value) else { throw shapeError(column, value, "bigint") }
        return number
    }

    public func int(_ row: Int, _ column: Int) throws(PostgresError) -> Int {
        let value = try string(row, column)
        guard let number = Int(value) else { throw shapeError(column, value, "integer") }
        return number
    }

    public func bool(_ row: Int, _ column: Int) throws(PostgresError) -> Bool {
        switch try string(row, column) {
        case "t": return true
        case "f": return false
        case let other: throw shapeError(column, other, "boolean")
        }
    }

    /// A `bytea` value (hex output format).
    public func bytea(_ row: Int, _ column: Int) throws(PostgresError) -> [UInt8] {
        let value = try string(row, column)
        guard value.hasPrefix("\\x"), let decoded = Hex.decode(value.dropFirst(2)) else {
            throw shapeError(column, String(value.prefix(20)), "bytea in hex format")
        }
        return decoded
    }

    /// A `timestamptz` value as microseconds since 1970-01-01 UTC (ISO DateStyle output).
    public func timestampMicros(_ row: Int, _ column: Int) throws(PostgresError) -> Int64 {
        let value = try string(row, column)
        guard let micros = PostgresTimestamp.parseMicros(value) else { throw shapeError(column, value, "timestamptz") }
        return micros
    }

    /// A one-dimensional `bigint[]` with no NULL elements.
    public func int64Array(_ row: Int, _ column: Int) throws(PostgresError) -> [Int64] {
        let value = try string(row, column)
        guard value.hasPrefix("{"), value.hasSuffix("}") else { throw shapeError(column, value, "bigint[]") }
        let body = value.dropFirst().dropLast()
        if body.isEmpty { return [] }
        var numbers: [Int64] = []
        for element in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let number = Int64(element) else { throw shapeError(column, value, "bigint[] without NULLs") }
            numbers.append(number)
        }
        return numbers
    }

    /// A `jsonb` or `json` value's text as bytes.
    public func jsonBytes(_ row: Int, _ column: Int) throws(PostgresError) -> [UInt8] {
        guard let value = bytes(row, column) else { throw nullError(column) }
        return value
    }

    private func nullError(_ column: Int) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \(columnName(column)) is NULL where a value was expected")
    }

    private func shapeError(_ column: Int, _ value: String, _ expected: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \(columnName(column)): '\(value)' is not a \(expected)")
    }
}
