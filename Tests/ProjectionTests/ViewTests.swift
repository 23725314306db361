import ProgramViews
import ShidoJSON
import Testing

/// Each view on the seed fixture, against figures computed by hand from the report's cases.
@Suite("Views on the seed's 12 cases")
struct ViewTests {
    @Test("summary: engagements, sessions, hours, outcomes by kind, trade by direction, patterns")
    func summary() async throws {
        let fixture = try await ProgramFixture.make("views_summary")
        let position = try await SeedFixture.record(into: fixture)
        let summary = try await fixture.summary(minPosition: position)
        await fixture.close()
        // 12 cases; A and B completed. 2 sessions each (6 h + 2.5 h), A's second corrected to 4 h.
        #expect(summary["engagements"] == "12")
        #expect(summary["engagements active"] == "10")
        #expect(summary["engagements completed"] == "2")
        #expect(summary["companies"] == "12")
        #expect(summary["engineers"] == "12")
        #expect(summary["sessions"] == "24")
        #expect(summary["hours"] == "103.5")
        #expect(summary["outcomes"] == "12")
        #expect(summary["outcomes productivity"] == "2")
        #expect(summary["outcomes qualityStandard"] == "2")
        #expect(summary["outcomes defectRate"] == "1")
        // K→J: D E F I K at 1,000,000 and J corrected to 2,500,000. J→K: A B C G H, L retracted, D's 300,000.
        #expect(summary["trade koreaToJapan JPY"] == "7500000")
        #expect(summary["trade japanToKorea JPY"] == "5300000")
        #expect(summary["pattern productionStabilisation"] == "6")
        #expect(summary["pattern salesToJapaneseExports"] == "6")
        #expect(summary["pattern both"] == "1")
        #expect(summary["pattern neither"] == "1")
    }
}

extension ViewTests {
    static func ids(_ rows: [JSONValue], _ key: String = "engagement") -> [String] { rows.map { $0[key]?.textForm ?? "?" } }
    static func texts(_ value: JSONValue?) -> [String] { value?.arrayValue?.map(\.textForm) ?? [] }

    @Test("engagements: the case table, and each of its filters")
    func engagements() async throws {
        let fixture = try await ProgramFixture.make("views_engagements")
        let position = try await SeedFixture.record(into: fixture)
        let all = try await fixture.rows(.engagements, minPosition: position)
        let year2016 = try await fixture.rows(.engagements) { $0.filters.year = 2016 }
        let both = try await fixture.rows(.engagements) { $0.filters.pattern = "both" }
        let neither = try await fixture.rows(.engagements) { $0.filters.pattern = "neither" }
        let completed = try await fixture.rows(.engagements) { $0.filters.status = "completed" }
        let chemistry = try await fixture.rows(.engagements) { $0.filters.industry = "화학" }
        let byEngineer = try await fixture.rows(.engagements) { $0.filters.engineer = "engineer-k" }
        let byCompany = try await fixture.rows(.engagements) { $0.filters.company = "C" }
        let page = try await fixture.rows(.engagements) { $0.filters.limit = 5; $0.filters.offset = 10 }
        await fixture.close()

        #expect(Self.ids(all) == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"].map { "case-\($0)" })
        #expect(Self.ids(year2016) == ["case-h", "case-i", "case-j"])
        let j = try #require(year2016.last)
        #expect(j["companyName"]?.textForm == "J기업 (사출금형)")
        #expect(j["engineerName"]?.textForm == "山田 太郎 (J)")
        #expect(j["sessions"]?.textForm == "2")
        #expect(j["hours"]?.textForm == "8.5")
        #expect(Self.texts(j["outcomes"]) == ["금형당 원가 약 10% 절감, 매출 약 20% 성장"])
        #expect(Self.texts(j["trade"]) == ["koreaToJapan 2500000 JPY"])
        #expect(Self.texts(j["patterns"]) == ["productionStabilisation"])
        #expect(j["status"]?.textForm == "active")
        #expect(Self.ids(both) == ["case-d"])
        #expect(Self.texts(both.first?["trade"]) == ["japanToKorea 300000 JPY", "koreaToJapan 1000000 JPY"])
        #expect(Self.ids(neither) == ["case-l"])
        #expect(Self.texts(neither.first?["trade"]) == [])
        #expect(Self.ids(completed) == ["case-a", "case-b"])
        #expect(completed.first?["completed"]?.textForm == "2013-03-31")
        #expect(Self.ids(chemistry) == ["case-b"])
        #expect(Self.ids(byEngineer) == ["case-k"])
        #expect(Self.ids(byCompany) == ["case-c"])
        #expect(Self.ids(page) == ["case-k", "case-l"])
    }

