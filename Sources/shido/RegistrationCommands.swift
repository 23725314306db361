import ArgumentParser
import ShidoJSON

struct CompanyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "company", abstract: "Register companies.", subcommands: [Register.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a Korean company that hosts an engineer.",
            discussion: "Example: shido company register --code A --name '에이정밀' --industry 금속가공 --product 기어 --product 샤프트")

        @Option(help: "Company code: 1–64 letters, digits, '.', '_' or '-'.") var code: String
        @Option(help: "Company name (Korean, Japanese and mixed text are fine).") var name: String
        @Option(help: "Industry, e.g. 금형.") var industry: String
        @Option(name: .customLong("product"), help: "A product; repeat for several.") var products: [String] = []
        @OptionGroup var options: RecordOptions

        func run() async throws {
            try await options.record("/v1/companies", [
                "code": .string(code), "name": .string(name), "industry": .string(industry), "products": Field.strings(products),
            ])
        }
    }
}

struct EngineerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engineer", abstract: "Register engineers.", subcommands: [Register.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a retired Japanese engineer.",
            discussion: "Example: shido engineer register --id yamada-t --name '山田 太郎' --specialty 金型設計 --career '金型メーカーで50年'")

        @Option(name: .customLong("id"), help: "Engineer id: 1–64 letters, digits, '.', '_' or '-'.") var engineerID: String
        @Option(help: "Name.") var name: String
        @Option(help: "Field of expertise.") var specialty: String
        @Option(help: "Career summary (may span lines).") var career: String
        @OptionGroup var options: RecordOptions

        func run() async throws {
            try await options.record("/v1/engineers", [
                "engineerID": .string(engineerID), "name": .string(name), "specialty": .string(specialty), "career": .string(career),
            ])
        }
    }
}
