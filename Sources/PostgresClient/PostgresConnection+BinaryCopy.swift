import CLibPQ
import Foundation

/// Bulk loading with `COPY … FROM STDIN (FORMAT binary)`: no text to parse on the server
/// for integers, UUIDs, timestamps and bytea.
extension PostgresConnection {
    /// Like `copyIn`, but `sql` must end in a `COPY … FROM STDIN (FORMAT binary)` (statements
    /// after it in the same script are allowed) and `write` encodes rows in binary.
    @discardableResult
    public func copyInBinary(_ sql: StaticOrTrustedSQL, _ write: (inout BinaryCopyWriter) throws -> Void) throws -> Int {
        try copyIn(sql) { sink in
            var writer = BinaryCopyWriter(sink: sink)
            try write(&writer)
            sink = try writer.finish()
        }
    }
}

/// Encodes rows in PostgreSQL's binary COPY format.
///
/// Guarantees: the header and trailer are written once; each value is written in the
/// type's binary wire form (big-endian integers, 16-byte UUIDs, microseconds since
/// 2000-01-01 for timestamptz, version-1 jsonb); the caller must write, for every row,
/// exactly the fields the COPY statement lists, in order. Rows go to the server in chunks as
/// they are written (at a row's start, once a chunk's worth is waiting), so the server
/// ingests a large COPY while the rest is still being encoded.
public struct BinaryCopyWriter {
    private var bytes: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    private var sink: CopyRowWriter
    private static let chunkSize = 256 * 1024

    init(sink: CopyRowWriter) { self.sink = sink }

    /// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
    static let postgresEpochMicros: Int64 = 946_684_800_000_000

    public mutating func beginRow(fieldCount: Int) throws(PostgresError) {
        if bytes.count >= Self.chunkSize {
            try sink.appendRaw(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
        appendInteger(Int16(fieldCount))
    }

    public mutating func int64(_ value: Int64) { appendField(length: 8) { $0.appendInteger(value) } }
    public mutating func int32(_ value: Int32) { appendField(length: 4) { $0.appendInteger(value) } }
    public mutating func text(_ value: String) { appendBytes(Array(value.utf8)) }
    public mutating func bytea(_ value: [UInt8]) { appendBytes(value) }

    public mutating func uuid(_ value: UUID) {
        appendField(length: 16) { writer in withUnsafeBytes(of: value.uuid) { writer.bytes.append(contentsOf: $0) } }
    }

    /// A `jsonb` value from its text: the version byte 1, then the text.
    public mutating func jsonb(_ text: String) {
        let utf8 = text.utf8
        appendInteger(Int32(utf8.count + 1))
        bytes.append(1)
        bytes.append(contentsOf: utf8)
    }

    /// A `timestamptz` from microseconds since 1970-01-01 UTC.
    public mutating func timestamp(micros: Int64) { int64(micros - Self.postgresEpochMicros) }

    public mutating func null() { appendInteger(Int32(-1)) }

    /// Writes the trailer; returns the sink holding what is left to send.
    mutating func finish() throws(PostgresError) -> CopyRowWriter {
        appendInteger(Int16(-1))
        try sink.appendRaw(bytes)
        return sink
    }

    private mutating func appendBytes(_ value: [UInt8]) {
        appendInteger(Int32(value.count))
        bytes.append(contentsOf: value)
    }

    private mutating func appendField(length: Int32, _ body: (inout BinaryCopyWriter) -> Void) {
        appendInteger(length)
        body(&self)
    }

    private mutating func appendInteger<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
