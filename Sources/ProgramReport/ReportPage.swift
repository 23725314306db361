/// What the templates draw: every text already in the reader's language, every number already
/// formatted, each with its exact value beside it for scripts and tests (`data-value`).
///
/// Guarantees: built only from a `ReportSource` and a catalogue (no clock, no I/O), so the same
/// source and language always give the same page.
struct ReportPage {
    struct Fact { let key, label, value: String; let code: Bool }
    struct Figure { let measure, value, label, text: String }
    struct FigureGroup { let title: String; let figures: [Figure] }
    struct CaseRow {
        let engagement, company, products, engineer, fields, period, status, sessions, hours: String
        let outcomes, trade, patterns: [String]
    }
    struct Flow { let direction, period, product, counterparty, value: String }
    struct Outcome { let date, kind, description: String }
    struct PatternCase { let engagement, company: String; let flows: [Flow]; let outcomes: [Outcome] }
    struct PatternSection {
        let key, title, explanation, count: String
        let trade: [String]
        let cases: [PatternCase]
        let listed: String?
        /// Stored, not computed: the templates see stored properties only.
        let hasCases: Bool
    }
    struct Cell { let series, value, text: String }
    struct DataRow { let label: String; let cells: [Cell] }
    struct Chart {
        let id, title, description: String
        let chart: BarChart
        let columns: [String]
        let rows: [DataRow]
    }
    struct Table { let columns: [Column]; let rows: [TableRow] }
    struct TableRow { let cells: [TableCell] }
    struct TableCell { let text: String; let numeric: Bool }
    struct Column { let title: String; let numeric: Bool }

    let lang: String
    let t: [String: String]
    let css: String
    let title, subtitle: String
    let facts: [Fact]
    let selection: String?
    let checkpoint: String?
    let headline: [FigureGroup]
    let casesNote: String
    let cases: [CaseRow]
    let patterns: [PatternSection]
    let charts: [Chart]
    let noTrade: String?
    let engineers: Table
    let companies: Table
}
