import Foundation

/// A grouped bar chart laid out in SVG user units: one group per category, one bar per series.
///
/// Guarantees: every bar's length is proportional to its value (the same scale for every bar
/// of a chart, zero at the axis); the axis ends at a round number at or above the largest
/// value, with at most six ticks; each bar carries its exact value (as recorded, not as
/// drawn) and its text; the chart fits `width` (an A4 page's text width at 96 dpi).
public struct BarChart: Sendable {
    public enum Orientation: Sendable { case vertical, horizontal }

    public struct Series: Sendable {
        public let key: String
        public let label: String
        public let style: String
        public init(key: String, label: String, style: String) {
            self.key = key
            self.label = label
            self.style = style
        }
    }

    public struct Bar: Sendable {
        public let x, y, width, height: Double
        public let series, category, value, text, style: String
    }

    public struct Tick: Sendable {
        public let x1, y1, x2, y2, labelX, labelY: Double
        public let text, anchor: String
    }

    public struct Label: Sendable {
        public let x, y: Double
        public let text, anchor: String
    }

    public struct Line: Sendable {
        public let x1, y1, x2, y2: Double
    }

    public static let width = 680.0

    public let orientation: Orientation
    public let series: [Series]
    public let height: Double
    public let bars: [Bar]
    public let ticks: [Tick]
    public let categoryLabels: [Label]
    /// The zero line, along the category axis.
    public let axis: Line

    /// `values[c][s]`: category `c`'s value for series `s`, as canonical decimal text; `text` writes a
    /// bar's value, `tickText` an axis tick's.
    public init(orientation: Orientation, categories: [String], series: [Series], values: [[String]], text: (String) -> String, tickText: (String) -> String) {
        self.orientation = orientation
        self.series = series
        let numbers = values.map { $0.map { Double($0) ?? 0 } }
        let scale = AxisScale(maximum: numbers.flatMap { $0 }.max() ?? 0, integral: numbers.allSatisfy { $0.allSatisfy { $0 == $0.rounded() } })
        let layout = Layout(orientation, categories: categories.count, series: series.count)
        height = layout.height
        var bars: [Bar] = []
        for (c, category) in categories.enumerated() {
            for (s, line) in series.enumerated() {
                let value = values[c][s]
                let length = (layout.length * numbers[c][s] / scale.top).rounded(toPlaces: 1)
                let (x, y, w, h) = layout.bar(category: c, series: s, length: length)
                bars.append(Bar(x: x, y: y, width: w, height: h, series: line.key, category: category, value: value, text: text(value), style: line.style))
            }
        }
        self.bars = bars
        ticks = scale.ticks.map { tick in layout.tick(at: (layout.length * tick.value / scale.top).rounded(toPlaces: 1), text: tickText(tick.text)) }
        categoryLabels = categories.enumerated().map { layout.categoryLabel($0.offset, $0.element) }
        axis = layout.axis
    }

    /// Where things go: the plot area and each group's place along the category axis.
    private struct Layout {
        let orientation: Orientation
        let categories: Int
        let series: Int
        let origin: (x: Double, y: Double)
        let length: Double  // the value axis, in units
        let band: Double  // one category's room along the other axis
        let thickness: Double
        let height: Double

        init(_ orientation: Orientation, categories: Int, series: Int) {
            self.orientation = orientation
            self.categories = max(categories, 1)
            self.series = max(series, 1)
            switch orientation {
            case .vertical:
                height = 240
                origin = (84, 205)
                length = 185
                band = (BarChart.width - 94) / Double(self.categories)
                thickness = min(28, band * 0.8 / Double(self.series))
            case .horizontal:
                thickness = 11
                band = Double(self.series) * 11 + 9
                height = 34 + band * Double(self.categories)
                origin = (190, 28)
                length = BarChart.width - 190 - 40
            }
        }

        func bar(category: Int, series index: Int, length value: Double) -> (Double, Double, Double, Double) {
            let start = band * Double(category) + (band - thickness * Double(series)) / 2 + thickness * Double(index)
            switch orientation {
            case .vertical: return (origin.x + start, origin.y - value, thickness, value)
            case .horizontal: return (origin.x, origin.y + start, value, thickness)
            }
        }

        func tick(at offset: Double, text: String) -> Tick {
            switch orientation {
            case .vertical:
                let y = origin.y - offset
                return Tick(x1: origin.x, y1: y, x2: BarChart.width - 10, y2: y, labelX: origin.x - 6, labelY: y + 4, text: text, anchor: "end")
            case .horizontal:
                let x = origin.x + offset
                return Tick(x1: x, y1: origin.y - 4, x2: x, y2: height - 6, labelX: x, labelY: origin.y - 8, text: text, anchor: "middle")
            }
        }

        func categoryLabel(_ index: Int, _ text: String) -> Label {
            let middle = band * (Double(index) + 0.5)
            switch orientation {
            case .vertical: return Label(x: origin.x + middle, y: origin.y + 18, text: text, anchor: "middle")
            case .horizontal: return Label(x: origin.x - 8, y: origin.y + middle + 4, text: text, anchor: "end")
            }
        }

        var axis: Line {
            switch orientation {
            case .vertical: Line(x1: origin.x, y1: origin.y, x2: BarChart.width - 10, y2: origin.y)
            case .horizontal: Line(x1: origin.x, y1: origin.y - 4, x2: origin.x, y2: height - 6)
            }
        }
    }
}

/// A value axis from zero to a round number: steps of 1, 2 or 5 times a power of ten (whole
/// steps when every value is whole: counts have no half ticks).
struct AxisScale {
    let top: Double
    let ticks: [(value: Double, text: String)]

    init(maximum: Double, integral: Bool) {
        guard maximum > 0 else {
            top = 1
            ticks = [(0, "0"), (1, "1")]
            return
        }
        let exponent = integral ? max(0, Int((maximum / 4).log10Floor)) : Int((maximum / 4).log10Floor)
        let magnitude = pow(10, Double(exponent))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { maximum / $0 <= 5 } ?? 10 * magnitude
        let count = Int((maximum / step).rounded(.up))
        top = step * Double(count)
        let places = max(0, -exponent)
        ticks = (0...count).map { index in
            let value = step * Double(index)
            return (value, String(format: "%.\(places)f", value))
        }
    }
}

extension Double {
    var log10Floor: Double { Foundation.log10(self).rounded(.down) }
    func rounded(toPlaces places: Int) -> Double {
        let factor = pow(10, Double(places))
        return (self * factor).rounded() / factor
    }
}
