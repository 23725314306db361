/// A table for people: columns padded by display width, so Korean and Japanese text lines up.
///
/// Guarantees: every rendered line has each column at the same terminal column and no
/// trailing spaces; cells are
/// kept on one line (line breaks and tabs become spaces, other control characters are
/// dropped); a cell wider than `maxCellWidth` is cut at a cluster boundary and ends in `…`.
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
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) { self.columns = columns }

    /// Adds a row; missing cells are empty, extra cells are ignored.
    public mutating func append(_ cells: [String]) {
        rows.append((0..<columns.count).map { $0 < cells.count ? cells[$0] : "" })
    }

    public func render(maxCellWidth: Int = 60) -> String {
        let header = columns.map { Self.fit($0.title, maxCellWidth) }
        let body = rows.map { $0.map { Self.fit($0, maxCellWidth) } }
        let widths = columns.indices.map { index in
            ([header[index]] + body.map { $0[index] }).map(DisplayWidth.of).max() ?? 0
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        return ([header, rule] + body).map { line(for: $0, widths: widths) }.joined(separator: "\n") + "\n"
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

    /// One line, at most `limit` columns wide.
    static func fit(_ text: String, _ limit: Int) -> String {
        let flat = String(text.compactMap { character -> Character? in
            if character == "\n" || character == "\r\n" || character == "\t" || character == "\r" { return " " }
            return character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) ? nil : character
        })
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
