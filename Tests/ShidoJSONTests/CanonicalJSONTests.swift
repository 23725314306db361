import PostgresClient
import ShidoJSON
import Testing
import TestSupport

@Suite("Canonical JSON equals PostgreSQL's jsonb text")
struct CanonicalJSONTests {
    @Test("key order, separators and escapes")
    func knownExample() throws {
        let value = try JSONParser.parse(#"{"bb": 1, "a": [true, null], "ccc": "x\"\\\n\u0001é", "b": {}}"#)
        #expect(value.canonicalText == #"{"a": [true, null], "b": {}, "bb": 1, "ccc": "x\"\\\n\u0001é"}"#)
    }

    @Test("2,000 generated documents print exactly as PostgreSQL prints them")
    func matchesPostgres() throws {
        let settings = try TestCluster.freshDatabase("canonicaljson")
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        var random = SeededRandom(seed: 20261125)
        for round in 0..<4 {
            let values = (0..<500).map { _ in GeneratedJSON.value(depth: 0, using: &random) }
            let texts = values.map { $0.canonicalText }
            let result = try connection.execute(
                "SELECT d::jsonb::text FROM unnest($1::text[]) WITH ORDINALITY AS t(d, n) ORDER BY n", [ArrayParameter(texts)])
            for index in 0..<texts.count {
                let postgres = try result.string(index, 0)
                #expect(Array(postgres.utf8) == Array(texts[index].utf8), "round \(round) document \(index)")
                // And what PostgreSQL prints parses back to the same value.
                #expect(try JSONParser.parse(postgres).canonicalText == texts[index])
            }
        }
    }

    @Test("the extremes of a double (what JSON writers emit) print as PostgreSQL prints them")
    func doubleExtremes() throws {
        let settings = try TestCluster.freshDatabase("canonicalextremes")
        let connection = try PostgresConnection(settings)
        defer { connection.close() }
        for literal in ["5e-324", "4.9406564584124654e-324", "-2.2250738585072014e-308", "1.7976931348623157e308", "1e400", "-1.5e-400"] {
            let number = try #require(JSONNumber(literal: literal), "\(literal) is within the limits")
            let postgres = try connection.execute("SELECT $1::jsonb::text", [literal]).string(0, 0)
            #expect(Array(postgres.utf8) == Array(number.canonicalText.utf8), "\(literal)")
        }
    }
}

/// Random JSON with the awkward parts: wide text, escapes, exponents, keys of mixed lengths.
enum GeneratedJSON {
    static let alphabet: [String] = ["a", "Z", "한", "국", "金", "型", "の", "é", "\u{1112}", "\u{1161}", "\"", "\\", "/",
                                     "\n", "\t", "\u{01}", "\u{1F}", "\u{7F}", "😀", " ", "~", "0"]

    static func value(depth: Int, using random: inout SeededRandom) -> JSONValue {
        let choice = depth > 3 ? Int.random(in: 0..<4, using: &random) : Int.random(in: 0..<6, using: &random)
        switch choice {
        case 0: return .string(string(using: &random))
        case 1: return .number(number(using: &random))
        case 2: return [.bool(true), .bool(false), .null][Int.random(in: 0..<3, using: &random)]
        case 3: return .string("")
        case 4: return .array((0..<Int.random(in: 0..<5, using: &random)).map { _ in value(depth: depth + 1, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<6, using: &random) {
                members[string(using: &random)] = value(depth: depth + 1, using: &random)
            }
            return .object(members)
        }
    }

    static func string(using random: inout SeededRandom) -> String {
        (0..<Int.random(in: 0..<8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    static func number(using random: inout SeededRandom) -> JSONNumber {
        var literal = Bool.random(using: &random) ? "-" : ""
        let integer = String(Int.random(in: 0...99_999, using: &random))
        literal += integer
        if Bool.random(using: &random) {
            literal += "." + String(repeating: "0", count: Int.random(in: 0...2, using: &random))
                + String(Int.random(in: 0...999, using: &random))
        }
        if Int.random(in: 0..<3, using: &random) == 0 {
            literal += ["e", "E", "e+", "e-", "E-"].randomElement(using: &random)! + String(Int.random(in: 0...12, using: &random))
        }
        return JSONNumber(literal: literal)!
    }
}
