import CommandHandling
import Foundation
import PostgresClient
import ProgramViews
import Projections
import ShidoDomain
import ShidoJSON
import Testing
import TestSupport

/// The versioned read model against the replay oracle: random small programs, every cut-off.
@Suite("Bitemporal views")
struct BitemporalTests {
    static let asOfDates = ["2020-06-30", "2021-03-31"]
    /// The shipped projections, with stretches of three positions: these programs are short.
    static let shortStretches: [any Projection] = [DirectoryProjection(), EngagementsProjection(stretchLength: 3)]

    @Test("known-at (with and without as-of) equals the replay oracle at every position, every view", arguments: [UInt64(1), 2, 3])
    func knownAtEqualsOracle(seed: UInt64) async throws {
        let fixture = try await ProgramFixture.make("bitemporal_\(seed)", projections: Self.shortStretches)
        var program = RandomProgram(seed: seed)
        try await program.record(into: fixture)
        let head = try await fixture.head()
        #expect(head > 40, "the program is big enough to say something")
        let twiceCorrected = try fixture.scalar("""
            SELECT count(*) FROM (SELECT data ->> 'correctedEventID' FROM shido.events WHERE type = 'EntryCorrected'
                                  GROUP BY 1 HAVING count(*) > 1) twice
            """)
        let retractions = try fixture.scalar("SELECT count(*) FROM shido.events WHERE type = 'EntryRetracted'")
        let earlyFlows = try fixture.scalar("SELECT count(*) FROM shido.events WHERE type = 'ExportRecorded' AND data -> 'period' ? 'from'")
        #expect(twiceCorrected > 0 && retractions > 0 && earlyFlows > 0, "seed \(seed) exercises every rule")
        for cutoff in 0...head {
            let dates: [String?] = cutoff % 4 == 0 || cutoff == head ? [nil] + Self.asOfDates : [nil]
            // Narrowed to a year, an industry (K1 moves from 화학 to 정밀화학 part-way), both, at every fourth cut-off.
            let scopes: [(Int?, String?)] = cutoff % 4 == 0 || cutoff == head ? [(nil, nil), (2020, nil), (nil, "화학"), (2019, "정밀화학")] : [(nil, nil)]
            let requests = dates.flatMap { asOf in
                ViewName.allCases.flatMap { view in
                    scopes.map { year, industry in
                        var request = ViewRequest(view: view)
                        request.knownAt = .position(cutoff)
                        request.asOf = asOf
                        request.filters.year = year
                        request.filters.industry = industry
                        return request
                    }
                }
            }
            let expected = try await fixture.oracle(requests, through: cutoff)
            for (request, oracle) in zip(requests, expected) {
                let answer = try await fixture.reader.answer(request, timeout: .seconds(30))
                #expect(answer.position == cutoff)
                #expect(try JSONParser.parse(answer.rowsJSON) == JSONParser.parse(oracle),
                        "seed \(seed): \(request.view) known at \(cutoff) as of \(request.asOf ?? "-") year \(request.filters.year.map(String.init) ?? "-") industry \(request.filters.industry ?? "-")")
            }
        }
        await fixture.close()
    }

    @Test("every fast form answers what the general form answers, now, as of, known at and both")
    func fastFormsEqualGeneral() async throws {
        let fixture = try await ProgramFixture.make("bitemporal_fast", projections: Self.shortStretches)
        var program = RandomProgram(seed: 7)
        try await program.record(into: fixture)
        let head = try await fixture.head()
        for knownAt in [nil, head / 3, head / 2, head] {
            for asOf in [nil] + Self.asOfDates {
                for view in ViewName.allCases {
                    for pattern in view == .engagements ? [nil, "both", "neither", "salesToJapaneseExports"] : [nil] {
                        var request = ViewRequest(view: view)
                        request.knownAt = knownAt.map { .position($0) }
                        request.asOf = asOf
                        request.filters.pattern = pattern
                        var general = request
                        general.generalForm = true
                        let fast = try await fixture.reader.answer(request, minPosition: head, timeout: .seconds(30))
                        let reference = try await fixture.reader.answer(general, minPosition: head, timeout: .seconds(30))
                        #expect(try JSONParser.parse(fast.rowsJSON) == JSONParser.parse(reference.rowsJSON),
                                "\(view) known at \(knownAt.map(String.init) ?? "now") as of \(asOf ?? "-") pattern \(pattern ?? "-")")
                    }
                }
            }
        }
        await fixture.close()
    }

    @Test("a generation built from the whole log at once answers every view at every moment as the one kept range by range")
    func builtEqualsKeptRangeByRange() async throws {
        let fixture = try await ProgramFixture.make("bitemporal_built", projections: Self.shortStretches)
        var program = RandomProgram(seed: 23)
        try await program.record(into: fixture)
        let head = try await fixture.head()
        var requests: [ViewRequest] = []
        for knownAt in [nil, head / 4, head / 2, head - 1] {
            for asOf in [nil] + Self.asOfDates {
                for view in ViewName.allCases {
                    for generalForm in [false, true] {
                        var request = ViewRequest(view: view)
                        request.knownAt = knownAt.map { .position($0) }
                        request.asOf = asOf
                        request.generalForm = generalForm
                        requests.append(request)
                    }
                }
            }
        }
        func answers() async throws -> [JSONValue] {
            var answers: [JSONValue] = []
            for request in requests {
                answers.append(try JSONParser.parse(try await fixture.reader.answer(request, minPosition: head, timeout: .seconds(30)).rowsJSON))
            }
            return answers
        }
        let keptRangeByRange = try await answers()
        let requester = try PostgresConnection(fixture.superuser.assuming(role: "shido_app"))
        #expect(try ProjectionService.requestRebuild("engagements", on: requester))
        requester.close()
        let swapped = try await RuntimeTests.eventually(.seconds(60)) {
            let status = fixture.service.board.status("engagements")
            return status?.generation == 2 && status?.rebuildGeneration == nil
        }
        #expect(swapped)
        #expect(fixture.service.board.status("engagements")?.buildProblem == nil, "the rebuild was built at once, not page by page")
        let built = try await answers()
        for (index, request) in requests.enumerated() where built[index] != keptRangeByRange[index] {
            Issue.record("\(request.view) known at \(String(describing: request.knownAt)) as of \(request.asOf ?? "-") general \(request.generalForm)")
        }
        await fixture.close()
    }

    @Test("the figures kept range by range (measures, totals, both's trade, counts) answer what the general form answers, after every event")
    func liveFormsEqualGeneralAfterEveryEvent() async throws {
        let fixture = try await ProgramFixture.make("bitemporal_live", projections: Self.shortStretches)
        // Its first answer comes right after the first event: on a machine busy with the
        // whole suite, the projectors may still be starting (schemas, tables) well after that.
        #expect(try await RuntimeTests.eventually(.seconds(120)) { fixture.service.board.statuses.allSatisfy { $0.state == .live } })
        var program = RandomProgram(seed: 11)
        program.afterEachCommand = {
            let head = try await fixture.head()
            let moments: [(asOf: String?, knownAt: Int64?)] = [(nil, nil), ("2020-06-30", nil), (nil, max(1, head - 2))]
            for view in ViewName.allCases where view != .trade {
                for moment in moments {
                    var request = ViewRequest(view: view)
                    request.asOf = moment.asOf
                    request.knownAt = moment.knownAt.map { .position($0) }
                    var general = request
                    general.generalForm = true
                    let fast = try await fixture.reader.answer(request, minPosition: head, timeout: .seconds(30))
                    let reference = try await fixture.reader.answer(general, minPosition: head, timeout: .seconds(30))
                    #expect(try JSONParser.parse(fast.rowsJSON) == JSONParser.parse(reference.rowsJSON),
                            "\(view) at \(head) as of \(moment.asOf ?? "-") known at \(moment.knownAt.map(String.init) ?? "now")")
                }
            }
        }
        try await program.record(into: fixture)
        await fixture.close()
    }
}

