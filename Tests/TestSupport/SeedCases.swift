import ShidoDomain

/// The seed report's 12 cases (A–L) as commands: a company, an engineer, an engagement with
/// its sessions and outcomes, and the trade flows the case table describes.
///
/// Korea→Japan flows for D, E, F, I, J, K (pattern 1); Japan→Korea flows for A, B, C, G, H, L
/// (pattern 2). Names are the report's own words where it gives them; engineers are invented.
public enum SeedCases {
    public struct Case: Sendable {
        public let code: String
        public let name: String
        public let industry: String
        public let products: [String]
        public let guidance: [String]
        public let goals: [Goal]
        public let outcome: (OutcomeKind, String)
        public let direction: TradeDirection
        public let product: String
        public let year: Int
    }

    public static let cases: [Case] = [
        Case(code: "A", name: "A기업 (환경분석)", industry: "환경 감시 장비", products: ["고감도센서 환경분석 시스템"],
             guidance: ["센서 특징", "환경분석장치 구조설계"], goals: [.newProduct, .defectReduction],
             outcome: (.newProduct, "신제품 개발, 불량률 감소"), direction: .japanToKorea, product: "고감도 센서", year: 2012),
        Case(code: "B", name: "B기업 (불소수지)", industry: "화학", products: ["불소수지", "화학제품"],
             guidance: ["불소도료 국산화", "생산설비"], goals: [.localisation, .exportMarket],
             outcome: (.localisation, "도료 자체 평가 가능"), direction: .japanToKorea, product: "불소 소재", year: 2013),
        Case(code: "C", name: "C기업 (밀베이스)", industry: "디스플레이 소재", products: ["디스플레이용 밀베이스"],
             guidance: ["염료 연구", "분산제 합성", "안료 미립화"], goals: [.productivity, .newProduct],
             outcome: (.productivity, "생산기술 안정화"), direction: .japanToKorea, product: "안료 소재", year: 2013),
        Case(code: "D", name: "D기업 (OPC드럼)", industry: "프린터 부품", products: ["프린터 OPC드럼", "INK"],
             guidance: ["품질안정", "원가절감", "OEM 납품 개선"], goals: [.costReduction, .exportMarket],
             outcome: (.salesGrowth, "일본 OEM 납품 월 5,000개 이상"), direction: .koreaToJapan, product: "OPC 드럼", year: 2014),
        Case(code: "E", name: "E기업 (AL복합판넬)", industry: "건축 자재", products: ["AL복합판넬", "EPS", "그라스울", "LED"],
             guidance: ["판넬 제작 방법", "일본 불연인증"], goals: [.certification, .exportMarket],
             outcome: (.certification, "일본 불연인증 신청"), direction: .koreaToJapan, product: "AL복합판넬", year: 2014),
        Case(code: "F", name: "F기업 (애자)", industry: "전력 기자재", products: ["송전선 지지 도자기 애자"],
             guidance: ["양산 시스템 구축", "조립 안정화", "검사"], goals: [.defectReduction, .training],
             outcome: (.qualityStandard, "일본 애자 제조사 검사 기준 도입"), direction: .koreaToJapan, product: "폴리머 애자용 금구", year: 2015),
        Case(code: "G", name: "G기업 (중장비 부품)", industry: "기계 부품", products: ["중장비 부품", "항공기 부품"],
             guidance: ["용접 방법", "일본 생산설비 선정"], goals: [.productivity, .defectReduction],
             outcome: (.productivity, "최적 용접 방법 확립"), direction: .japanToKorea, product: "용접 설비", year: 2015),
        Case(code: "H", name: "H기업 (분산제)", industry: "정밀화학", products: ["분산제", "소포제", "윤활제", "UV 모노머"],
             guidance: ["R&D 문제 해결", "제품 평가"], goals: [.rdCapability],
             outcome: (.skills, "설계·분석 역량 향상"), direction: .japanToKorea, product: "화학 원료", year: 2016),
        Case(code: "I", name: "I기업 (글라스 프릿)", industry: "전자 소재", products: ["글라스 프릿"],
             guidance: ["분체 기술", "물성 평가", "나노 분말 플라즈마 장비"], goals: [.rdCapability, .exportMarket],
             outcome: (.qualityStandard, "일본 고객 위탁가공 품질 향상"), direction: .koreaToJapan, product: "글라스 프릿 위탁가공", year: 2016),
        Case(code: "J", name: "J기업 (사출금형)", industry: "금형", products: ["플라스틱 사출 금형"],
             guidance: ["금형 설계·제작", "원가·납기 관리"], goals: [.costReduction, .productivity],
             outcome: (.costReduction, "금형당 원가 약 10% 절감, 매출 약 20% 성장"), direction: .koreaToJapan, product: "사출 금형", year: 2016),
        Case(code: "K", name: "K기업 (계측)", industry: "계측 장비", products: ["제철 진단 장비", "핵연료 취급 장비"],
             guidance: ["자기식 로드셀 공정", "슬립링 수명"], goals: [.defectReduction],
             outcome: (.marketIntelligence, "일본 제철사 판매 기대"), direction: .koreaToJapan, product: "로드셀", year: 2017),
        Case(code: "L", name: "L기업 (냉동기)", industry: "냉동 공조", products: ["스크러버", "칠러"],
             guidance: ["냉동 설계·운전", "액분리기 문제"], goals: [.costReduction, .defectReduction],
             outcome: (.defectRate, "압축기 결빙 원인 규명"), direction: .japanToKorea, product: "냉동 부품", year: 2017),
    ]

