import ShidoDomain
import Testing
import TestSupport

/// A running engagement `case-j` of company J and engineer yamada-t, started 2014-04-01,
/// with session s1, outcome o1 and trade t1 recorded (events e4, e5, e6).
struct Fixture {
    var harness = DomainHarness()
    let engagement = try! EngagementID("case-j")

    init() throws {
        try harness.accept(.registerCompany(CompanyRegistered(code: try CompanyCode("J"), name: "제이금형", industry: "금형", products: [])))
        try harness.accept(.registerEngineer(EngineerRegistered(engineerID: try EngineerID("yamada-t"), name: "山田 太郎", specialty: "金型", career: "50年")))
        try harness.accept(.startEngagement(Self.start()))
        try harness.accept(.logSession(engagement, try Self.session()))
        try harness.accept(.reportOutcome(engagement, try Self.outcome()))
        try harness.accept(.recordExport(engagement, try Self.trade()))
    }

    static func start() throws -> EngagementStarted {
        EngagementStarted(engagementID: try EngagementID("case-j"), companyCode: try CompanyCode("J"), engineerID: try EngineerID("yamada-t"),
                          guidanceFields: ["금형 설계"], goals: [.costReduction], startDate: try CalendarDate("2014-04-01"), programYear: 2014)
    }

    static func session(_ id: String = "s1", hours: Double = 2.5) throws -> GuidanceSessionLogged {
        GuidanceSessionLogged(sessionID: try SessionID(id), date: try CalendarDate("2014-05-10"), hours: hours, topic: "냉각 채널")
    }

    static func outcome(_ id: String = "o1") throws -> OutcomeReported {
        OutcomeReported(outcomeID: try OutcomeID(id), date: try CalendarDate("2014-12-01"), kind: .costReduction,
                        metric: Metric(name: "원가", unit: "만원", before: 1000, after: 900), description: "10% 절감")
    }

    static func trade(_ id: String = "t1", direction: TradeDirection = .koreaToJapan) throws -> ExportRecorded {
        ExportRecorded(tradeID: try TradeID(id), direction: direction, period: .month(try YearMonth("2015-01")), counterparty: "株式会社A",
                       product: "금형", value: Money(amount: try DecimalAmount("5000000"), currency: try Currency("JPY")))
    }
}

/// One case per rule: a command that breaks exactly that rule on the fixture.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let rule: Rejection.Rule
    let field: String
    let command: @Sendable (EngagementID) throws -> Command
    var testDescription: String { "\(rule.rawValue) at \(field)" }
}

