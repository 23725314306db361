import ShidoJSON

extension ReportPage {
    /// The page for `source`, in the catalogue's language.
    init(_ source: ReportSource, _ catalogue: MessageCatalogue) {
        let words = ReportWords(catalogue)
        let stamp = source.stamp
        let cases = source.engagements.rows
        lang = catalogue.language.rawValue
        t = catalogue.messages
        css = ReportTemplates.text("report.css")
        title = catalogue["title"]
        subtitle = catalogue["subtitle"]
        facts = Self.facts(stamp, catalogue)
        selection = Self.selection(stamp, catalogue)
        checkpoint = stamp.checkpoint
        headline = Self.headline(source.summary.rows, words)
        casesNote = catalogue.text("cases_count", ["count": words.number(String(cases.count))])
        self.cases = cases.map { words.caseRow($0) }
        patterns = source.patterns.rows.map(words.pattern)
        let trade = ReportCharts.trade(source.trade.rows, words)
        charts = trade + [ReportCharts.years(source.years.rows, words), ReportCharts.industries(source.industries.rows, words)]
        noTrade = trade.isEmpty ? catalogue["chart_trade_none"] : nil
        engineers = words.table(source.engineers.rows, [
            ("name", "engineer_name", false), ("engineer", "engineer_id", false), ("specialty", "engineer_specialty", false),
            ("engagements", "column_engagements", true), ("companies", "column_companies", true), ("sessions", "column_sessions", true),
            ("hours", "column_hours", true), ("outcomes", "column_outcomes", true),
        ])
        companies = words.table(source.companies.rows, [
            ("company", "company_code", false), ("name", "company_name", false), ("industry", "company_industry", false),
            ("engagements", "column_engagements", true), ("engineers", "column_engineers", true), ("outcomes", "column_outcomes", true),
            ("trade", "column_trade", false),
        ])
    }

    private static func facts(_ stamp: ReportStamp, _ catalogue: MessageCatalogue) -> [Fact] {
        [
            Fact(key: "asOf", label: catalogue["fact_as_of"], value: stamp.asOf ?? catalogue["fact_as_of_all"], code: false),
            Fact(key: "position", label: catalogue["fact_position"], value: String(stamp.position), code: false),
            Fact(key: "headHash", label: catalogue["fact_head_hash"], value: stamp.headHash, code: true),
            Fact(key: "madeAt", label: catalogue["fact_made_at"], value: stamp.madeAt, code: false),
            Fact(key: "madeBy", label: catalogue["fact_made_by"], value: stamp.madeBy, code: false),
        ]
    }

    private static func selection(_ stamp: ReportStamp, _ catalogue: MessageCatalogue) -> String? {
        var parts: [String] = []
        if let year = stamp.year { parts.append(catalogue.text("selection_year", ["year": String(year)])) }
        if let industry = stamp.industry { parts.append(catalogue.text("selection_industry", ["industry": industry])) }
        return parts.isEmpty ? nil : catalogue.text("selection", ["selection": parts.joined(separator: catalogue["list_separator"])])
    }

    /// The summary's measures in four groups: engagements, outcomes by kind, trade, patterns.
    private static func headline(_ rows: [JSONValue], _ words: ReportWords) -> [FigureGroup] {
        let figures = rows.compactMap { row -> (group: Int, figure: Figure)? in
            guard let measure = row["measure"]?.stringValue, let value = row["value"]?.numberValue?.canonicalText else { return nil }
            return words.figure(measure, value)
        }
        return ["headline_program", "headline_outcomes", "headline_trade", "headline_patterns"].enumerated().compactMap { index, key in
            let members = figures.filter { $0.group == index }.map(\.figure)
            return members.isEmpty ? nil : FigureGroup(title: words.catalogue[key], figures: members)
        }
    }
}

extension JSONValue {
    /// A view reply's rows.
    var rows: [JSONValue] { self["rows"]?.arrayValue ?? [] }

    /// A string as it is, a number in its canonical text.
    var plain: String? { stringValue ?? numberValue?.canonicalText }
}
