import Foundation
import ArgumentParser
import ShidoJSON

struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Log guidance sessions.", subcommands: [Log.self])

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log one guidance session of an engagement.",
            discussion: """
                Formats: onSite (default), remote, inJapan. Without --id, the session id is derived \
                from the content, so running the same command twice records it once.
                Example: shido session log case-j --date 2014-05-10 --hours 2.5 --topic '냉각 채널 検討' --format inJapan --attendees 3
                """)

        @Argument(help: "Engagement id.") var engagement: String
        @Option(help: "Date, YYYY-MM-DD.") var date: String
        @Option(help: "Hours, e.g. 2.5.") var hours: String
        @Option(help: "What the session covered.") var topic: String
        @Option(help: "onSite, remote or inJapan.") var format: String?
        @Option(help: "How many people attended.") var attendees: Int?
        @Option(help: "Notes (may span lines).") var notes: String?
        @Option(name: .customLong("id"), help: "Session id (default: derived from the content).") var sessionID: String?
        @OptionGroup var options: RecordOptions

        func run() async throws {
            let id = sessionID ?? Field.stableID(prefix: "s-", [date, hours, topic, format, attendees.map(String.init), notes])
            try await options.record("/v1/engagements/\(Field.segment(engagement))/sessions", [
                "sessionID": .string(id), "date": .string(date), "hours": try Field.number(hours, flag: "hours"),
                "topic": .string(topic), "format": .string(format ?? "onSite"), "attendees": Field.integer(attendees ?? 0), "notes": Field.string(notes),
            ])
        }
    }
}

struct OutcomeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome", abstract: "Report outcomes.", subcommands: [Report.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report an outcome of an engagement, optionally with a measured before/after.",
            discussion: """
                Kinds: defectRate, costReduction, salesGrowth, productivity, newProduct, localisation, \
                certification, skills, qualityStandard, marketIntelligence, businessIntroduction.
                Example: shido outcome report case-j --kind costReduction --metric '금형당 원가' --unit 만원 --before 1000 --after 900 --description '약 10% 절감' --date 2014-05-10
                """)

        @Argument(help: "Engagement id.") var engagement: String
        @Option(help: "Outcome kind.") var kind: String
        @Option(help: "Name of the measured value.") var metric: String?
        @Option(help: "Unit of the measured value.") var unit: String?
        @Option(help: "Value before the guidance.") var before: String?
        @Option(help: "Value after the guidance.") var after: String?
        @Option(help: "What changed.") var description: String
        @Option(help: "Date, YYYY-MM-DD.") var date: String
        @Option(help: "selfAssessed (default) or verified.") var evidence: String?
        @Option(name: .customLong("id"), help: "Outcome id (default: derived from the content).") var outcomeID: String?
        @OptionGroup var options: RecordOptions

        func validate() throws {
            let given = [metric, unit, before, after].filter { $0 != nil }.count
            if given != 0 && given != 4 { throw ValidationError("--metric, --unit, --before and --after go together: give all four or none") }
        }

        func run() async throws {
            let id = outcomeID ?? Field.stableID(prefix: "o-", [date, kind, description, metric, before, after])
            var measured: JSONValue?
            if let metric, let unit {
                measured = [
                    "name": .string(metric), "unit": .string(unit),
                    "before": try Field.number(before, flag: "before") ?? .null, "after": try Field.number(after, flag: "after") ?? .null,
                ]
            }
            try await options.record("/v1/engagements/\(Field.segment(engagement))/outcomes", [
                "outcomeID": .string(id), "date": .string(date), "kind": .string(kind), "metric": measured,
                "description": .string(description), "evidence": .string(evidence ?? "selfAssessed"),
            ])
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Record the trade that followed.", subcommands: [Record.self])

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a trade flow of an engagement.",
            discussion: """
                --period is a month (2015-01) or a date range (2015-01-01..2015-06-30).
                Example: shido export record case-j --direction korea-to-japan --period 2015-01 --counterparty '株式会社サンプル' --product '사출 금형' --quantity 12 --unit set --value 36000000 --currency JPY
                """)

        @Argument(help: "Engagement id.") var engagement: String
        @Option(help: "korea-to-japan or japan-to-korea.") var direction: Direction
        @Option(help: "A month YYYY-MM or a range YYYY-MM-DD..YYYY-MM-DD.") var period: String
        @Option(help: "The other party.") var counterparty: String
        @Option(help: "What was traded.") var product: String
        @Option(help: "Quantity (a decimal number).") var quantity: String?
        @Option(help: "Unit of the quantity.") var unit: String?
        @Option(help: "Value (a decimal number, kept exactly).") var value: String
        @Option(help: "ISO 4217 currency, e.g. KRW, JPY, USD.") var currency: String
        @Option(name: .customLong("id"), help: "Trade id (default: derived from the content).") var tradeID: String?
        @OptionGroup var options: RecordOptions

        enum Direction: String, ExpressibleByArgument, CaseIterable {
            case koreaToJapan = "korea-to-japan", japanToKorea = "japan-to-korea"
            var wire: String { self == .koreaToJapan ? "koreaToJapan" : "japanToKorea" }
        }

        func validate() throws {
            if (quantity == nil) != (unit == nil) { throw ValidationError("--quantity and --unit go together") }
        }

        func run() async throws {
            let id = tradeID ?? Field.stableID(prefix: "t-", [direction.rawValue, period, counterparty, product, quantity, value, currency])
            let bounds = period.components(separatedBy: "..")
            let periodJSON: JSONValue = bounds.count == 2 ? ["from": .string(bounds[0]), "to": .string(bounds[1])] : ["month": .string(period)]
            try await options.record("/v1/engagements/\(Field.segment(engagement))/exports", [
                "tradeID": .string(id), "direction": .string(direction.wire), "period": periodJSON,
                "counterparty": .string(counterparty), "product": .string(product),
                "quantity": quantity.map { ["amount": .string($0), "unit": .string(unit ?? "")] },
                "value": ["amount": .string(value), "currency": .string(currency)],
            ])
        }
    }
}
