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
            context.caller = policy.caller(for: try await PeerCredentials.of(context.channel))
            try admit(request, context.caller)
            return try await next(request, context)
        } catch {
            var problem = ProblemMapping.problem(for: error)
            let allowed = Endpoint.methods(at: request.uri.path)
            if error is any HTTPResponseError, problem.type == .notFound, !allowed.isEmpty {
                problem = Problem(.methodNotAllowed, detail: "\(request.uri.path) answers \(allowed.map(\.rawValue).joined(separator: ", ")) only")
            }
            context.logger.log(
                level: problem.status >= 500 ? .error : .notice,
                "refused \(request.method) \(request.uri.path): \(problem.status) \(problem)",
                metadata: ["uid": "\(context.caller.map { String($0.uid) } ?? "unknown")", "user": "\(context.caller?.user ?? "unknown")"])
            return JSONResponse.problem(problem)
        }
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
