import Hummingbird
import ShidoAPI

/// Runs before every route (and before "not found"): identifies the peer from the socket,
/// refuses browsers and callers mapped to no role, and turns every error into an RFC 9457
/// problem document.
///
/// Guarantees: no route runs without `context.caller`, which comes from SO_PEERCRED and the
/// policy, never from anything the request says; the response to any failed request is
/// `application/problem+json` with the right status; every refusal is logged with the
/// caller's uid, the method and the path.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = ShidoRequestContext
    let policy: AccessPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do {
            var peer = context.peer
            if peer == nil { peer = try await PeerCredentials.of(context.channel) }
            context.caller = peer.map(policy.caller(for:))
            try admit(request, context.caller)
            return try await next(request, context)
        } catch {
            var problem = ProblemMapping.problem(for: error)
            // Only a route that was not found can be a known path asked with another method.
            let allowed = error is any HTTPResponseError && problem.type == .notFound ? Endpoint.methods(at: request.uri.path) : []
            if !allowed.isEmpty {
                problem = Problem(.methodNotAllowed, detail: "\(request.uri.path) answers \(allowed.map(\.rawValue).joined(separator: ", ")) only")
            }
            if problem.status == 500 || problem.status == 503 { problem.requestID = Self.requestID() }
            context.logger.log(
                level: problem.status >= 500 ? .error : .notice,
                "refused \(request.method) \(request.uri.path): \(problem.status) \(problem)",
                metadata: [
                    "uid": "\(context.caller.map { String($0.uid) } ?? "unknown")", "user": "\(context.caller?.user ?? "unknown")",
                    "request": "\(problem.requestID ?? "-")",
                ])
            problem = Self.withholdingServerDetail(problem)
            var response = JSONResponse.problem(problem)
            if problem.type == .methodNotAllowed {
                // RFC 9110 §15.5.6: a 405 says which methods the resource does answer.
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            }
            return response
        }
    }

    /// A server error's detail can carry PostgreSQL's own text (table names, values, the
    /// server's state): it stays in the log, under the request id the answer names.
    static func withholdingServerDetail(_ problem: Problem) -> Problem {
        guard let id = problem.requestID else { return problem }
        var answer = problem
        switch problem.type {
        case .outcomeUnknown:
            answer.detail = "the connection to the database broke after the commit was sent; the write may or may not be recorded. "
                + "Retrying with the same Idempotency-Key is safe (details in the daemon's log, request \(id))"
        case .unavailable:
            answer.detail = "the database is unavailable or busy; nothing was written, retry shortly (details in the daemon's log, request \(id))"
        default:
            answer.detail = "the daemon failed to answer (details in the daemon's log, request \(id))"
        }
        return answer
    }

    private static func requestID() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    private func admit(_ request: Request, _ caller: AuthorizedCaller?) throws {
        if request.headers[.origin] != nil || request.headers[.referer] != nil {
            throw Problem(.forbidden, detail: "requests carrying Origin or Referer are refused: browsers may not reach this socket")
        }
        guard let caller, caller.role != nil else {
            let who = caller.map { "user \($0.user) (uid \($0.uid))" } ?? "the caller"
            throw Problem(.forbidden, detail: "\(who) has no role; an administrator can map the user or one of its groups to reader, recorder or admin")
        }
    }
}
