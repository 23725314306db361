import Foundation

extension UUID {
    /// A random (version 4) UUID from the kernel's generator (`getrandom`, through
    /// `SystemRandomNumberGenerator`). Foundation's `UUID()` on Linux opens, reads and closes
    /// /dev/urandom for every id (3.2 µs here, against 0.7 µs): every event needs one.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var raw: uuid_t = unsafeBitCast((generator.next() as UInt64, generator.next() as UInt64), to: uuid_t.self)
        raw.6 = (raw.6 & 0x0F) | 0x40  // version 4
        raw.8 = (raw.8 & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(uuid: raw)
    }
}
