#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// Serves the router on the daemon's Unix socket: one it binds (created owner-only, then
/// given its group and mode), or one systemd passed in (socket activation).
///
/// Guarantees: the routes, context and middleware are the router's, as under Hummingbird's
/// `Application`; each connection's requests are handled on its own event loop's thread
/// (`EventLoopExecutor`), so a request costs no hop between that thread and Swift's pool;
/// handlers never block it (libpq runs on its own threads). A connection's peer credentials
/// are read once, when it is accepted (the kernel fixed them at connect). On graceful shutdown it stops
/// accepting, lets each connection finish the request in flight, then returns (NIO's
/// quiescing, as Hummingbird's server does). An inherited socket's file is systemd's: it is
/// neither created nor removed here.
struct SocketServer: Service {
    enum Listening: Sendable {
        case inherited(descriptor: Int32)
        case path(String, group: gid_t?, mode: mode_t)
    }

    let listening: Listening
    let responder: RouterResponder<ShidoRequestContext>
    let logger: Logger
    let onReady: @Sendable () async -> Void

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        // Sets up each connection's pipeline; its requests are answered by `serve`'s own.
        let http = HTTP1Channel { request, writer, channel in try await respond(request, writer, channel, peer: nil) }
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
        let listener = try await bind(bootstrap) { channel in http.setup(channel: channel, logger: logger) }
        await onReady()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { connections in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            let executor = EventLoopExecutor(connection.channel.eventLoop)
                            connections.addTask(executorPreference: executor) { await serve(connection, logger: logger) }
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

    private func bind(
        _ bootstrap: ServerBootstrap, _ setup: @escaping @Sendable (any Channel) -> EventLoopFuture<HTTP1Channel.Value>
    ) async throws -> NIOAsyncChannel<HTTP1Channel.Value, Never> {
        switch listening {
        case .inherited(let descriptor):
            return try await bootstrap.bind(NIOBSDSocket.Handle(descriptor), cleanupExistingSocketFile: false, childChannelInitializer: setup)
        case .path(let path, let group, let mode):
            // Created with no permissions beyond the owner's; the group and mode come after.
            let previous = umask(0o177)
            defer { umask(previous) }
            let listener = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: setup)
            if let group { _ = chown(path, UInt32.max, group) }
            if chmod(path, mode) != 0 { logger.error("cannot set mode \(String(mode, radix: 8)) on \(path): errno \(errno)") }
            return listener
        }
    }

    /// Answers one connection's requests, with its peer read once (nil if that failed: the
    /// gateway then asks again, and refuses the request if it still cannot tell).
    private func serve(_ connection: HTTP1Channel.Value, logger: Logger) async {
        let peer = try? await PeerCredentials.of(connection.channel)
        let http = HTTP1Channel { request, writer, channel in try await respond(request, writer, channel, peer: peer) }
        await http.handle(value: connection, logger: logger)
    }

    private func respond(_ request: Request, _ writer: consuming ResponseWriter, _ channel: any Channel, peer: PeerCredentials?) async throws {
        var context = ShidoRequestContext(source: .init(channel: channel, logger: logger))
        context.peer = peer
        let response = try await responder.respond(to: request, context: context)
        try await writer.write(response: response.head, body: response.body)
    }
}

/// Runs Swift tasks on a NIO event loop's thread: a task that prefers it (a connection's)
/// is resumed where its channel's I/O happens, not on the cooperative pool.
///
/// Guarantees: every job runs on `loop`'s thread, in the order enqueued.
final class EventLoopExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