/// A random small program, valid by the domain's rules: a few companies and engineers (one
/// renamed), engagements starting on different dates, sessions, outcomes and trade flows
/// dated before and after each other (flows may begin before their engagement), corrections
/// of corrections (dates, hours, directions, values), retractions, completions.
struct RandomProgram {
    private var random: SeededRandom
    private var entries: [(engagement: EngagementID, eventID: String, original: Command, retracted: Bool)] = []
    private var completed = Set<String>()

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func record(into fixture: ProgramFixture) async throws {
        for index in 0..<3 {
            try await handle(.registerCompany(CompanyRegistered(
                code: try CompanyCode("K\(index)"), name: "회사 \(index)", industry: ["금형", "화학"][index % 2], products: ["부품"])), fixture)
            try await handle(.registerEngineer(EngineerRegistered(
                engineerID: try EngineerID("g\(index)"), name: "技術者 \(index)", specialty: "品質", career: "30年")), fixture)
        }
        for index in 0..<4 {
            let start = try startDate(try EngagementID("p\(index)"))
            try await handle(.startEngagement(EngagementStarted(
                engagementID: try EngagementID("p\(index)"), companyCode: try CompanyCode("K\(index % 3)"),
                engineerID: try EngineerID("g\((index + 1) % 3)"), guidanceFields: ["공정"], goals: [.productivity],
                startDate: start, programYear: start.year)), fixture)
        }
        try await randomTail(fixture)
    }

