import ShidoJSON

/// The kinds of command, as the API names them.
public enum CommandKind: String, ClosedSet {
    case registerCompany, updateCompany, registerEngineer, updateEngineer, startEngagement
    case logSession, reportOutcome, recordExport, completeEngagement, correctEntry, retractEntry

    /// Whether the engagement id comes from outside the body (the URL path).
    public var needsEngagementID: Bool {
        switch self {
        case .registerCompany, .updateCompany, .registerEngineer, .updateEngineer, .startEngagement: false
        default: true
        }
    }
}

/// Turns a request body into a command.
///
/// Guarantees: strict decoding (unknown fields, wrong types, bad dates, unknown closed-set
/// values are refused); every problem becomes a `malformed` rejection at its JSON pointer.
public enum CommandDecoding {
    public static func decode(_ kind: CommandKind, engagementID: EngagementID? = nil, body: JSONValue) throws(Rejection) -> Command {
        do {
            return try command(kind, engagementID, body)
        } catch {
            throw Rejection(.malformed, at: error.pointer, error.message)
        }
    }

    private static func command(_ kind: CommandKind, _ engagement: EngagementID?, _ body: JSONValue) throws(DecodingProblem) -> Command {
        func id() throws(DecodingProblem) -> EngagementID {
            guard let engagement else { throw DecodingProblem(pointer: "/engagementID", message: "an engagement id is required") }
            return engagement
        }
        func payload<T: Decodable>(_ type: T.Type) throws(DecodingProblem) -> T { try StrictDecoder.decode(type, from: body) }
        switch kind {
        case .registerCompany: return .registerCompany(try payload(CompanyRegistered.self))
        case .updateCompany: return .updateCompany(try payload(CompanyUpdated.self))
        case .registerEngineer: return .registerEngineer(try payload(EngineerRegistered.self))
        case .updateEngineer: return .updateEngineer(try payload(EngineerUpdated.self))
        case .startEngagement: return .startEngagement(try payload(EngagementStarted.self))
        case .logSession: return .logSession(try id(), try payload(GuidanceSessionLogged.self))
        case .reportOutcome: return .reportOutcome(try id(), try payload(OutcomeReported.self))
        case .recordExport: return .recordExport(try id(), try payload(ExportRecorded.self))
        case .completeEngagement: return .completeEngagement(try id(), try payload(EngagementCompleted.self))
        case .correctEntry: return .correctEntry(try id(), try payload(EntryCorrected.self))
        case .retractEntry: return .retractEntry(try id(), try payload(EntryRetracted.self))
        }
    }
}