    @Test("engineers, companies and industries: per-entity totals")
    func perEntity() async throws {
        let fixture = try await ProgramFixture.make("views_entities")
        let position = try await SeedFixture.record(into: fixture)
        let engineers = try await fixture.rows(.engineers, minPosition: position)
        let companies = try await fixture.rows(.companies)
        let industries = try await fixture.rows(.industries)
        await fixture.close()

        #expect(engineers.count == 12)
        let a = try #require(engineers.first { $0["engineer"]?.textForm == "engineer-a" })
        #expect([a["engagements"], a["companies"], a["sessions"], a["hours"], a["outcomes"]].map { $0?.textForm } == ["1", "1", "2", "10", "1"])
        #expect(a["name"]?.textForm == "山田 太郎 (A)")
        #expect(companies.count == 12)
        let d = try #require(companies.first { $0["company"]?.textForm == "D" })
        #expect(Self.texts(d["trade"]) == ["japanToKorea 300000 JPY", "koreaToJapan 1000000 JPY"])
        let l = try #require(companies.first { $0["company"]?.textForm == "L" })
        #expect(Self.texts(l["trade"]) == [])
        #expect(l["outcomes"]?.textForm == "1")
        #expect(industries.count == 12)
        let chemistry = try #require(industries.first { $0["industry"]?.textForm == "화학" })
        #expect(chemistry["share"]?.textForm == "8.3")
        #expect(Self.texts(chemistry["trade"]) == ["japanToKorea 1000000 JPY"])
    }

    @Test("patterns: members with their evidence, both and neither")
    func patterns() async throws {
        let fixture = try await ProgramFixture.make("views_patterns")
        let position = try await SeedFixture.record(into: fixture)
        let rows = try await fixture.rows(.patterns, minPosition: position)
        await fixture.close()

        #expect(Self.ids(rows, "pattern") == ["productionStabilisation", "salesToJapaneseExports", "both", "neither"])
        #expect(rows.map { $0["engagements"]?.textForm } == ["6", "6", "1", "1"])
        #expect(rows.map { Self.texts($0["trade"]) } == [
            ["koreaToJapan 7500000 JPY"], ["japanToKorea 5300000 JPY"],
            ["japanToKorea 300000 JPY", "koreaToJapan 1000000 JPY"], [],
        ])
        let cases = rows[0]["cases"]?.arrayValue ?? []
        #expect(Self.ids(cases) == ["case-d", "case-e", "case-f", "case-i", "case-j", "case-k"])
        // Pattern 1's evidence for D is its Korea→Japan flow only, with D's outcome.
        let d = try #require(cases.first)
        #expect(d["flows"]?.arrayValue?.map { $0["direction"]?.textForm } == ["koreaToJapan"])
        #expect(d["flows"]?.arrayValue?.first?["counterparty"]?.textForm == "日本の顧客企業")
        #expect(d["outcomes"]?.arrayValue?.map { $0["description"]?.textForm } == ["일본 OEM 납품 월 5,000개 이상"])
        #expect(Self.ids(rows[3]["cases"]?.arrayValue ?? []) == ["case-l"])
    }

    @Test("trade: direction by period and industry, and the balance")
    func trade() async throws {
        let fixture = try await ProgramFixture.make("views_trade")
        let position = try await SeedFixture.record(into: fixture)
        let byYear = try await fixture.rows(.trade, minPosition: position)
        let byQuarter = try await fixture.rows(.trade) { $0.filters.period = "quarter" }
        let byMonth = try await fixture.rows(.trade) { $0.filters.period = "month"; $0.filters.industry = "프린터 부품" }
        await fixture.close()

        func total(_ key: String) -> Double { byYear.reduce(0) { $0 + Double($1[key]!.textForm)! } }
        #expect(total("koreaToJapan") == 7_500_000)
        #expect(total("japanToKorea") == 5_300_000)
        #expect(total("balance") == 2_200_000)
        #expect(total("flows") == 12)
        let mold = try #require(byYear.first { $0["industry"]?.textForm == "금형" })
        #expect([mold["period"], mold["koreaToJapan"], mold["balance"]].map { $0?.textForm } == ["2017", "2500000", "2500000"])
        #expect(byQuarter.contains { $0["period"]?.textForm == "2016-Q1" && $0["japanToKorea"]?.textForm == "300000" })
        #expect(byMonth.map { $0["period"]?.textForm } == ["2015-01", "2016-02"])
    }

    @Test("years: per program year")
    func years() async throws {
        let fixture = try await ProgramFixture.make("views_years")
        let position = try await SeedFixture.record(into: fixture)
        let rows = try await fixture.rows(.years, minPosition: position)
        await fixture.close()

        #expect(Self.ids(rows, "year") == ["2012", "2013", "2014", "2015", "2016", "2017"])
        let y2014 = rows[2]
        #expect([y2014["started"], y2014["completed"], y2014["sessions"], y2014["hours"], y2014["outcomes"]].map { $0?.textForm }
            == ["2", "0", "4", "17", "2"])
        #expect(Self.texts(y2014["trade"]) == ["japanToKorea 300000 JPY", "koreaToJapan 2000000 JPY"])
        #expect(rows[0]["completed"]?.textForm == "1")
        #expect(Self.texts(rows[5]["trade"]) == ["koreaToJapan 1000000 JPY"])
    }

    @Test("as of a business date: only what was dated by then, with every correction")
    func asOf() async throws {
        let fixture = try await ProgramFixture.make("views_as_of")
        let position = try await SeedFixture.record(into: fixture)
        let summary = try await fixture.summary(minPosition: position, asOf: "2013-12-31")
        let engagements = try await fixture.rows(.engagements, asOf: "2013-12-31")
        await fixture.close()

        #expect(summary["engagements"] == "3")
        #expect(summary["engagements completed"] == "1")
        #expect(summary["sessions"] == "6")
        #expect(summary["hours"] == "27")
        #expect(summary["outcomes"] == "3")
        #expect(summary["trade japanToKorea JPY"] == "1000000")
        #expect(summary["trade koreaToJapan JPY"] == nil)
        #expect(summary["pattern salesToJapaneseExports"] == "1")
        #expect(summary["pattern neither"] == "2")
        #expect(Self.ids(engagements) == ["case-a", "case-b", "case-c"])
        #expect(engagements[1]["status"]?.textForm == "active")
    }
}

