import Foundation

/// Values in PostgreSQL's binary wire forms, each as a field: a 32-bit big-endian length, then
/// the bytes. Binary COPY rows and binary array elements are both sequences of such fields.
///
/// Guarantees: big-endian integers, 16-byte UUIDs, microseconds since 2000-01-01 for
/// timestamptz, version-1 jsonb; `null()` is the length -1 with no bytes.
public struct BinaryFields: Sendable {
    public internal(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
    static let postgresEpochMicros: Int64 = 946_684_800_000_000

    public mutating func int64(_ value: Int64) { appendInteger(Int32(8)); appendInteger(value) }
    public mutating func int32(_ value: Int32) { appendInteger(Int32(4)); appendInteger(value) }
    public mutating func text(_ value: String) { appendBytes(value.utf8) }
    public mutating func bytea(_ value: [UInt8]) { appendBytes(value) }

    public mutating func uuid(_ value: UUID) {
        appendInteger(Int32(16))
        withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) }
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

    private mutating func appendBytes<Bytes: Collection<UInt8>>(_ value: Bytes) {
        appendInteger(Int32(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func appendInteger<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
