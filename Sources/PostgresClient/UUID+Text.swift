import Foundation

extension UUID {
    /// The lower-case hyphenated form PostgreSQL prints (`3f1c9a2e-0d7b-…`), built directly
    /// from the bytes: Foundation's `uuidString` is several times slower on Linux, and this
    /// runs a few times for every appended event.
    public var lowercaseText: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