extension RuleCase {
    static var all: [RuleCase] {
        [
            RuleCase(rule: .malformed, field: "/hours") { id in
                try CommandDecoding.decode(.logSession, engagementID: id, body: ["sessionID": "s9", "date": "2014-05-10", "hours": "two", "topic": "x", "format": "onSite", "attendees": 0])
            },
            RuleCase(rule: .textRequired, field: "/topic") { id in
                var session = try Fixture.session("s9"); session.topic = " \u{3000}\n"; return .logSession(id, session)
            },
            RuleCase(rule: .textTooLong, field: "/topic") { id in
                var session = try Fixture.session("s9"); session.topic = String(repeating: "금", count: 301); return .logSession(id, session)
            },
            RuleCase(rule: .controlCharacter, field: "/topic") { id in
                var session = try Fixture.session("s9"); session.topic = "a\u{7}b"; return .logSession(id, session)
            },
            RuleCase(rule: .listRequired, field: "/guidanceFields") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other"); start.guidanceFields = []; return .startEngagement(start)
            },
            RuleCase(rule: .listTooLong, field: "/guidanceFields") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other")
                start.guidanceFields = (0..<21).map { "f\($0)" }; return .startEngagement(start)
            },
            RuleCase(rule: .duplicateInList, field: "/goals/1") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other"); start.goals = [.training, .training]
                return .startEngagement(start)
            },
            RuleCase(rule: .unknownCompany, field: "/companyCode") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other"); start.companyCode = try CompanyCode("Z")
                return .startEngagement(start)
            },
            RuleCase(rule: .unknownEngineer, field: "/engineerID") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other"); start.engineerID = try EngineerID("nobody")
                return .startEngagement(start)
            },
            RuleCase(rule: .unknownEngagement, field: "/engagementID") { _ in .logSession(try EngagementID("nowhere"), try Fixture.session()) },
            RuleCase(rule: .alreadyRegistered, field: "/code") { _ in
                .registerCompany(CompanyRegistered(code: try CompanyCode("J"), name: "다른 이름", industry: "금형", products: []))
            },
            RuleCase(rule: .nothingToUpdate, field: "") { _ in .updateCompany(CompanyUpdated(code: try CompanyCode("J"))) },
            RuleCase(rule: .engagementCompleted, field: "/engagementID") { id in
                .completeEngagement(id, EngagementCompleted(date: try CalendarDate("2015-03-31"), summary: "다른 요약"))
            },
            RuleCase(rule: .dateBeforeStart, field: "/date") { id in
                var session = try Fixture.session("s9"); session.date = try CalendarDate("2014-03-31"); return .logSession(id, session)
            },
            RuleCase(rule: .dateOrder, field: "/plannedEndDate") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other"); start.plannedEndDate = try CalendarDate("2014-01-01")
                return .startEngagement(start)
            },
            RuleCase(rule: .programYearOutOfRange, field: "/programYear") { _ in
                var start = try Fixture.start(); start.engagementID = try EngagementID("other"); start.programYear = 2007; return .startEngagement(start)
            },
            RuleCase(rule: .hoursOutOfRange, field: "/hours") { id in .logSession(id, try Fixture.session("s9", hours: 24.5)) },
            RuleCase(rule: .attendeesNegative, field: "/attendees") { id in
                var session = try Fixture.session("s9"); session.attendees = -1; return .logSession(id, session)
            },
            RuleCase(rule: .valueNotFinite, field: "/metric/after") { id in
                var outcome = try Fixture.outcome("o9"); outcome.metric?.after = .infinity; return .reportOutcome(id, outcome)
            },
            RuleCase(rule: .valueNegative, field: "/metric/before") { id in
                var outcome = try Fixture.outcome("o9"); outcome.metric?.before = -3; return .reportOutcome(id, outcome)
            },
            RuleCase(rule: .periodInvalid, field: "/period/to") { id in
                var trade = try Fixture.trade("t9"); trade.period = .range(try CalendarDate("2015-02-01"), try CalendarDate("2015-01-01"))
                return .recordExport(id, trade)
            },
            RuleCase(rule: .idConflict, field: "/sessionID") { id in .logSession(id, try Fixture.session("s1", hours: 7)) },
            RuleCase(rule: .unknownEntry, field: "/retractedEventID") { id in .retractEntry(id, EntryRetracted(retractedEventID: "e99", reason: "x")) },
            RuleCase(rule: .cannotCorrectThis, field: "/correctedEventID") { id in
                .correctEntry(id, EntryCorrected(correctedEventID: "e3", reason: "x", session: try Fixture.session()))
            },
            RuleCase(rule: .alreadyRetracted, field: "/retractedEventID") { id in .retractEntry(id, EntryRetracted(retractedEventID: "e6", reason: "again")) },
            RuleCase(rule: .replacementMismatch, field: "") { id in
                .correctEntry(id, EntryCorrected(correctedEventID: "e4", reason: "x", outcome: try Fixture.outcome()))
            },
        ]
    }
}

@Suite("Every rule refuses, naming itself and the field")
struct RuleTests {
    /// The fixture, completed and with its trade retracted, for the rules that need that.
    static func state(for rule: Rejection.Rule) throws -> Fixture {
        var fixture = try Fixture()
        if rule == .engagementCompleted {
            try fixture.harness.accept(.completeEngagement(fixture.engagement, EngagementCompleted(date: try CalendarDate("2015-03-31"), summary: "완료")))
        }
        if rule == .alreadyRetracted {
            try fixture.harness.accept(.retractEntry(fixture.engagement, EntryRetracted(retractedEventID: "e6", reason: "중복")))
        }
        return fixture
    }