extension ViewTests {
    @Test("the fast forms for now answer exactly what the general forms answer with no cut-off")
    func liveMatchesGeneral() async throws {
        let fixture = try await ProgramFixture.make("views_live_general")
        let position = try await SeedFixture.record(into: fixture)
        for view in ViewName.allCases {
            for pattern in view == .engagements ? [nil, "both", "neither", "productionStabilisation"] : [nil] {
                let live = try await fixture.rows(view, minPosition: position) { $0.filters.pattern = pattern }
                let general = try await fixture.rows(view, asOf: "9999-12-31") { $0.filters.pattern = pattern }
                #expect(live == general, "view \(view) pattern \(pattern ?? "-")")
            }
        }
        await fixture.close()
    }
}

extension ViewTests {
    @Test("narrowed to a year or an industry, every view counts what the years and industries views count for it")
    func narrowed() async throws {
        let fixture = try await ProgramFixture.make("views_narrowed")
        let position = try await SeedFixture.record(into: fixture)
        func summary(_ configure: (inout ViewRequest) -> Void) async throws -> [String: String] {
            let rows = try await fixture.rows(.summary, minPosition: position, configure: configure)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["measure"]!.stringValue!, $0["value"]!.textForm) })
        }
        let years = try await fixture.rows(.years, minPosition: position)
        #expect(years.count > 3)
        for row in years {
            let year = Int(row["year"]!.textForm)!
            let narrowed = try await summary { $0.filters.year = year }
            #expect(narrowed["engagements"] == row["started"]?.textForm && narrowed["engagements completed"] == row["completed"]?.textForm)
            #expect(narrowed["sessions"] == row["sessions"]?.textForm && narrowed["hours"] == row["hours"]?.textForm, "\(year)")
            #expect(narrowed["outcomes"] == row["outcomes"]?.textForm, "\(year)")
            let trade = narrowed.filter { $0.key.hasPrefix("trade ") }.map { "\($0.key.dropFirst(6).split(separator: " ")[0]) \($0.value) \($0.key.split(separator: " ")[2])" }
            #expect(trade.sorted() == Self.texts(row["trade"]).sorted(), "\(year)")
            let itsYears = try await fixture.rows(.years, minPosition: position) { $0.filters.year = year }
            #expect(itsYears == [row], "the years view narrowed to \(year) is its own row")
            let cases = try await fixture.rows(.engagements, minPosition: position) { $0.filters.year = year }
            let patterns = try await fixture.rows(.patterns, minPosition: position) { $0.filters.year = year; $0.filters.limit = 100 }
            let listed = Set(patterns.flatMap { pattern in (pattern["cases"]?.arrayValue ?? []).map { $0["engagement"]!.textForm } })
            #expect(listed.isSubset(of: Set(Self.ids(cases))), "\(year): patterns list only that year's cases")
        }
        for row in try await fixture.rows(.industries, minPosition: position) {
            let industry = row["industry"]!.textForm
            let narrowed = try await summary { $0.filters.industry = industry }
            #expect(narrowed["engagements"] == row["engagements"]?.textForm && narrowed["outcomes"] == row["outcomes"]?.textForm, "\(industry)")
            let companies = try await fixture.rows(.companies, minPosition: position) { $0.filters.industry = industry }
            #expect(companies.count == Int(row["companies"]!.textForm) && companies.allSatisfy { $0["industry"]?.textForm == industry })
            let engineers = try await fixture.rows(.engineers, minPosition: position) { $0.filters.industry = industry }
            #expect(engineers.map { Int($0["engagements"]!.textForm)! }.reduce(0, +) == Int(row["engagements"]!.textForm)!)
            let trade = try await fixture.rows(.trade, minPosition: position) { $0.filters.industry = industry }
            #expect(trade.allSatisfy { $0["industry"]?.textForm == industry })
        }
        let nothing = try await summary { $0.filters.year = 1999 }
        #expect(nothing["engagements"] == "0" && nothing["sessions"] == "0")
        await fixture.close()
    }
}
