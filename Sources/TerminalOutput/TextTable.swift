/// A table for people: columns padded by display width, so Korean and Japanese text lines up.
///
/// Guarantees: every rendered line has each column at the same terminal column and no
/// trailing spaces; cells are kept on one line (line breaks and tabs become spaces, other
/// control characters are dropped); rendered for a width, a cell wider than its column's
/// share is cut at a cluster boundary and ends in `…`, and each line fits the width.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public let title: String
        public let alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public let columns: [Column]
    /// The cells as shown: each on one line (see `flat`), missing ones empty.
    public private(set) var rows: [[String]] = []
    private let titles: [String]

    public init(columns: [Column]) {
        self.columns = columns
        titles = columns.map { Self.flat($0.title) }
    }

    /// Adds a row; missing cells are empty, extra cells are ignored.
    public mutating func append(_ cells: [String]) {
        rows.append((0..<columns.count).map { $0 < cells.count ? Self.flat(cells[$0]) : "" })
    }

    /// How the table is laid out for a width: how many columns are shown (from the left) and
    /// how wide each is.
    public struct Layout: Sendable, Equatable {
        public let shown: Int
        public let widths: [Int]
    }

    /// With `width` (a terminal's columns), columns wider than their share are cut, the widest
    /// first, until every line fits `width`; a column keeps at least 8 columns, and when even
    /// that is too wide the rightmost columns are left out. Without `width`, nothing is cut.
    public func layout(width: Int?) -> Layout {
        let natural = titles.indices.map { index in rows.reduce(DisplayWidth.of(titles[index])) { max($0, DisplayWidth.of($1[index])) } }
        guard let width else { return Layout(shown: columns.count, widths: natural) }
        var shown = columns.count
        while shown > 1, natural.prefix(shown).map({ min($0, Self.least) }).reduce(0, +) + 2 * (shown - 1) > width { shown -= 1 }
        return Layout(shown: shown, widths: Self.share(width - 2 * (shown - 1), among: Array(natural.prefix(shown))))
    }

    /// The table as lines of text, cut to `width` as `layout(width:)` says (cut cells end in `…`).
    public func render(width: Int? = nil) -> String { render(layout(width: width)) }

    public func render(_ layout: Layout) -> String {
        let cut = { (cells: [String]) in zip(cells.prefix(layout.shown), layout.widths).map { cell, limit in Self.fit(cell, limit) } }
        let rule = layout.widths.map { String(repeating: "-", count: $0) }
        return ([cut(titles), rule] + rows.map(cut)).map { line(for: $0, widths: layout.widths) }.joined(separator: "\n") + "\n"
    }

    /// The narrowest a cut column gets: room for an id or a date's year and month; narrower
    /// columns say nothing, so the rightmost are left out instead.
    static let least = 8

    /// Column widths that fit `available`: every column gets at most a common cap (the largest
    /// that fits), wider columns are cut to it, and what is left goes to the cut ones, left first.
    static func share(_ available: Int, among natural: [Int]) -> [Int] {
        guard natural.reduce(0, +) > available else { return natural }
        let floor = least
        var cap = natural.max() ?? 0
        while cap > floor, natural.map({ max(min($0, cap), min($0, floor)) }).reduce(0, +) > available { cap -= 1 }
        var widths = natural.map { max(min($0, cap), min($0, floor)) }
        var left = available - widths.reduce(0, +)
        for index in widths.indices where left > 0 && natural[index] > widths[index] {
            widths[index] += 1
            left -= 1
        }
        return widths
    }

    private func line(for cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell))
            let isLast = index == cells.count - 1
            switch columns[index].alignment {
            case .left: parts.append(isLast ? cell : cell + padding)
            case .right: parts.append(padding + cell)
            }
        }
        var line = parts.joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        return line
    }

    /// Text on one line: line breaks and tabs become spaces, other control characters go.
    static func flat(_ text: String) -> String {
        String(text.compactMap { character -> Character? in
            if character == "\n" || character == "\r\n" || character == "\t" || character == "\r" { return " " }
            return character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) ? nil : character
        })
    }

    /// One line, at most `limit` columns wide.
    static func fit(_ text: String, _ limit: Int) -> String {
        let flat = flat(text)
        guard DisplayWidth.of(flat) > limit else { return flat }
        var kept = ""
        var width = 0
        for character in flat {
            let next = DisplayWidth.of(character)
            if width + next > limit - 1 { break }
            kept.append(character)
            width += next
        }
        return kept + "…"
    }
}