    @Test("the rule", arguments: RuleCase.all)
    func refuses(_ ruleCase: RuleCase) throws {
        var fixture = try Self.state(for: ruleCase.rule)
        let before = fixture.harness.log.count
        let outcome: Result<Decision, Rejection>
        do {
            outcome = fixture.harness.execute(try ruleCase.command(fixture.engagement))
        } catch let rejection as Rejection {
            outcome = .failure(rejection)
        }
        guard case .failure(let rejection) = outcome else { Issue.record("accepted: \(outcome)"); return }
        #expect(rejection.rule == ruleCase.rule)
        #expect(rejection.field == ruleCase.field)
        #expect(fixture.harness.log.count == before, "a rejected command records nothing")
    }

    @Test("every rule has a case above")
    func everyRuleIsCovered() {
        #expect(Set(RuleCase.all.map(\.rule)) == Set(Rejection.Rule.allCases))
    }

    @Test("a retried command is idempotent; the same ids with other content are refused")
    func retries() throws {
        var fixture = try Fixture()
        #expect(try fixture.harness.accept(.logSession(fixture.engagement, try Fixture.session())).isUnchanged)
        #expect(try fixture.harness.accept(.startEngagement(Fixture.start())).isUnchanged)
        #expect(try fixture.harness.accept(.recordExport(fixture.engagement, try Fixture.trade())).isUnchanged)
        let registration = CompanyRegistered(code: try CompanyCode("J"), name: "  제이금형 ", industry: "금형", products: [])
        #expect(try fixture.harness.accept(.registerCompany(registration)).isUnchanged, "trimmed text counts as the same")
        guard case .failure(let rejection) = fixture.harness.execute(.reportOutcome(fixture.engagement, {
            var outcome = try! Fixture.outcome(); outcome.description = "20% 절감"; return outcome
        }())) else { Issue.record("accepted"); return }
        #expect(rejection.rule == .idConflict && rejection.field == "/outcomeID")
    }

