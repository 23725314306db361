#if canImport(Glibc)
import Glibc
#endif
import CommandHandling
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import ShidoAPI

/// How the daemon serves its socket.
public struct ServerConfiguration: Sendable {
    public var socketPath: String
    /// The group that owns the socket (nil: the daemon's primary group).
    public var socketGroup: String?
    public var socketMode: mode_t = 0o660
    /// The largest JSON body accepted (413 above it).
    public var maxBodyBytes = 1 << 20
    /// The largest NDJSON import body accepted.
    public var maxImportBytes = 1 << 30
    public var policy: AccessPolicy

    public init(socketPath: String, policy: AccessPolicy) {
        self.socketPath = socketPath
        self.policy = policy
    }
}

/// Builds the daemon's HTTP application on its Unix socket.
///
/// Guarantees: every `Endpoint` is routed behind `GatewayMiddleware`;
/// the socket is created with no permissions beyond the owner's, then given the configured
/// group and mode before `onReady` runs.
public enum ShidoHTTPServer {
    /// `metrics`: the registry the process's swift-metrics backend records into, served at `/metrics`.
    public static func router(
        handler: CommandHandler, views: ViewSupport, info: DaemonInfo, configuration: ServerConfiguration,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) -> Router<ShidoRequestContext> {
        let api = API(
            handler: handler, views: views, info: info, body: BodyReader(maxBytes: configuration.maxBodyBytes),
            bulkLimit: configuration.maxImportBytes, metricsRegistry: metrics)
        let router = Router(context: ShidoRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: GatewayMiddleware(policy: configuration.policy))
        for endpoint in Endpoint.allCases {
            router.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                try await api.respond(to: endpoint, request, context)
            }
        }
        return router
    }

    /// The server as a service: on the socket systemd passed in (`inheritedSocket`), or on
    /// `configuration.socketPath`, created owner-only and then given its group and mode.
    public static func service(
        handler: CommandHandler, views: ViewSupport, info: DaemonInfo, configuration: ServerConfiguration,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger,
        inheritedSocket: Int32?, onReady: @escaping @Sendable () async -> Void
    ) throws -> any Service {
        let router = router(handler: handler, views: views, info: info, configuration: configuration, metrics: metrics)
        let listening: SocketServer.Listening
        if let inheritedSocket {
            listening = .inherited(descriptor: inheritedSocket)
        } else {
            let group = try configuration.socketGroup.map { name in
                guard let gid = SystemAccounts.groupID(named: name) else { throw SocketSetupError(detail: "socket group '\(name)' does not exist") }
                return gid
            }
            listening = .path(configuration.socketPath, group: group, mode: configuration.socketMode)
        }
        return SocketServer(listening: listening, responder: router.buildResponder(), logger: logger, onReady: onReady)
    }
}

public struct SocketSetupError: Error, CustomStringConvertible {
    public let detail: String
    public var description: String { detail }
}
