import ShidoDomain
import ShidoJSON
import Testing

/// One event of every type, with Korean, Japanese and mixed text.
enum SampleEvents {
    static func all() throws -> [DomainEvent] {
        let day = try CalendarDate("2014-05-10")
        return [
            .companyRegistered(CompanyRegistered(code: try CompanyCode("J"), name: "주식회사 제이금형 (J金型)", industry: "금형", products: ["사출 금형"])),
            .companyUpdated(CompanyUpdated(code: try CompanyCode("J"), products: ["사출 금형", "プレス金型"])),
            .engineerRegistered(EngineerRegistered(engineerID: try EngineerID("yamada-t"), name: "山田 太郎", specialty: "金型設計",
                                                   career: "金型メーカーで50年以上\n設計と製作")),
            .engineerUpdated(EngineerUpdated(engineerID: try EngineerID("yamada-t"), specialty: "金型設計・製作")),
            .engagementStarted(EngagementStarted(engagementID: try EngagementID("case-j"), companyCode: try CompanyCode("J"),
                                                 engineerID: try EngineerID("yamada-t"), guidanceFields: ["금형 설계"],
                                                 goals: [.costReduction, .productivity], startDate: try CalendarDate("2014-04-01"),
                                                 plannedEndDate: try CalendarDate("2015-03-31"), programYear: 2014)),
            .guidanceSessionLogged(GuidanceSessionLogged(sessionID: try SessionID("s1"), date: day, hours: 2.5, topic: "냉각 채널 検討",
                                                         format: .inJapan, attendees: 3, notes: "月例会議")),
            .outcomeReported(OutcomeReported(outcomeID: try OutcomeID("o1"), date: day, kind: .costReduction,
                                             metric: Metric(name: "금형당 원가", unit: "만원", before: 1000, after: 900),
                                             description: "약 10% 절감", evidence: .verified)),
            .exportRecorded(ExportRecorded(tradeID: try TradeID("t1"), direction: .koreaToJapan,
                                           period: .range(try CalendarDate("2015-01-01"), try CalendarDate("2015-06-30")),
                                           counterparty: "株式会社サンプル", product: "사출 금형",
                                           quantity: Quantity(amount: try DecimalAmount("12"), unit: "set"),
                                           value: Money(amount: try DecimalAmount("36000000.50"), currency: try Currency("JPY")))),
            .engagementCompleted(EngagementCompleted(date: try CalendarDate("2015-03-31"), summary: "완료")),
            .entryCorrected(EntryCorrected(correctedEventID: "3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90", reason: "시간 오기",
                                           session: GuidanceSessionLogged(sessionID: try SessionID("s1"), date: day, hours: 3, topic: "냉각"))),
            .entryRetracted(EntryRetracted(retractedEventID: "3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90", reason: "중복 입력")),
        ]
    }
}

@Suite("Events: versioned, Codable, round-tripping")
struct EventCodingTests {
    @Test("every event type round-trips through its stored JSON, text byte for byte")
    func roundTrip() throws {
        let events = try SampleEvents.all()
        #expect(Set(events.map(\.type)) == Set(DomainEvent.currentSchemaVersions.keys))
        for event in events {
            let stored = event.data.canonicalText
            let decoded = try DomainEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: try JSONParser.parse(stored))
            #expect(decoded == event)
            #expect(decoded.data.canonicalText.utf8.elementsEqual(stored.utf8))
        }
    }

    @Test("money and quantities stay decimal strings")
    func moneyIsText() throws {
        let trade = try SampleEvents.all().first { $0.type == "ExportRecorded" }!
        #expect(trade.data["value"]?["amount"] == "36000000.50")
        #expect(trade.data["value"]?["currency"] == "JPY")
    }

    @Test("an unknown event type or a future schema version is refused")
    func unknownTypeOrVersion() {
        #expect(throws: DecodingProblem.self) { try DomainEvent.decode(type: "SomethingElse", schemaVersion: 1, data: [:]) }
        #expect(throws: DecodingProblem.self) { try DomainEvent.decode(type: "EngagementStarted", schemaVersion: 3, data: [:]) }
    }
}

@Suite("Upcasting")
struct UpcastTests {
    static let v1 = #"""
        {"engagementID": "case-a", "companyCode": "A", "engineerID": "e-a", "guidanceFields": ["센서"],
         "goal": "newProduct", "startDate": "2012-04-01", "programYear": 2012}
        """#

    @Test("EngagementStarted v1 (one goal) reads as v2 (a list of goals)")
    func engagementStartedV1() throws {
        let event = try DomainEvent.decode(type: "EngagementStarted", schemaVersion: 1, data: try JSONParser.parse(Self.v1))
        guard case .engagementStarted(let started) = event else { Issue.record("wrong type"); return }
        #expect(started.goals == [.newProduct])
        #expect(event.schemaVersion == 2)
        #expect(event.data["goals"] == ["newProduct"])
        #expect(event.data["goal"] == nil)
    }

    @Test("v1 data read as v2, or v2 data read as v1, is refused with the field")
    func versionsAreNotInterchangeable() throws {
        #expect {
            try DomainEvent.decode(type: "EngagementStarted", schemaVersion: 2, data: try JSONParser.parse(Self.v1))
        } throws: { ($0 as? DecodingProblem)?.pointer == "/goal" || ($0 as? DecodingProblem)?.pointer == "/goals" }
        let v2 = try SampleEvents.all().first { $0.type == "EngagementStarted" }!.data
        #expect {
            try DomainEvent.decode(type: "EngagementStarted", schemaVersion: 1, data: v2)
        } throws: { ($0 as? DecodingProblem)?.pointer == "/goal" }
    }
}