    @Test("a repeat names the events that recorded it, so a retry can answer their positions")
    func repeatsNameTheirEvents() throws {
        var fixture = try Fixture()
        // e1 company, e2 engineer, e3 start, e4 session, e5 outcome, e6 trade
        #expect(try fixture.harness.accept(.registerCompany(CompanyRegistered(code: try CompanyCode("J"), name: "제이금형", industry: "금형", products: [])))
            == .unchanged(recordedBy: ["e1"]))
        #expect(try fixture.harness.accept(.startEngagement(Fixture.start())) == .unchanged(recordedBy: ["e3"]))
        #expect(try fixture.harness.accept(.logSession(fixture.engagement, try Fixture.session())) == .unchanged(recordedBy: ["e4"]))
        #expect(try fixture.harness.accept(.recordExport(fixture.engagement, try Fixture.trade())) == .unchanged(recordedBy: ["e6"]))
        let correction = EntryCorrected(correctedEventID: "e4", reason: "시간 오기", session: try Fixture.session(hours: 3))
        try fixture.harness.accept(.correctEntry(fixture.engagement, correction))
        #expect(try fixture.harness.accept(.correctEntry(fixture.engagement, correction)) == .unchanged(recordedBy: ["e7"]))
        let retraction = EntryRetracted(retractedEventID: "e5", reason: "중복")
        try fixture.harness.accept(.retractEntry(fixture.engagement, retraction))
        #expect(try fixture.harness.accept(.retractEntry(fixture.engagement, retraction)) == .unchanged(recordedBy: ["e8"]))
        let completion = EngagementCompleted(date: try CalendarDate("2015-03-31"), summary: "완료")
        try fixture.harness.accept(.completeEngagement(fixture.engagement, completion))
        #expect(try fixture.harness.accept(.completeEngagement(fixture.engagement, completion)) == .unchanged(recordedBy: ["e9"]))
    }

    @Test("an update with the details already in force records nothing; one that changes a detail is recorded")
    func updatesInForceAreUnchanged() throws {
        var fixture = try Fixture()
        let code = try CompanyCode("J")
        #expect(try fixture.harness.accept(.updateCompany(CompanyUpdated(code: code, name: "제이금형"))) == .unchanged(recordedBy: ["e1"]))
        #expect(try fixture.harness.accept(.updateCompany(CompanyUpdated(code: code, industry: "금형 "))).isUnchanged, "trimmed text counts as the same")
        #expect(try fixture.harness.accept(.updateCompany(CompanyUpdated(code: code, products: ["사출 금형"]))).isUnchanged == false)
        let last = fixture.harness.lastEventID
        #expect(try fixture.harness.accept(.updateCompany(CompanyUpdated(code: code, name: "제이금형", products: ["사출 금형"])))
            == .unchanged(recordedBy: [last]))
        let engineer = try EngineerID("yamada-t")
        #expect(try fixture.harness.accept(.updateEngineer(EngineerUpdated(engineerID: engineer, specialty: "金型"))) == .unchanged(recordedBy: ["e2"]))
        #expect(try fixture.harness.accept(.updateEngineer(EngineerUpdated(engineerID: engineer, career: "50年以上"))).isUnchanged == false)
    }

    @Test("the same correction or retraction again changes nothing; another one is recorded or refused")
    func repeatedCorrections() throws {
        var fixture = try Fixture()
        let correction = EntryCorrected(correctedEventID: "e4", reason: "시간 오기", session: try Fixture.session(hours: 3))
        #expect(try fixture.harness.accept(.correctEntry(fixture.engagement, correction)).isUnchanged == false)
        #expect(try fixture.harness.accept(.correctEntry(fixture.engagement, correction)).isUnchanged)
        let again = EntryCorrected(correctedEventID: "e4", reason: "시간 재수정", session: try Fixture.session(hours: 4))
        #expect(try fixture.harness.accept(.correctEntry(fixture.engagement, again)).isUnchanged == false)
        let retraction = EntryRetracted(retractedEventID: "e6", reason: "중복")
        #expect(try fixture.harness.accept(.retractEntry(fixture.engagement, retraction)).isUnchanged == false)
        #expect(try fixture.harness.accept(.retractEntry(fixture.engagement, retraction)).isUnchanged)
        let other = fixture.harness.execute(.retractEntry(fixture.engagement, EntryRetracted(retractedEventID: "e6", reason: "다른 이유")))
        #expect(throws: Rejection.self) { try other.get() }
    }

    @Test("text is recorded trimmed, Korean and Japanese exactly")
    func textIsTrimmed() throws {
        var fixture = try Fixture()
        var session = try Fixture.session("s2")
        session.topic = "\u{3000} 金型の冷却 / 냉각 \n"
        try fixture.harness.accept(.logSession(fixture.engagement, session))
        #expect(fixture.harness.engagement("case-j").sessions.last?.topic == "金型の冷却 / 냉각")
    }
}

@Suite("Registration state")
struct RegistrationStateTests {
    @Test("updates change only the fields they name, in order")
    func updatesFold() throws {
        var company = CompanyState()
        company.apply(.companyRegistered(CompanyRegistered(code: try CompanyCode("A"), name: "에이", industry: "센서", products: ["p1"])), eventID: "x")
        company.apply(.companyUpdated(CompanyUpdated(code: try CompanyCode("A"), products: ["p1", "p2"])), eventID: "x")
        company.apply(.companyUpdated(CompanyUpdated(code: try CompanyCode("A"), name: "에이 주식회사")), eventID: "x")
        #expect(company.registration?.name == "에이 주식회사")
        #expect(company.registration?.industry == "센서")
        #expect(company.registration?.products == ["p1", "p2"])
        #expect(company.version == 3)

        var engineer = EngineerState()
        engineer.apply(.engineerRegistered(EngineerRegistered(engineerID: try EngineerID("t"), name: "田中", specialty: "溶接", career: "40年")), eventID: "x")
        engineer.apply(.engineerUpdated(EngineerUpdated(engineerID: try EngineerID("t"), specialty: "溶接・検査")), eventID: "x")
        #expect(engineer.registration == EngineerRegistered(engineerID: try EngineerID("t"), name: "田中", specialty: "溶接・検査", career: "40年"))
    }
}
