import ShidoJSON
import Testing

@Suite("Strict JSON parsing")
struct JSONParserTests {
    @Test("valid documents parse, and Korean and Japanese text round-trips exactly")
    func parsesValidDocuments() throws {
        let value = try JSONParser.parse(#"{"name": "한국정밀 株式会社", "hours": 2.50, "tags": ["金型", "é"], "ok": true, "none": null}"#)
        #expect(value["name"] == .string("한국정밀 株式会社"))
        #expect(value["hours"]?.numberValue?.canonicalText == "2.50")
        #expect(value["tags"]?.arrayValue?.count == 2)
        #expect(value["ok"] == .bool(true))
        #expect(value["none"] == .null)
        #expect(Array(value["name"]!.stringValue!.utf8) == Array("한국정밀 株式会社".utf8))
    }

    @Test("decomposed Hangul keeps its bytes", arguments: ["\u{1112}\u{1161}\u{11AB}", "\u{D55C}"])
    func keepsNormalisationForm(text: String) throws {
        let parsed = try JSONParser.parse("\"\(text)\"")
        #expect(Array(parsed.stringValue!.utf8) == Array(text.utf8))
    }

    @Test("escapes decode, surrogate pairs combine")
    func decodesEscapes() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
    }

    @Test("refusals name the JSON pointer of the offending place", arguments: [
        (#"{"a": 1, "a": 2}"#, "/a", "duplicate member name"),
        (#"{"x": {"y": [1, "\ud800"]}}"#, "/x/y/1", "lone high surrogate"),
        (#"{"x": "\udc00"}"#, "/x", "lone low surrogate"),
        (#"{"x": "a\u0000b"}"#, "/x", "NUL"),
        ("{\"x\": \"a\u{01}b\"}", "/x", "raw control character"),
        (#"{"a/b": {"c~d": 01}}"#, "/a~1b/c~0d", "not a JSON number"),
        (#"[1e401]"#, "/0", "not a JSON number"),
        (#"[12345678901234567890123456789012345678901]"#, "/0", "not a JSON number"),
        (#"{"a": 1} x"#, "", "unexpected content after"),
        (#"{"a": tru}"#, "/a", "invalid literal"),
        (#"{"a": 1,}"#, "", "expected a member name"),
        (#"[1, 2"#, "", "expected ',' or ']'"),
        (#""#, "", "unexpected end of input"),
        (#"{"a": "\x"}"#, "/a", "invalid escape"),
        (#"{"a": NaN}"#, "/a", "unexpected character"),
        (#"{"a": -}"#, "/a", "not a JSON number"),
        (#"{"a": 1.}"#, "/a", "not a JSON number"),
    ])
    func refusesWithPointer(text: String, pointer: String, message: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.pointer == pointer && error.message.contains(message)
        }
    }

    @Test("nesting deeper than the limit is refused")
    func refusesDeepNesting() throws {
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(ok)
        let deep = "[" + ok + "]"
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test("invalid UTF-8 is refused")
    func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        for text: [UInt8] in [
            Array(#"{"a": "ok", "b": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),  // in a later member
            Array(#"{""#.utf8) + [0xED, 0xA0, 0x80] + Array(#"": 1}"#.utf8),  // a surrogate, in a key
            Array(#"["x", "#.utf8) + [0xFF] + Array("]".utf8),  // outside any string
            Array(#"["\n"#.utf8) + [0xF0, 0x9F, 0x98] + Array(#""]"#.utf8),  // cut short after an escape
        ] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        }
    }
}

@Suite("JSON numbers in PostgreSQL's numeric form")
struct JSONNumberTests {
    @Test("canonical text follows numeric_out", arguments: [
        ("0", "0"), ("-0", "0"), ("-0.0", "0.0"), ("1.50", "1.50"), ("1e2", "100"), ("1E+2", "100"),
        ("1.5e3", "1500"), ("1.5e-3", "0.0015"), ("15e-1", "1.5"), ("-12.345e1", "-123.45"),
        ("0.000", "0.000"), ("123", "123"), ("1.23e1", "12.3"), ("0e5", "0"), ("0.0e-2", "0.000"),
    ])
    func canonicalText(literal: String, expected: String) throws {
        #expect(JSONNumber(literal: literal)?.canonicalText == expected)
    }

    @Test("integers convert exactly; fractions do not")
    func integerValue() {
        #expect(JSONNumber(literal: "42.000")?.int64Value == 42)
        #expect(JSONNumber(literal: "4.2e1")?.int64Value == 42)
        #expect(JSONNumber(literal: "42.5")?.int64Value == nil)
        #expect(JSONNumber(literal: "-9223372036854775808")?.int64Value == Int64.min)
    }
}
