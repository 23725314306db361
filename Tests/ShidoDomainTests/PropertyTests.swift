import ShidoDomain
import ShidoJSON
import Testing
import TestSupport

/// Random but valid request bodies for the engagement commands, as clients send them.
struct BodyGenerator {
    var random: SeededRandom
    var counter = 0

    static let words = ["금형", "냉각", "設計", "改善", "센서", "品質", "검사", "mould", "line 2", "溶接"]

    mutating func text() -> String {
        (0..<Int.random(in: 1...4, using: &random)).map { _ in Self.words.randomElement(using: &random)! }.joined(separator: " ")
    }

    mutating func date() -> String {
        "20\(Int.random(in: 15...19, using: &random))-\(pad(Int.random(in: 1...12, using: &random)))-\(pad(Int.random(in: 1...28, using: &random)))"
    }

    mutating func nextID(_ prefix: String) -> JSONValue {
        counter += 1
        return .string("gen-\(prefix)\(counter)")
    }

    mutating func session() -> JSONValue {
        var body: [String: JSONValue] = [
            "sessionID": nextID("s"), "date": .string(date()),
            "hours": .number(JSONNumber(literal: ["0.5", "1", "2.25", "8", "24"].randomElement(using: &random)!)!),
            "topic": .string(text()), "format": .string(SessionFormat.allCases.randomElement(using: &random)!.rawValue),
            "attendees": .number(JSONNumber(Int.random(in: 0...30, using: &random))),
        ]
        if Bool.random(using: &random) { body["notes"] = .string(text() + "\n" + text()) }
        return .object(body)
    }

    mutating func outcome() -> JSONValue {
        var body: [String: JSONValue] = [
            "outcomeID": nextID("o"), "date": .string(date()),
            "kind": .string(OutcomeKind.allCases.randomElement(using: &random)!.rawValue), "description": .string(text()),
            "evidence": .string(Evidence.allCases.randomElement(using: &random)!.rawValue),
        ]
        if Bool.random(using: &random) {
            body["metric"] = ["name": .string(text()), "unit": "%", "before": .number(JSONNumber(Int.random(in: 0...100, using: &random))),
                              "after": .number(JSONNumber(Int.random(in: 0...100, using: &random)))]
        }
        return .object(body)
    }

