import Foundation
import ShidoJSON

/// The report's three kinds of chart, each with the numbers it draws in a table beside it.
enum ReportCharts {
    /// Trade by year and direction, one chart per currency, summed over the trade view's
    /// industries (exact decimal sums).
    static func trade(_ rows: [JSONValue], _ words: ReportWords) -> [ReportPage.Chart] {
        var totals: [String: [String: (Decimal, Decimal)]] = [:]  // currency → year → (K→J, J→K)
        for row in rows {
            guard let currency = row["currency"]?.stringValue, let period = row["period"]?.stringValue else { continue }
            let year = String(period.prefix(4))
            let (toJapan, toKorea) = totals[currency, default: [:]][year] ?? (0, 0)
            totals[currency, default: [:]][year] = (toJapan + decimal(row["koreaToJapan"]), toKorea + decimal(row["japanToKorea"]))
        }
        let series = [("koreaToJapan", "s0"), ("japanToKorea", "s1")].map { BarChart.Series(key: $0.0, label: words.direction($0.0), style: $0.1) }
        return totals.keys.sorted().map { currency in
            let years = totals[currency]!.keys.sorted()
            let values = years.map { year in
                let (toJapan, toKorea) = totals[currency]![year]!
                return [toJapan, toKorea].map { "\($0)" }
            }
            let balances = years.map { year in
                let (toJapan, toKorea) = totals[currency]![year]!
                return "\(toJapan - toKorea)"
            }
            let money: (String) -> String = { words.numbers.money($0, currency) }
            return chart(
                id: "trade-\(currency)", title: words.catalogue.text("chart_trade", ["currency": currency]),
                categories: years, series: series, values: values, orientation: .vertical, words: words, text: money,
                axisText: words.number, columns: [words.catalogue["column_year"]] + series.map(\.label) + [words.catalogue["column_balance"]],
                extra: balances.map { ReportPage.Cell(series: "balance", value: $0, text: money($0)) })
        }
    }

    /// Engagements started and completed by program year (the years view).
    static func years(_ rows: [JSONValue], _ words: ReportWords) -> ReportPage.Chart {
        counts(
            rows, id: "years", title: words.catalogue["chart_years"], category: "year",
            series: [("started", "s0", "column_started"), ("completed", "s1", "column_completed")],
            firstColumn: words.catalogue["column_year"], orientation: .vertical, words: words)
    }

    /// Engagements and outcomes by industry (the industries view).
    static func industries(_ rows: [JSONValue], _ words: ReportWords) -> ReportPage.Chart {
        counts(
            rows, id: "industries", title: words.catalogue["chart_industries"], category: "industry",
            series: [("engagements", "s0", "column_engagements"), ("outcomes", "s2", "column_outcomes")],
            firstColumn: words.catalogue["company_industry"], orientation: .horizontal, words: words)
    }

    private static func counts(
        _ rows: [JSONValue], id: String, title: String, category: String, series keys: [(String, String, String)], firstColumn: String,
        orientation: BarChart.Orientation, words: ReportWords
    ) -> ReportPage.Chart {
        let series = keys.map { BarChart.Series(key: $0.0, label: words.catalogue[$0.2], style: $0.1) }
        return chart(
            id: id, title: title, categories: rows.map { $0[category]?.plain ?? "" }, series: series,
            values: rows.map { row in keys.map { row[$0.0]?.plain ?? "0" } }, orientation: orientation, words: words,
            text: words.number, axisText: words.number, columns: [firstColumn] + series.map(\.label), extra: nil)
    }

    private static func chart(
        id: String, title: String, categories: [String], series: [BarChart.Series], values: [[String]], orientation: BarChart.Orientation,
        words: ReportWords, text: @escaping (String) -> String, axisText: @escaping (String) -> String, columns: [String],
        extra: [ReportPage.Cell]?
    ) -> ReportPage.Chart {
        let rows = categories.indices.map { c in
            ReportPage.DataRow(
                label: categories[c],
                cells: series.indices.map { s in ReportPage.Cell(series: series[s].key, value: values[c][s], text: text(values[c][s])) }
                    + (extra.map { [$0[c]] } ?? []))
        }
        let description = rows.map { row in
            row.label + ": " + zip(series, row.cells).map { "\($0.label) \($1.text)" }.joined(separator: words.catalogue["list_separator"])
        }.joined(separator: "; ")
        return ReportPage.Chart(
            id: id, title: title, description: description,
            chart: BarChart(orientation: orientation, categories: categories, series: series, values: values, text: text, tickText: axisText),
            columns: columns, rows: rows)
    }

    private static func decimal(_ value: JSONValue?) -> Decimal { value?.numberValue.flatMap { Decimal(string: $0.canonicalText) } ?? 0 }
}
