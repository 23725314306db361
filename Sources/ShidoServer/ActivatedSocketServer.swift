import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// Serves the router on a listening socket systemd passed in (socket activation), which
/// Hummingbird's `Application` cannot adopt.
///
/// Guarantees: the same routes, context and middleware as `Application`; on graceful
/// shutdown it stops accepting, lets each connection finish the request in flight, then
/// returns (NIO's quiescing, as Hummingbird's own server does). The socket file is
/// systemd's: it is neither created nor removed here.
struct ActivatedSocketServer: Service {
    let descriptor: Int32
    let responder: RouterResponder<ShidoRequestContext>
    let logger: Logger
    let onReady: @Sendable () async -> Void

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let http = HTTP1Channel(responder: respond)
        let logger = self.logger
        let listener = try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .bind(NIOBSDSocket.Handle(descriptor), cleanupExistingSocketFile: false) { channel in
                http.setup(channel: channel, logger: logger)
            }
        await onReady()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { connections in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await http.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("accepting connections failed: \(error)")
                }
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: nil)
        }
    }

    private func respond(_ request: Request, _ writer: consuming ResponseWriter, _ channel: any Channel) async throws {
        let context = ShidoRequestContext(source: .init(channel: channel, logger: logger))
        let response = try await responder.respond(to: request, context: context)
        try await writer.write(response: response.head, body: response.body)
    }
}
