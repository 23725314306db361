import ArgumentParser
import CommandHandling
import EventStore
import Foundation
import Logging
import Metrics
import Migrations
import PostgresClient
import Prometheus
import ProgramViews
import Projections
import ServiceLifecycle
import ShidoAPI
import ShidoServer

/// `shidod serve`: the daemon.
struct Serve: AsyncParsableCommand {
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
            switch settings.logFormat {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = settings.logLevel
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = settings.logLevel
                return handler
            }
        }
        let logger = Logger(label: "shidod")
        let metrics = Self.bootstrapMetrics()
        let inherited = SocketActivation.inheritedSocket()
        let lock = try Self.takeSocket(settings, inherited: inherited, logger: logger)
        let database = try OpenDatabase.open(settings, logger: logger)
        defer { database.close() }
        let role = ServingRole(replica: try ReplicaStatus.inRecovery(database.settings) ? .init(writesGoTo: settings.primary) : nil)
        if let replica = role.replica {
            let writes = replica.writesGoTo ?? "the primary's daemon (--primary not set)"
            logger.notice("the database is a hot standby in recovery: this daemon serves reads only (the views as the primary projected them); writes go to \(writes); it becomes the writer if the standby is promoted")
        }
        let report = try Self.migrate(database.settings, role: role)
        for name in report.applied { logger.info("applied migration \(name)") }
        var storeConfiguration = EventStoreConfiguration()
        // Short enough that a caller hears "unavailable" (503) soon; long enough to ride out a PostgreSQL restart.
        storeConfiguration.reconnectTimeout = .seconds(5)
        storeConfiguration.readers = 4
        let app = database.settings.assuming(role: "shido_app")
        let store = EventStore(settings: app, configuration: storeConfiguration)
        let durability = try await Self.checkDurability(store, allowUnsafe: settings.allowUnsafeDurability, logger: logger)
        let projections = ProjectionService(settings: app, logger: logger)
        let views = ViewSupport(reader: ViewReader(settings: app, board: projections.board), board: projections.board)
        do {
            let signer = try CheckpointKey.load(settings, create: role.isWriter)
            let info = DaemonInfo(
                version: ShidoVersion.current, database: database.description, durability: durability, role: role, checkpointSigner: signer)
            try await serve(store: store, projections: projections, views: views, settings: settings, info: info,
                            database: database.settings, metrics: metrics, inherited: inherited, logger: logger)
        } catch {
            await stop(views, store)
            throw error
        }
        await stop(views, store)
        withExtendedLifetime(lock) { logger.info("stopped") }
    }

    /// swift-metrics records into a Prometheus registry that `/metrics` serves. Commits and
    /// requests take from a quarter millisecond to seconds, so the buckets start there.
    private static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1_000, 5_000].map { Duration.microseconds(Int64($0 * 1_000)) }
        factory.valueHistogramBuckets["shido_events_per_commit"] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// A standby cannot be migrated (it is read-only): its schema comes from the primary by
    /// replication, so it must already be this version's.
    private static func migrate(_ settings: ConnectionSettings, role: ServingRole) throws -> Migrator.Report {
        do { return try Migrator().migrate(settings) } catch where !role.isWriter {
            throw ValidationError(
                "the database is a hot standby whose schema is not this version's (\(error)); start this version's shidod on the primary "
                    + "first: its migrations reach the standby by replication")
        }
    }

    /// Guarantee 1 holds only on a server that flushes what it commits: refuse one that does
    /// not, unless told explicitly that the data does not matter.
    private static func checkDurability(_ store: EventStore, allowUnsafe: Bool, logger: Logger) async throws -> DurabilitySettings {
        let durability: DurabilitySettings
        do { durability = try await store.durability() } catch {
            await store.shutdown()
            throw error
        }
        guard !durability.isSafe else { return durability }
        let what = durability.problems.joined(separator: " and ")
        if allowUnsafe {
            logger.warning("serving although \(what): acknowledged appends can be lost in a crash (--allow-unsafe-durability)")
            return durability
        }
        await store.shutdown()
        throw ValidationError(
            "the database runs with \(what): acknowledged appends could be lost in a crash. Turn it on in postgresql.conf, "
                + "or pass --allow-unsafe-durability for a throwaway database")
    }

    /// Takes the socket's lock before anything else, so that a second daemon on the same
    /// path stops here, touching neither the socket nor the database. Under socket
    /// activation the lock is taken where the socket's directory allows it (systemd's
    /// hardened unit makes /run read-only; there systemd itself keeps a second instance out).
    /// A daemon about to bind refuses a path that something already listens on.
    private static func takeSocket(_ settings: DaemonSettings, inherited: Int32?, logger: Logger) throws -> SocketLock? {
        let directory = (settings.socketPath as NSString).deletingLastPathComponent
        guard inherited == nil else {
            do { return try SocketLock(socketPath: settings.socketPath) } catch let error as POSIXError {
                logger.notice("no lock beside \(settings.socketPath) (\(error.code)); relying on systemd to run one instance")
                return nil
            }
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lock = try SocketLock(socketPath: settings.socketPath)
        if SocketProbe.isListening(settings.socketPath) {
            throw ValidationError(
                "something already listens on \(settings.socketPath) (a systemd socket unit, or a daemon started elsewhere); "
                    + "stop it first, or give this daemon another --socket")
        }
        return lock
    }

    /// The services have stopped by now (requests answered, projections' positions stored);
    /// the readers close, then the store flushes.
    private func stop(_ views: ViewSupport, _ store: EventStore) async {
        views.reader.shutdown()
        await store.shutdown()
    }

    /// The daemon's runtime: its long-running parts in dependency order (the group-commit
    /// writer, the replica watcher that tells a reader it was promoted, the projections the
    /// views read, which run only on the writer, the socket API, the systemd reporter); a
    /// graceful shutdown stops them in reverse order.
    private func serve(
        store: EventStore, projections: ProjectionService, views: ViewSupport, settings: DaemonSettings, info: DaemonInfo,
        database: ConnectionSettings, metrics: PrometheusCollectorRegistry, inherited: Int32?, logger: Logger
    ) async throws {
        let notifier = SystemdNotifier()
        let configuration = settings.serverConfiguration()
        for group in configuration.policy.unknownGroups { logger.warning("role group '\(group)' does not exist on this system") }
        let listening = inherited == nil ? settings.socketPath : "the socket systemd passed in"
        let app = try ShidoHTTPServer.service(
            handler: CommandHandler(store: store), views: views, info: info,
            configuration: configuration, metrics: metrics, logger: logger, inheritedSocket: inherited
        ) {
            let head = try? await store.head()
            notifier.notify("READY=1\nSTATUS=serving \(listening), head position \(head.map { String($0.position) } ?? "unknown")")
            logger.info("listening on \(listening) (\(info.database))")
        }
        let status = StatusReporter(store: store, board: views.board, role: info.role, notifier: notifier, socketPath: settings.socketPath)
        let watcher = ReplicaWatcher(role: info.role, settings: database, logger: logger)
        let group = ServiceGroup(
            services: [store.writerService, watcher, WhenWriter(service: projections, role: info.role), app, status],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// Keeps systemd informed: STATUS= with the head every few seconds, WATCHDOG=1 when asked,
/// STOPPING=1 as soon as shutdown begins.
struct StatusReporter: Service {
    let store: EventStore
    let board: ProjectionBoard
    let role: ServingRole
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
        let serving = role.replica.map { "reader of a standby (replay lag \($0.replayLagBytes.map { "\($0) bytes" } ?? "unknown"))" } ?? "writer"
        notifier.notify("STATUS=\(serving) serving \(socketPath), " + (head.map { "head position \($0.position)" } ?? "database unavailable")
            + "; projections: " + views.joined(separator: ", "))
    }
}
