import FoundationEssentials
import ShidoJSON

/// Every event shido records, with its stored type name and schema version.
///
/// Guarantees: `type` and `schemaVersion` are what is written to the log; `decode` accepts
/// every schema version ever written (older ones are upcast first) and refuses unknown
/// types, unknown fields and malformed values with a JSON pointer.
public enum DomainEvent: Hashable, Sendable {
    case companyRegistered(CompanyRegistered)
    case companyUpdated(CompanyUpdated)
    case engineerRegistered(EngineerRegistered)
    case engineerUpdated(EngineerUpdated)
    case engagementStarted(EngagementStarted)
    case guidanceSessionLogged(GuidanceSessionLogged)
    case outcomeReported(OutcomeReported)
    case exportRecorded(ExportRecorded)
    case engagementCompleted(EngagementCompleted)
    case entryCorrected(EntryCorrected)
    case entryRetracted(EntryRetracted)

    /// Current schema version of each type; `Upcaster` lifts older versions to these.
    public static let currentSchemaVersions: [String: Int] = [
        "CompanyRegistered": 1, "CompanyUpdated": 1, "EngineerRegistered": 1, "EngineerUpdated": 1,
        "EngagementStarted": 2, "GuidanceSessionLogged": 1, "OutcomeReported": 1, "ExportRecorded": 1,
        "EngagementCompleted": 1, "EntryCorrected": 1, "EntryRetracted": 1,
    ]

    public var type: String {
        switch self {
        case .companyRegistered: "CompanyRegistered"
        case .companyUpdated: "CompanyUpdated"
        case .engineerRegistered: "EngineerRegistered"
        case .engineerUpdated: "EngineerUpdated"
        case .engagementStarted: "EngagementStarted"
        case .guidanceSessionLogged: "GuidanceSessionLogged"
        case .outcomeReported: "OutcomeReported"
        case .exportRecorded: "ExportRecorded"
        case .engagementCompleted: "EngagementCompleted"
        case .entryCorrected: "EntryCorrected"
        case .entryRetracted: "EntryRetracted"
        }
    }

    public var schemaVersion: Int { Self.currentSchemaVersions[type]! }

    /// The event's data as JSON, in its current schema version.
    public var data: JSONValue {
        switch self {
        case .companyRegistered(let payload): Self.encode(payload)
        case .companyUpdated(let payload): Self.encode(payload)
        case .engineerRegistered(let payload): Self.encode(payload)
        case .engineerUpdated(let payload): Self.encode(payload)
        case .engagementStarted(let payload): Self.encode(payload)
        case .guidanceSessionLogged(let payload): Self.encode(payload)
        case .outcomeReported(let payload): Self.encode(payload)
        case .exportRecorded(let payload): Self.encode(payload)
        case .engagementCompleted(let payload): Self.encode(payload)
        case .entryCorrected(let payload): Self.encode(payload)
        case .entryRetracted(let payload): Self.encode(payload)
        }
    }

    /// Reads a stored event, upcasting older schema versions.
    public static func decode(type: String, schemaVersion: Int, data: JSONValue) throws(DecodingProblem) -> DomainEvent {
        let current = try Upcaster.upcast(type: type, schemaVersion: schemaVersion, data: data)
        switch type {
        case "CompanyRegistered": return .companyRegistered(try StrictDecoder.decode(CompanyRegistered.self, from: current))
        case "CompanyUpdated": return .companyUpdated(try StrictDecoder.decode(CompanyUpdated.self, from: current))
        case "EngineerRegistered": return .engineerRegistered(try StrictDecoder.decode(EngineerRegistered.self, from: current))
        case "EngineerUpdated": return .engineerUpdated(try StrictDecoder.decode(EngineerUpdated.self, from: current))
        case "EngagementStarted": return .engagementStarted(try StrictDecoder.decode(EngagementStarted.self, from: current))
        case "GuidanceSessionLogged": return .guidanceSessionLogged(try StrictDecoder.decode(GuidanceSessionLogged.self, from: current))
        case "OutcomeReported": return .outcomeReported(try StrictDecoder.decode(OutcomeReported.self, from: current))
        case "ExportRecorded": return .exportRecorded(try StrictDecoder.decode(ExportRecorded.self, from: current))
        case "EngagementCompleted": return .engagementCompleted(try StrictDecoder.decode(EngagementCompleted.self, from: current))
        case "EntryCorrected": return .entryCorrected(try StrictDecoder.decode(EntryCorrected.self, from: current))
        case "EntryRetracted": return .entryRetracted(try StrictDecoder.decode(EntryRetracted.self, from: current))
        default: throw DecodingProblem(pointer: "", message: "unknown event type '\(type)'")
        }
    }

    /// Encodes straight into a `JSONValue` (what Foundation's `JSONEncoder` would write);
    /// payloads hold no floating-point money (amounts are decimal strings), so nothing is
    /// rounded, and their doubles (hours, measures) are checked finite when decided.
    static func encode<Payload: Encodable>(_ payload: Payload) -> JSONValue {
        try! JSONValueEncoder().encode(payload)
    }
}

/// The stream each entity's events live in.
public enum StreamName {
    public static func company(_ code: CompanyCode) -> String { "company-\(code)" }
    public static func engineer(_ id: EngineerID) -> String { "engineer-\(id)" }
    public static func engagement(_ id: EngagementID) -> String { "engagement-\(id)" }
}
