/// PostgreSQL's canonical `jsonb` text for a value: what `value::jsonb::text` prints.
///
/// Guarantees: byte-identical to PostgreSQL 15's jsonb output for every value the parser
/// accepts: object keys ordered by UTF-8 length and then bytewise, `", "` and `": "` as
/// separators, strings escaped as PostgreSQL's `escape_json` does (`\"`, `\\`, `\b`, `\f`,
/// `\n`, `\r`, `\t`, other controls as `\u00xx`, everything else raw UTF-8), numbers in
/// `numeric` output form. The hash chain is defined over this text.
extension JSONValue {
    public var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }

    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeCanonical(into: &out)
        return out
    }

    public func writeCanonical(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let number): out.append(contentsOf: number.canonicalText.utf8)
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                element.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in Self.jsonbKeyOrder(members.keys).enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                Self.writeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                members[key]!.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// jsonb stores object keys shortest first, equal lengths in byte order.
    static func jsonbKeyOrder(_ keys: Dictionary<String, JSONValue>.Keys) -> [String] {
        keys.sorted { left, right in
            let leftCount = left.utf8.count, rightCount = right.utf8.count
            if leftCount != rightCount { return leftCount < rightCount }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)  // nothing to escape: one copy
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
