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
/// type's binary wire form (`BinaryFields`); the caller must write, for every row, exactly
/// the fields the COPY statement lists, in order. Rows go to the server in chunks as they
/// are written (at a row's start, once a chunk's worth is waiting), so the server ingests a
/// large COPY while the rest is still being encoded.
public struct BinaryCopyWriter {
    private var fields = BinaryFields()
    private var sink: CopyRowWriter
    private static let chunkSize = 256 * 1024
    private static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]

    init(sink: CopyRowWriter) {
        self.sink = sink
        fields.bytes = Self.header
    }

    public mutating func beginRow(fieldCount: Int) throws(PostgresError) {
        if fields.bytes.count >= Self.chunkSize {
            try sink.appendRaw(fields.bytes)
            fields.bytes.removeAll(keepingCapacity: true)
        }
        fields.appendInteger(Int16(fieldCount))
    }

    public mutating func int64(_ value: Int64) { fields.int64(value) }
    public mutating func int32(_ value: Int32) { fields.int32(value) }
    public mutating func text(_ value: String) { fields.text(value) }
    public mutating func bytea(_ value: [UInt8]) { fields.bytea(value) }
    public mutating func uuid(_ value: UUID) { fields.uuid(value) }
    public mutating func jsonb(_ text: String) { fields.jsonb(text) }
    public mutating func timestamp(micros: Int64) { fields.timestamp(micros: micros) }
    public mutating func null() { fields.null() }

    /// Writes the trailer; returns the sink holding what is left to send.
    mutating func finish() throws(PostgresError) -> CopyRowWriter {
        fields.appendInteger(Int16(-1))
        try sink.appendRaw(fields.bytes)
        return sink
    }
}