    private mutating func randomTail(_ fixture: ProgramFixture) async throws {
        try await handle(.updateCompany(CompanyUpdated(code: try CompanyCode("K1"), name: "회사 1 (개명)", industry: "정밀화학")), fixture)
        // Updates that build on each other (often in one range of the projector), each field alone.
        try await handle(.updateCompany(CompanyUpdated(code: try CompanyCode("K2"), products: ["부품", "금형 부품"])), fixture)
        try await handle(.updateCompany(CompanyUpdated(code: try CompanyCode("K1"), name: "회사 1 (재개명)")), fixture)
        try await handle(.updateEngineer(EngineerUpdated(engineerID: try EngineerID("g0"), career: "35年")), fixture)
        try await handle(.updateEngineer(EngineerUpdated(engineerID: try EngineerID("g0"), name: "技術者 0 (改名)", specialty: "金型")), fixture)
        for step in 0..<50 {
            let engagement = try EngagementID("p\(Int.random(in: 0..<4, using: &random))")
            let roll = Int.random(in: 0..<20, using: &random)
            let date = max(try randomDate(), try startDate(engagement))
            let open = entries.indices.filter { !entries[$0].retracted }
            switch roll {
            case 0..<6 where !completed.contains(engagement.text):
                try await entry(engagement, .logSession(engagement, GuidanceSessionLogged(
                    sessionID: try SessionID("s\(step)"), date: date, hours: Double(1 + step % 3), topic: "주제 \(step)")), fixture)
            case 6..<9 where !completed.contains(engagement.text):
                try await entry(engagement, .reportOutcome(engagement, OutcomeReported(
                    outcomeID: try OutcomeID("o\(step)"), date: date,
                    kind: [.defectRate, .salesGrowth, .productivity][step % 3], description: "성과 \(step)")), fixture)
            case 9..<13 where !completed.contains(engagement.text):
                try await entry(engagement, .recordExport(engagement, try trade(step, date: date, start: try startDate(engagement))), fixture)
            case 13..<17 where !open.isEmpty:
                let pick = open[Int.random(in: 0..<open.count, using: &random)]
                if let correction = try corrected(entries[pick].original, step: step) {
                    try await handle(.correctEntry(entries[pick].engagement, EntryCorrected(
                        correctedEventID: entries[pick].eventID, reason: "정정 \(step)", session: correction.session,
                        outcome: correction.outcome, trade: correction.trade)), fixture)
                    entries[pick].original = correction.command
                }
            case 17..<19 where !open.isEmpty:
                let pick = open[Int.random(in: 0..<open.count, using: &random)]
                try await handle(.retractEntry(entries[pick].engagement, EntryRetracted(retractedEventID: entries[pick].eventID, reason: "철회")), fixture)
                entries[pick].retracted = true
            case 19 where !completed.contains(engagement.text):
                try await handle(.completeEngagement(engagement, EngagementCompleted(date: try CalendarDate("2021-12-31"), summary: "완료")), fixture)
                completed.insert(engagement.text)
            default:
                break
            }
        }
    }

