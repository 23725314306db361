/// A command refused by a rule: which rule, which field (a JSON pointer into the command's
/// body), and a sentence for the person who sent it.
public struct Rejection: Error, Hashable, Sendable, CustomStringConvertible {
    public let rule: Rule
    public let field: String
    public let message: String

    public init(_ rule: Rule, at field: String, _ message: String) {
        self.rule = rule
        self.field = field
        self.message = message
    }

    public var description: String { "\(rule.rawValue) at \(field.isEmpty ? "the request" : field): \(message)" }

    /// The rules, named so that clients and tests can tell them apart.
    public enum Rule: String, Sendable, CaseIterable {
        case malformed
        case textRequired, textTooLong, controlCharacter, listRequired, listTooLong, duplicateInList
        case unknownCompany, unknownEngineer, unknownEngagement
        case alreadyRegistered, nothingToUpdate, engagementCompleted
        case dateBeforeStart, dateOrder, programYearOutOfRange
        case hoursOutOfRange, attendeesNegative, valueNotFinite, valueNegative
        case periodInvalid
        case idConflict
        case unknownEntry, cannotCorrectThis, alreadyRetracted, replacementMismatch
    }
}
