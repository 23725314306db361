import Hummingbird
import ShidoAPI
import ShidoDomain

/// Every route the daemon serves: method, path, the least role it needs, and a summary.
///
/// Guarantees: the server registers exactly these (it loops over `allCases`), and a test
/// checks that the OpenAPI document describes exactly these, so neither can drift.
public enum Endpoint: String, CaseIterable, Sendable {
    case registerCompany, updateCompany, registerEngineer, updateEngineer
    case startEngagement, logSession, reportOutcome, recordExport, completeEngagement
    case correctEntry, retractEntry
    case listEvents, readStream, verifyChain, checkpoint, inclusionProof, consistencyProof, status, health
    case importCommands, dump, restore
    case queryView, engagementDetail, listProjections, rebuildProjection
    case metrics

    public var method: HTTPRequest.Method {
        switch self {
        case .updateCompany, .updateEngineer: .patch
        case .listEvents, .readStream, .verifyChain, .checkpoint, .inclusionProof, .consistencyProof, .status, .health, .dump, .queryView,
             .engagementDetail, .listProjections, .metrics: .get
        default: .post
        }
    }

    /// The path, in OpenAPI's (and the router's) `{parameter}` form.
    public var path: String {
        switch self {
        case .registerCompany: "/v1/companies"
        case .updateCompany: "/v1/companies/{code}"
        case .registerEngineer: "/v1/engineers"
        case .updateEngineer: "/v1/engineers/{engineerID}"
        case .startEngagement: "/v1/engagements"
        case .logSession: "/v1/engagements/{engagementID}/sessions"
        case .reportOutcome: "/v1/engagements/{engagementID}/outcomes"
        case .recordExport: "/v1/engagements/{engagementID}/exports"
        case .completeEngagement: "/v1/engagements/{engagementID}/complete"
        case .correctEntry: "/v1/corrections"
        case .retractEntry: "/v1/retractions"
        case .listEvents: "/v1/events"
        case .readStream: "/v1/streams/{streamID}"
        case .verifyChain: "/v1/audit/verify"
        case .checkpoint: "/v1/audit/checkpoint"
        case .inclusionProof: "/v1/audit/proofs/inclusion"
        case .consistencyProof: "/v1/audit/proofs/consistency"
        case .status: "/v1/status"
        case .health: "/v1/health"
        case .importCommands: "/v1/import"
        case .dump: "/v1/dump"
        case .restore: "/v1/restore"
        case .queryView: "/v1/views/{view}"
        case .engagementDetail: "/v1/views/engagement/{engagementID}"
        case .listProjections: "/v1/projections"
        case .rebuildProjection: "/v1/projections/{name}/rebuild"
        // Where Prometheus looks by default.
        case .metrics: "/metrics"
        }
    }

    public var role: Role {
        switch self {
        case .listEvents, .readStream, .verifyChain, .checkpoint, .inclusionProof, .consistencyProof, .status, .health, .dump, .queryView,
             .engagementDetail, .listProjections, .metrics: .reader
        case .restore, .rebuildProjection: .admin
        default: .recorder
        }
    }

    /// The methods served at a concrete path (empty when no route has that path).
    static func methods(at path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return allCases.filter { endpoint in
            let template = endpoint.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == segments.count
                && zip(template, segments).allSatisfy { pattern, segment in pattern == segment || (pattern.hasPrefix("{") && !segment.isEmpty) }
        }.map(\.method)
    }

    /// Whether the endpoint writes to the database (refused by a daemon serving a replica).
    var writes: Bool { command != nil || [.importCommands, .restore, .rebuildProjection].contains(self) }

    /// Whether a request may take seconds of CPU (a whole import, a restore, a chain check):
    /// it is answered off the connection's event loop. (A dump yields after every batch.)
    var isBulk: Bool { [.importCommands, .restore, .verifyChain].contains(self) }

    /// The domain command a recording route carries, nil for the others.
    var command: CommandKind? { CommandKind(rawValue: rawValue) }
}
