import AuditProofs
import CommandHandling
import EventStore
import Foundation
import Hummingbird
import Prometheus
import ProgramViews
import Projections
import ShidoAPI
import ShidoDomain
import ShidoJSON

/// What `/v1/status` reports about the daemon itself.
public struct DaemonInfo: Sendable {
    public let version: String
    /// Where the events live, without credentials ("embedded PostgreSQL in …", "external PostgreSQL").
    public let database: String
    /// As the writer's session read them at start-up (changing them needs a server reload,
    /// and reading them again per request would queue behind the appends on the writer).
    public let durability: DurabilitySettings
    public let startedAt: Date
    /// Writer, or reader of a replica (until a promotion).
    public let role: ServingRole
    /// Signs the tree's checkpoints (nil: this daemon only serves the ones issued before).
    public let checkpointSigner: NoteSigner?

    public init(version: String, database: String, durability: DurabilitySettings, role: ServingRole = ServingRole(replica: nil),
                checkpointSigner: NoteSigner? = nil, startedAt: Date = Date()) {
        self.version = version
        self.database = database
        self.durability = durability
        self.role = role
        self.checkpointSigner = checkpointSigner
        self.startedAt = startedAt
    }
}

/// What the query routes need: the view reader, and the board of this daemon's projections.
public struct ViewSupport: Sendable {
    public let reader: ViewReader
    public let board: ProjectionBoard
    /// How long a query waits for the views to reach its `minPosition`.
    public let waitLimit: Duration

    public init(reader: ViewReader, board: ProjectionBoard, waitLimit: Duration = .seconds(5)) {
        self.reader = reader
        self.board = board
        self.waitLimit = waitLimit
    }
}

/// The route handlers: each turns a request into a command or a query and its answer.
struct API: Sendable {
    let handler: CommandHandler
    let views: ViewSupport
    let info: DaemonInfo
    let body: BodyReader
    let bulkLimit: Int
    /// Where swift-metrics records, when the daemon bootstrapped it (`GET /metrics`).
    let metricsRegistry: PrometheusCollectorRegistry
    let written = CallerPositions()
    let checkpoints = SignedCheckpoints()
    var store: EventStore { handler.store }

    func respond(to endpoint: Endpoint, _ request: Request, _ context: ShidoRequestContext) async throws -> Response {
        let caller = try context.authorized()
        guard let role = caller.role, role >= endpoint.role else {
            throw Problem(.forbidden, detail: "\(endpoint.method) \(endpoint.path) needs the \(endpoint.role.rawValue) role; user \(caller.user) is \(caller.role?.rawValue ?? "unmapped")")
        }
        if endpoint.writes, let replica = info.role.replica {
            throw Problem(.readOnlyReplica, detail: "this daemon serves a read-only replica of the database (a hot standby); "
                + "send writes to \(replica.writesGoTo.map { "the primary's daemon at \($0)" } ?? "the primary's daemon")")
        }
        guard !endpoint.isBulk else {
            // Seconds of CPU (parsing, deciding or hashing a whole log): on Swift's pool, so
            // that the event loop this connection runs on keeps serving the others.
            return try await withTaskExecutorPreference(globalConcurrentExecutor) { try await answer(endpoint, request, context, caller) }
        }
        return try await answer(endpoint, request, context, caller)
    }

    private func answer(_ endpoint: Endpoint, _ request: Request, _ context: ShidoRequestContext, _ caller: AuthorizedCaller) async throws -> Response {
        if let kind = endpoint.command { return try await record(kind, request, context, caller) }
        switch endpoint {
        case .listEvents: return try await listEvents(request)
        case .readStream: return try await readStream(request, context)
        case .verifyChain: return try await verifyChain(request)
        case .status: return try await status(caller)
        // The process is up and answering its socket; the database is not asked (see status).
        case .health: return JSONResponse.json(["status": "ok"])
        case .importCommands: return try await importCommands(request, caller)
        case .dump: return dump()
        case .restore: return try await restore(request)
        case .queryView: return try await queryView(request, context)
        case .engagementDetail: return try await engagementDetail(request, context)
        case .listProjections: return try await listProjections()
        case .rebuildProjection: return try await rebuildProjection(context)
        case .metrics: return await metrics()
        case .checkpoint: return try await checkpoint(request)
        case .inclusionProof: return try await inclusionProof(request)
        case .consistencyProof: return try await consistencyProof(request)
        default: throw Problem(.internalError, detail: "no handler for \(endpoint.rawValue)")
        }
    }

    private func record(_ kind: CommandKind, _ request: Request, _ context: ShidoRequestContext, _ caller: AuthorizedCaller) async throws -> Response {
        let (parsed, bytes) = try await body.jsonAndBytes(request)
        var json = parsed
        let expected = try Query(request).integer("expectedVersion", in: 0...Int64.max)
        let key = try idempotencyKey(request, caller, body: bytes)
        var engagement: EngagementID?
        switch kind {
        case .updateCompany: json = try inserting("code", context.parameters.require("code"), into: json)
        case .updateEngineer: json = try inserting("engineerID", context.parameters.require("engineerID"), into: json)
        case .correctEntry, .retractEntry:
            let target = try await EntryTarget.resolve(
                json, member: kind == .correctEntry ? "correctedEventID" : "retractedEventID", engagement: nil, handler: handler)
            (engagement, json) = (target.engagement, target.body)
        default:
            if let text = context.parameters.get("engagementID") {
                do { engagement = try EngagementID(text) } catch {
                    throw Problem(.notFound, detail: error.message)
                }
            }
        }
        let command = try CommandDecoding.decode(kind, engagementID: engagement, body: json)
        let receipt = try await handler.handle(command, as: Caller(uid: caller.uid, user: caller.user), expectedVersion: expected, key: key)
        written.note(caller.uid, wrote: receipt.events.map(\.position).max())
        return JSONResponse.json(receipt.json, status: receipt.unchanged ? .ok : .created)
    }

    /// The request's `Idempotency-Key`, bound to the caller and to this exact request.
    func idempotencyKey(_ request: Request, _ caller: AuthorizedCaller, body: [UInt8]) throws -> IdempotencyKey? {
        var digest = RequestDigest(method: request.method.rawValue, target: request.uri.description)
        digest.update(body)
        return try idempotencyKey(request, caller, digest: digest)
    }

    /// The same, for a body whose digest was taken as it streamed in.
    func idempotencyKey(_ request: Request, _ caller: AuthorizedCaller, digest: RequestDigest) throws -> IdempotencyKey? {
        guard let text = request.headers[.idempotencyKey] else { return nil }
        do { return try IdempotencyKey(uid: caller.uid, key: text, request: digest) } catch {
            throw Problem(.badRequest, detail: "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good key)")
        }
    }

    /// The body with a member taken from the path (which wins; a different value is refused).
    private func inserting(_ key: String, _ value: String, into json: JSONValue) throws -> JSONValue {
        guard var members = json.objectValue else { return json }
        if let given = members[key], given != .string(value) {
            throw Problem(.rejected, detail: "'\(key)' in the body differs from the path", field: "/\(key)", rule: Rejection.Rule.malformed.rawValue)
        }
        members[key] = .string(value)
        return .object(members)
    }
}