    /// Every command of every case, in the order a clerk would record them.
    public static func commands() throws -> [Command] {
        try cases.flatMap { try commands(for: $0) }
    }

    public static func commands(for seed: Case) throws -> [Command] {
        let code = try CompanyCode(seed.code)
        let engineer = try EngineerID("engineer-\(seed.code.lowercased())")
        let engagement = try EngagementID("case-\(seed.code.lowercased())")
        let start = try CalendarDate(year: seed.year, month: 4, day: 1)
        return [
            .registerCompany(CompanyRegistered(code: code, name: seed.name, industry: seed.industry, products: seed.products)),
            .registerEngineer(EngineerRegistered(engineerID: engineer, name: "山田 太郎 (\(seed.code))", specialty: seed.guidance[0],
                                                 career: "日本の製造業で40年以上")),
            .startEngagement(EngagementStarted(engagementID: engagement, companyCode: code, engineerID: engineer,
                                               guidanceFields: seed.guidance, goals: seed.goals, startDate: start,
                                               plannedEndDate: try CalendarDate(year: seed.year + 1, month: 3, day: 31), programYear: seed.year)),
            .logSession(engagement, GuidanceSessionLogged(sessionID: try SessionID("s1"), date: try CalendarDate(year: seed.year, month: 5, day: 10),
                                                          hours: 6, topic: seed.guidance[0], format: .onSite, attendees: 4)),
            .logSession(engagement, GuidanceSessionLogged(sessionID: try SessionID("s2"), date: try CalendarDate(year: seed.year, month: 6, day: 14),
                                                          hours: 2.5, topic: seed.guidance.last!, format: .remote, attendees: 2)),
            .reportOutcome(engagement, OutcomeReported(outcomeID: try OutcomeID("o1"), date: try CalendarDate(year: seed.year, month: 12, day: 1),
                                                       kind: seed.outcome.0, description: seed.outcome.1)),
            .recordExport(engagement, ExportRecorded(tradeID: try TradeID("t1"), direction: seed.direction,
                                                     period: .month(try YearMonth("\(seed.year + 1)-01")),
                                                     counterparty: seed.direction == .koreaToJapan ? "日本の顧客企業" : "日本の供給企業",
                                                     product: seed.product, value: Money(amount: try DecimalAmount("1000000"), currency: try Currency("JPY")))),
        ]
    }
}