    mutating func trade() -> JSONValue {
        let period: JSONValue = Bool.random(using: &random)
            ? ["month": .string(String(date().prefix(7)))]
            : ["from": "2015-01-01", "to": .string("2015-\(pad(Int.random(in: 1...12, using: &random)))-28")]
        var body: [String: JSONValue] = [
            "tradeID": nextID("t"), "direction": .string(TradeDirection.allCases.randomElement(using: &random)!.rawValue), "period": period,
            "counterparty": .string(text()), "product": .string(text()),
            "value": ["amount": .string("\(Int.random(in: 0...9_999_999, using: &random)).\(pad(Int.random(in: 0...99, using: &random)))"),
                      "currency": .string(["KRW", "JPY", "USD", "EUR"].randomElement(using: &random)!)],
        ]
        if Bool.random(using: &random) {
            body["quantity"] = ["amount": .string(String(Int.random(in: 1...10_000, using: &random))), "unit": .string(["drums", "t", "set"].randomElement(using: &random)!)]
        }
        return .object(body)
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

/// A way to break a valid body, and what the refusal must say.
struct Mutation: Sendable, CustomTestStringConvertible {
    let kind: CommandKind
    let path: [String]
    let value: JSONValue?  // nil removes the member
    let pointer: String
    let rule: Rejection.Rule
    var testDescription: String { "\(kind.rawValue) \(pointer) → \(rule.rawValue)" }

    static let all: [Mutation] = [
        Mutation(kind: .logSession, path: ["hours"], value: 0, pointer: "/hours", rule: .hoursOutOfRange),
        Mutation(kind: .logSession, path: ["hours"], value: .number(JSONNumber(literal: "24.01")!), pointer: "/hours", rule: .hoursOutOfRange),
        Mutation(kind: .logSession, path: ["hours"], value: "3", pointer: "/hours", rule: .malformed),
        Mutation(kind: .logSession, path: ["attendees"], value: -1, pointer: "/attendees", rule: .attendeesNegative),
        Mutation(kind: .logSession, path: ["attendees"], value: .number(JSONNumber(literal: "1.5")!), pointer: "/attendees", rule: .malformed),
        Mutation(kind: .logSession, path: ["format"], value: "onsite", pointer: "/format", rule: .malformed),
        Mutation(kind: .logSession, path: ["date"], value: "2014-02-30", pointer: "/date", rule: .malformed),
        Mutation(kind: .logSession, path: ["date"], value: "2013-12-31", pointer: "/date", rule: .dateBeforeStart),
        Mutation(kind: .logSession, path: ["topic"], value: "  ", pointer: "/topic", rule: .textRequired),
        Mutation(kind: .logSession, path: ["topic"], value: nil, pointer: "/topic", rule: .malformed),
        Mutation(kind: .logSession, path: ["sessionID"], value: "s 1", pointer: "/sessionID", rule: .malformed),
        Mutation(kind: .logSession, path: ["room"], value: "B", pointer: "/room", rule: .malformed),
        Mutation(kind: .reportOutcome, path: ["kind"], value: "happiness", pointer: "/kind", rule: .malformed),
        Mutation(kind: .reportOutcome, path: ["metric"], value: ["name": "m", "unit": " ", "before": 1, "after": 2], pointer: "/metric/unit", rule: .textRequired),
        Mutation(kind: .reportOutcome, path: ["metric"], value: ["name": "m", "unit": "%", "before": -1, "after": 2], pointer: "/metric/before", rule: .valueNegative),
        Mutation(kind: .reportOutcome, path: ["metric"], value: ["name": "m", "before": 1, "after": 2], pointer: "/metric/unit", rule: .malformed),
        Mutation(kind: .reportOutcome, path: ["evidence"], value: "rumour", pointer: "/evidence", rule: .malformed),
        Mutation(kind: .recordExport, path: ["direction"], value: "north", pointer: "/direction", rule: .malformed),
        Mutation(kind: .recordExport, path: ["period"], value: ["month": "2015-13"], pointer: "/period/month", rule: .malformed),
        Mutation(kind: .recordExport, path: ["period"], value: [:], pointer: "/period", rule: .periodInvalid),
        Mutation(kind: .recordExport, path: ["period"], value: ["month": "2015-01", "from": "2015-01-01", "to": "2015-02-01"], pointer: "/period", rule: .periodInvalid),
        Mutation(kind: .recordExport, path: ["value"], value: ["amount": "1.23456", "currency": "JPY"], pointer: "/value/amount", rule: .malformed),
        Mutation(kind: .recordExport, path: ["value"], value: ["amount": "-1", "currency": "JPY"], pointer: "/value/amount", rule: .malformed),
        Mutation(kind: .recordExport, path: ["value"], value: ["amount": "1", "currency": "YEN"], pointer: "/value/currency", rule: .malformed),
        Mutation(kind: .recordExport, path: ["quantity"], value: ["amount": "5000", "unit": ""], pointer: "/quantity/unit", rule: .textRequired),
        Mutation(kind: .recordExport, path: ["counterparty"], value: "a\u{0}b", pointer: "/counterparty", rule: .controlCharacter),
    ]

    func apply(to body: JSONValue) -> JSONValue {
        guard var members = body.objectValue else { return body }
        members[path[0]] = value
        return .object(members)
    }
}

@Suite("Generated commands")
struct PropertyTests {
    static func body(_ kind: CommandKind, _ generator: inout BodyGenerator) -> JSONValue {
        switch kind {
        case .logSession: generator.session()
        case .reportOutcome: generator.outcome()
        default: generator.trade()
        }
    }

    @Test("300 generated valid bodies are accepted, and a retry of each is unchanged")
    func validBodiesAreAccepted() throws {
        var fixture = try Fixture()
        var generator = BodyGenerator(random: SeededRandom(seed: 42))
        for round in 0..<300 {
            let kind = [CommandKind.logSession, .reportOutcome, .recordExport][round % 3]
            let body = Self.body(kind, &generator)
            let command = try CommandDecoding.decode(kind, engagementID: fixture.engagement, body: body)
            guard case .record(let events) = try fixture.harness.accept(command) else { Issue.record("round \(round) was not recorded"); continue }
            #expect(events.count == 1)
            #expect(try fixture.harness.accept(command).isUnchanged)
        }
    }

    @Test("mutations of generated bodies are refused at the right field", arguments: Mutation.all)
    func mutationsAreRefused(_ mutation: Mutation) throws {
        var fixture = try Fixture()
        var generator = BodyGenerator(random: SeededRandom(seed: UInt64(mutation.pointer.utf8.count * 31 + mutation.rule.rawValue.utf8.count)))
        for _ in 0..<20 {
            let body = mutation.apply(to: Self.body(mutation.kind, &generator))
            let before = fixture.harness.log.count
            let outcome: Result<Decision, Rejection>
            do {
                outcome = fixture.harness.execute(try CommandDecoding.decode(mutation.kind, engagementID: fixture.engagement, body: body))
            } catch {
                outcome = .failure(error)
            }
            guard case .failure(let rejection) = outcome else { Issue.record("accepted \(body.canonicalText)"); return }
            #expect(rejection.field == mutation.pointer, "\(rejection)")
            #expect(rejection.rule == mutation.rule, "\(rejection)")
            #expect(fixture.harness.log.count == before)
        }
    }
}
