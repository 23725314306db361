import CommandHandling
import ShidoAPI
import ShidoDomain
import ShidoJSON

/// Which engagement a correction or retraction is for, and the body the domain decodes.
///
/// A body names its entry by event id (`correctedEventID`, `retractedEventID`) or by the
/// entry's own id: `engagementID` and one of `sessionID`, `outcomeID`, `tradeID`.
struct EntryTarget {
    let engagement: EngagementID?
    let body: JSONValue

    /// - Parameters:
    ///   - member: `correctedEventID` or `retractedEventID`.
    ///   - engagement: the engagement given outside the body (an import line's), if any.
    ///   - prefix: the pointer prefix of the body in error messages (`/body` in an import).
    static func resolve(
        _ json: JSONValue, member: String, engagement: EngagementID?, handler: CommandHandler, prefix: String = ""
    ) async throws -> EntryTarget {
        guard var members = json.objectValue else { return EntryTarget(engagement: engagement, body: json) }
        let byEntry = EntryReference.Kind.allCases.filter { members[$0.idField] != nil }
        if members[member] != nil {
            guard byEntry.isEmpty, members["engagementID"] == nil else {
                throw refuse("give '\(member)' or 'engagementID' with one of sessionID, outcomeID, tradeID, not both", prefix + "/\(member)")
            }
            if let engagement { return EntryTarget(engagement: engagement, body: json) }
            let id = members[member]?.stringValue ?? ""
            return EntryTarget(engagement: try await handler.engagement(ofEntry: id, field: prefix + "/\(member)"), body: json)
        }
        guard byEntry.count == 1, let kind = byEntry.first, let entryID = members[kind.idField]?.stringValue else {
            throw refuse("name the entry: '\(member)' (its event id), or 'engagementID' with exactly one of sessionID, outcomeID, tradeID", prefix + "/\(member)")
        }
        var target = engagement
        if let given = members["engagementID"] {
            guard let text = given.stringValue, let id = try? EngagementID(text) else {
                throw refuse("'engagementID' is not a valid engagement id", prefix + "/engagementID")
            }
            target = id
        }
        guard target != nil else { throw refuse("'engagementID' is required with '\(kind.idField)'", prefix + "/engagementID") }
        members["engagementID"] = nil
        members[kind.idField] = nil
        members[member] = .string(EntryReference.byEntryID(kind, entryID))
        return EntryTarget(engagement: target, body: .object(members))
    }

    private static func refuse(_ detail: String, _ field: String) -> Problem {
        Problem(.rejected, detail: detail, field: field, rule: Rejection.Rule.malformed.rawValue)
    }
}
