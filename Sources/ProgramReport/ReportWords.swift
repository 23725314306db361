import ShidoJSON

/// The catalogue and the number formats together: how each piece of a view reads in the
/// report's language.
struct ReportWords {
    let catalogue: MessageCatalogue
    let numbers: NumberText

    init(_ catalogue: MessageCatalogue) {
        self.catalogue = catalogue
        numbers = NumberText(catalogue)
    }

    func number(_ canonical: String) -> String { numbers.grouped(canonical) }

    func direction(_ key: String) -> String { catalogue.label("direction", key) }

    /// `koreaToJapan 1000000 JPY` (a view's trade total) in words: `한국→일본 1,000,000 JPY`.
    func trade(_ total: String) -> String {
        let parts = total.split(separator: " ").map(String.init)
        guard parts.count == 3 else { return total }
        return catalogue.text("trade_total", ["direction": direction(parts[0]), "amount": numbers.money(parts[1], parts[2])])
    }

    /// A summary measure: its group (0 program, 1 outcomes, 2 trade, 3 patterns) and how it reads.
    func figure(_ measure: String, _ value: String) -> (group: Int, figure: ReportPage.Figure) {
        let words = measure.split(separator: " ").map(String.init)
        let (group, label, text): (Int, String, String) = switch words.first {
        case "outcomes" where words.count == 2: (1, catalogue.label("outcome", words[1]), number(value))
        case "trade" where words.count == 3:
            (2, catalogue.text("trade_measure", ["direction": direction(words[1]), "currency": words[2]]), numbers.money(value, words[2]))
        case "pattern" where words.count == 2: (3, catalogue.label("pattern", words[1]), number(value))
        case "outcomes": (1, catalogue["measure_outcomes"], number(value))
        default: (0, catalogue.label("measure", words.joined(separator: "_")), number(value))
        }
        return (group, ReportPage.Figure(measure: measure, value: value, label: label, text: text))
    }

    func caseRow(_ row: JSONValue) -> ReportPage.CaseRow {
        let start = row["start"]?.stringValue ?? ""
        let period = row["completed"]?.stringValue.map { catalogue.text("period_closed", ["start": start, "end": $0]) }
            ?? catalogue.text("period_open", ["start": start])
        return ReportPage.CaseRow(
            engagement: row["engagement"]?.stringValue ?? "",
            company: row["companyName"]?.stringValue ?? "",
            products: strings(row["products"]).joined(separator: catalogue["list_separator"]),
            engineer: row["engineerName"]?.stringValue ?? "",
            fields: strings(row["guidanceFields"]).joined(separator: catalogue["list_separator"]),
            period: period,
            status: catalogue.label("status", row["status"]?.stringValue ?? ""),
            sessions: number(row["sessions"]?.plain ?? "0"),
            hours: number(row["hours"]?.plain ?? "0"),
            outcomes: strings(row["outcomes"]),
            trade: strings(row["trade"]).map(trade),
            patterns: strings(row["patterns"]).map { catalogue.label("pattern", $0) })
    }

    /// A pattern's section: its cases as the view lists them (a note says so when it lists fewer than count).
    func pattern(_ row: JSONValue) -> ReportPage.PatternSection {
        let key = row["pattern"]?.stringValue ?? ""
        let cases = row["cases"]?.arrayValue ?? []
        let count = row["engagements"]?.plain ?? "0"
        let listed = cases.count == Int(count) ? nil : catalogue.text("pattern_listed", ["listed": number(String(cases.count)), "count": number(count)])
        return ReportPage.PatternSection(
            key: key, title: catalogue.label("pattern", key), explanation: catalogue.label("pattern_explain", key),
            count: catalogue.text("pattern_count", ["count": number(count)]),
            trade: strings(row["trade"]).map(trade), cases: cases.map(patternCase), listed: listed, hasCases: !cases.isEmpty)
    }

    private func patternCase(_ value: JSONValue) -> ReportPage.PatternCase {
        let flows = (value["flows"]?.arrayValue ?? []).map { flow in
            ReportPage.Flow(
                direction: direction(flow["direction"]?.stringValue ?? ""),
                period: catalogue.text("period_closed", ["start": flow["from"]?.stringValue ?? "", "end": flow["to"]?.stringValue ?? ""]),
                product: flow["product"]?.stringValue ?? "", counterparty: flow["counterparty"]?.stringValue ?? "",
                value: numbers.money(flow["value"]?.plain ?? "0", flow["currency"]?.stringValue ?? ""))
        }
        let outcomes = (value["outcomes"]?.arrayValue ?? []).map { outcome in
            ReportPage.Outcome(
                date: outcome["date"]?.stringValue ?? "", kind: catalogue.label("outcome", outcome["kind"]?.stringValue ?? ""),
                description: outcome["description"]?.stringValue ?? "")
        }
        return ReportPage.PatternCase(
            engagement: value["engagement"]?.stringValue ?? "", company: value["company"]?.stringValue ?? "", flows: flows, outcomes: outcomes)
    }

    /// A view's rows as a table: (view column, catalogue key of its heading, numeric).
    func table(_ rows: [JSONValue], _ columns: [(String, String, Bool)]) -> ReportPage.Table {
        ReportPage.Table(
            columns: columns.map { ReportPage.Column(title: catalogue[$0.1], numeric: $0.2) },
            rows: rows.map { row in
                ReportPage.TableRow(cells: columns.map { column in ReportPage.TableCell(text: cell(row[column.0]), numeric: column.2) })
            })
    }

    /// A cell of the engineers' or companies' table: a list is of trade totals.
    private func cell(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        if let list = value.arrayValue { return list.compactMap(\.stringValue).map(trade).joined(separator: catalogue["list_separator"]) }
        if let number = value.numberValue { return numbers.grouped(number) }
        return value.stringValue ?? ""
    }

    func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }
}
