import ArgumentParser
import CommandHandling
import EventStore
import Foundation
import Logging
import Migrations
import ProgramViews
import Projections
import ServiceLifecycle
import ShidoServer

/// `shidod serve`: the daemon.
struct Serve: AsyncParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        abstract: "Serve the socket API (the default).",
        discussion: """
            Start-up: take the socket's lock (a second daemon on the same socket stops here), \
            open the database (starting the embedded cluster if none is configured), apply \
            migrations, then listen. Under systemd (Type=notify) it reports READY=1 only then, \
            STATUS= with the log's head, WATCHDOG=1 when WatchdogSec= is set, and STOPPING=1. \
            SIGTERM or SIGINT: stop accepting, answer the requests in flight, commit their \
            appends, close the database, stop the embedded cluster.
            """
    )

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let settings = try options.resolve()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "shidod")
        let inherited = SocketActivation.inheritedSocket()
        var lock: SocketLock?
        if inherited == nil {
            try FileManager.default.createDirectory(
                atPath: (settings.socketPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            lock = try SocketLock(socketPath: settings.socketPath)
        }
        let database = try OpenDatabase.open(settings)
        defer { database.close() }
        let report = try Migrator().migrate(database.settings)
        for name in report.applied { logger.info("applied migration \(name)") }
        var storeConfiguration = EventStoreConfiguration()
        // Short enough that a caller hears "unavailable" (503) soon; long enough to ride out a PostgreSQL restart.
        storeConfiguration.reconnectTimeout = .seconds(5)
        storeConfiguration.readers = 4
        let app = database.settings.assuming(role: "shido_app")
        let store = EventStore(settings: app, configuration: storeConfiguration)
        let projections = ProjectionService(settings: app, logger: logger)
        let views = ViewSupport(reader: ViewReader(settings: app, board: projections.board), board: projections.board)
        projections.start()
        do {
            try await serve(store: store, views: views, settings: settings, database: database, inherited: inherited, logger: logger)
        } catch {
            await stop(projections, views, store)
            throw error
        }
        await stop(projections, views, store)
        withExtendedLifetime(lock) { logger.info("stopped") }
    }

    /// In-flight requests are done by now; projections finish their page, then the store flushes.
    private func stop(_ projections: ProjectionService, _ views: ViewSupport, _ store: EventStore) async {
        await projections.stop()
        views.reader.shutdown()
        await store.shutdown()
    }

    private func serve(
        store: EventStore, views: ViewSupport, settings: DaemonSettings, database: OpenDatabase, inherited: Int32?, logger: Logger
    ) async throws {
        let notifier = SystemdNotifier()
        let configuration = settings.serverConfiguration()
        for group in configuration.policy.unknownGroups { logger.warning("role group '\(group)' does not exist on this system") }
        let listening = inherited == nil ? settings.socketPath : "the socket systemd passed in"
        let app = try ShidoHTTPServer.service(
            handler: CommandHandler(store: store), views: views, info: DaemonInfo(version: Self.version, database: database.description),
            configuration: configuration, logger: logger, inheritedSocket: inherited
        ) {
            let head = try? await store.head()
            notifier.notify("READY=1\nSTATUS=serving \(listening), head position \(head.map { String($0.position) } ?? "unknown")")
            logger.info("listening on \(listening) (\(database.description))")
        }
        let status = StatusReporter(store: store, board: views.board, notifier: notifier, socketPath: settings.socketPath)
        let group = ServiceGroup(services: [app, status], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// Keeps systemd informed: STATUS= with the head every few seconds, WATCHDOG=1 when asked,
/// STOPPING=1 as soon as shutdown begins.
struct StatusReporter: Service {
    let store: EventStore
    let board: ProjectionBoard
    let notifier: SystemdNotifier
    let socketPath: String

    func run() async throws {
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        let interval = min(notifier.watchdogInterval ?? .seconds(10), .seconds(10))
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await report()
            }
        }
        notifier.notify("STOPPING=1")
    }

    private func report() async {
        if notifier.watchdogInterval != nil { notifier.notify("WATCHDOG=1") }
        let head = try? await store.head()
        let views = board.statuses.map { status in
            "\(status.name) \(status.state.rawValue)" + (head.map { " lag \(max(0, $0.position - status.position))" } ?? "")
        }
        notifier.notify("STATUS=serving \(socketPath), " + (head.map { "head position \($0.position)" } ?? "database unavailable")
            + "; projections: " + views.joined(separator: ", "))
    }
}
