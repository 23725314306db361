import Dispatch
import Hummingbird
import Metrics
import Synchronization

/// Counts every request by route template, method and status, and times it
/// (`shido_http_requests_total`, `shido_http_request_duration_seconds`), refusals included:
/// it runs outside the gateway, which turns every failure into a problem response.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let handles = RequestMetricHandles()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let key = RequestMetricHandles.Key(route: context.endpointPath ?? "unknown", method: request.method, status: response.status.code)
        let (counter, timer) = handles[key]
        counter.increment()
        timer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
        return response
    }
}

/// The metric handles per route, method and status, made once: the factory's own lookup
/// takes its lock and builds the label set on every call.
final class RequestMetricHandles: Sendable {
    struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private let handles = Mutex<[Key: (Counter, Metrics.Timer)]>([:])

    subscript(key: Key) -> (Counter, Metrics.Timer) {
        handles.withLock { handles in
            if let known = handles[key] { return known }
            let dimensions = [("route", key.route), ("method", key.method.rawValue), ("status", String(key.status))]
            let made = (Counter(label: "shido_http_requests_total", dimensions: dimensions),
                        Metrics.Timer(label: "shido_http_request_duration_seconds", dimensions: dimensions))
            handles[key] = made
            return made
        }
    }
}
