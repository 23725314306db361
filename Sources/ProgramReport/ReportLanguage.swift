/// The language a report is written in: every heading, label, legend and number format comes
/// from its message catalogue (`Templates/messages.LANG.json`).
///
/// Guarantees: `fromEnvironment` follows POSIX's order (`LC_ALL`, then `LC_MESSAGES`, then
/// `LANG`; the first one set and not empty decides): Korean for a `ko…` locale, Japanese for a
/// `ja…` locale, English for any other or none.
public enum ReportLanguage: String, CaseIterable, Sendable {
    case ko, en, ja

    public static func fromEnvironment(_ environment: [String: String]) -> ReportLanguage {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        // The language part of language[_territory][.codeset][@modifier].
        let language = locale.prefix { $0 != "_" && $0 != "." && $0 != "@" }
        return allCases.first { $0.rawValue == language } ?? .en
    }
}
