import Foundation
import ProgramReport
import ShidoDomain
import Testing

@Suite("Message catalogues")
struct CatalogueTests {
    static let catalogues = ReportLanguage.allCases.map(MessageCatalogue.init)

    /// Keys whose text is a format, not words: the same in every language is right.
    static let formats: Set<String> = [
        "number_group", "number_decimal", "money", "list_separator", "period_closed", "period_open", "trade_total", "trade_measure",
    ]

    @Test("every language has exactly the same keys, none empty")
    func sameKeys() {
        let english = Set(MessageCatalogue(.en).messages.keys)
        for catalogue in Self.catalogues {
            #expect(Set(catalogue.messages.keys) == english, "\(catalogue.language): \(Set(catalogue.messages.keys).symmetricDifference(english).sorted())")
            #expect(catalogue.messages.filter { $0.value.isEmpty }.isEmpty, "\(catalogue.language) has empty messages")
        }
    }

    @Test("no heading or label is left in English in the Korean and Japanese catalogues")
    func translated() {
        let english = MessageCatalogue(.en).messages
        for catalogue in Self.catalogues where catalogue.language != .en {
            let untranslated = english.keys.filter { key in
                !Self.formats.contains(key) && catalogue.messages[key] == english[key] && english[key]!.contains(where: \.isLetter)
                    && english[key]!.uppercased() != english[key]  // "ID", "JPY": the same in every language
            }
            #expect(untranslated.isEmpty, "\(catalogue.language) leaves these as in English: \(untranslated.sorted())")
        }
    }

    @Test("every key the templates name exists in every catalogue")
    func templatesKeys() throws {
        let pattern = try Regex(#"\{\{\s*t\.([A-Za-z_]+)\s*\}\}"#)
        let templates = ReportTemplates.names.filter { $0.hasSuffix(".mustache") }
        #expect(templates.count >= 3)
        let named = Set(templates.flatMap { name in ReportTemplates.text(name).matches(of: pattern).map { String($0.output[1].substring!) } })
        #expect(named.count > 10)
        for catalogue in Self.catalogues {
            #expect(named.subtracting(catalogue.messages.keys).isEmpty, "\(catalogue.language) lacks \(named.subtracting(catalogue.messages.keys).sorted())")
        }
    }

    @Test("every outcome kind, pattern and trade direction the domain knows has a label in every language")
    func closedSets() {
        let keys = OutcomeKind.allCases.map { "outcome_\($0.rawValue)" } + TradeDirection.allCases.map { "direction_\($0.rawValue)" }
            + (OutcomePattern.allCases.map(\.rawValue) + ["both", "neither"]).flatMap { ["pattern_\($0)", "pattern_explain_\($0)"] }
        for catalogue in Self.catalogues {
            #expect(keys.filter { catalogue.messages[$0] == nil }.isEmpty, "\(catalogue.language)")
        }
    }

    @Test("the language follows LC_ALL, then LC_MESSAGES, then LANG; English when none is Korean or Japanese")
    func languageFromEnvironment() {
        #expect(ReportLanguage.fromEnvironment([:]) == .en)
        #expect(ReportLanguage.fromEnvironment(["LANG": "ko_KR.UTF-8"]) == .ko)
        #expect(ReportLanguage.fromEnvironment(["LANG": "ja_JP.UTF-8"]) == .ja)
        #expect(ReportLanguage.fromEnvironment(["LANG": "ko_KR.UTF-8", "LC_ALL": "C.UTF-8"]) == .en)
        #expect(ReportLanguage.fromEnvironment(["LANG": "en_US.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8"]) == .ko)
        #expect(ReportLanguage.fromEnvironment(["LC_ALL": "", "LANG": "ko"]) == .ko, "an empty variable does not decide")
        #expect(ReportLanguage.fromEnvironment(["LANG": "kok_IN.UTF-8"]) == .en, "Konkani is not Korean")
        #expect(ReportLanguage.fromEnvironment(["LANG": "ja"]) == .ja)
    }

    @Test("numbers: grouped digits, the fraction as recorded, money with its currency")
    func numbers() {
        let english = NumberText(MessageCatalogue(.en))
        #expect(english.grouped("0") == "0")
        #expect(english.grouped("999") == "999")
        #expect(english.grouped("1000") == "1,000")
        #expect(english.grouped("1234567.50") == "1,234,567.50")
        #expect(english.grouped("-6000000") == "-6,000,000")
        #expect(english.grouped("0.125") == "0.125")
        #expect(english.money("36000000", "JPY") == "36,000,000 JPY")
        #expect(MessageCatalogue(.ja).text("pattern_listed", ["listed": "3", "count": "12"]) == "12件のうち3件をここに掲載します。")
        #expect(MessageCatalogue(.en).text("chart_trade", ["other": "x"]) == "Trade by year and direction ({currency})", "an unnamed placeholder stays")
    }
}
