import ArgumentParser
import ShidoJSON

struct EngagementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engagement", abstract: "Start and complete engagements.", subcommands: [Start.self, Complete.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start an engagement: one engineer guiding one company.",
            discussion: """
                Goals: newProduct, costReduction, defectReduction, productivity, rdCapability, \
                localisation, certification, training, exportMarket.
                Example: shido engagement start case-j --company J --engineer yamada-t --field '금형 설계' --goal costReduction --start 2014-04-01 --year 2014
                """)

        @Argument(help: "Engagement id.") var engagement: String
        @Option(help: "Company code (registered).") var company: String
        @Option(help: "Engineer id (registered).") var engineer: String
        @Option(name: .customLong("field"), help: "A guidance field; at least one, repeat for several.") var fields: [String]
        @Option(name: .customLong("goal"), help: "A goal; repeat for several.") var goals: [String] = []
        @Option(help: "Start date, YYYY-MM-DD.") var start: String
        @Option(help: "Planned end date, YYYY-MM-DD.") var plannedEnd: String?
        @Option(help: "Program year, e.g. 2014.") var year: Int
        @OptionGroup var options: RecordOptions

        func run() async throws {
            try await options.record("/v1/engagements", [
                "engagementID": .string(engagement), "companyCode": .string(company), "engineerID": .string(engineer),
                "guidanceFields": Field.strings(fields), "goals": Field.strings(goals), "startDate": .string(start),
                "plannedEndDate": Field.string(plannedEnd), "programYear": Field.integer(year),
            ])
        }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an engagement completed.")

        @Argument(help: "Engagement id.") var engagement: String
        @Option(help: "Completion date, YYYY-MM-DD.") var date: String
        @Option(help: "Summary of what was achieved.") var summary: String
        @OptionGroup var options: RecordOptions

        func run() async throws {
            try await options.record("/v1/engagements/\(Field.segment(engagement))/complete", ["date": .string(date), "summary": .string(summary)])
        }
    }
}