    private func startDate(_ engagement: EngagementID) throws -> CalendarDate {
        let index = Int(engagement.text.dropFirst())!
        return try CalendarDate(year: 2019 + index % 3, month: 1 + index * 2, day: 10)
    }

    private mutating func randomDate() throws -> CalendarDate {
        try CalendarDate(year: 2019 + Int.random(in: 0..<3, using: &random), month: Int.random(in: 1...12, using: &random), day: 15)
    }

    /// A month's flow, or one over a range that may begin before the engagement started.
    private mutating func trade(_ step: Int, date: CalendarDate, start: CalendarDate) throws -> ExportRecorded {
        let early = Bool.random(using: &random)
        return ExportRecorded(
            tradeID: try TradeID("t\(step)"), direction: Bool.random(using: &random) ? .koreaToJapan : .japanToKorea,
            period: early ? .range(try CalendarDate(year: start.year, month: start.month, day: 1), try CalendarDate(year: start.year, month: start.month, day: 28))
                          : .month(date.yearMonth),
            counterparty: "相手 \(step % 3)", product: "부품",
            value: Money(amount: try DecimalAmount("\(100 * (1 + step))"), currency: try Currency(step % 3 == 0 ? "KRW" : "JPY")))
    }

    private mutating func corrected(_ command: Command, step: Int)
        throws -> (command: Command, session: GuidanceSessionLogged?, outcome: OutcomeReported?, trade: ExportRecorded?)?
    {
        switch command {
        case .logSession(let engagement, var session):
            session.hours = Double(1 + step % 5)
            if Bool.random(using: &random) { session.date = max(try randomDate(), try startDate(engagement)) }
            return (.logSession(engagement, session), session, nil, nil)
        case .reportOutcome(let engagement, var outcome):
            outcome.description = "정정된 성과 \(step)"
            if Bool.random(using: &random) { outcome.date = max(try randomDate(), try startDate(engagement)) }
            return (.reportOutcome(engagement, outcome), nil, outcome, nil)
        case .recordExport(let engagement, var trade):
            if Bool.random(using: &random) { trade.direction = trade.direction == .koreaToJapan ? .japanToKorea : .koreaToJapan }
            if Bool.random(using: &random) { trade.period = .month(max(try randomDate(), try startDate(engagement)).yearMonth) }
            trade.value = Money(amount: try DecimalAmount("\(7 * step)"), currency: trade.value.currency)
            return (.recordExport(engagement, trade), nil, nil, trade)
        default:
            return nil
        }
    }

    private mutating func entry(_ engagement: EngagementID, _ command: Command, _ fixture: ProgramFixture) async throws {
        let receipt = try await fixture.handler.handle(command, as: ProgramFixture.clerk)
        entries.append((engagement, receipt.events[0].id.uuidString.lowercased(), command, false))
    }

    /// Run after every command recorded (e.g. to compare views live, one event at a time).
    var afterEachCommand: (@Sendable () async throws -> Void)?

    private func handle(_ command: Command, _ fixture: ProgramFixture) async throws {
        _ = try await fixture.handler.handle(command, as: ProgramFixture.clerk)
        try await afterEachCommand?()
    }
}
