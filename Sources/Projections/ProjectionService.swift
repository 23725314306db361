import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import Synchronization

/// The projections one daemon runs, as one `Service` of the daemon's ServiceGroup: a
/// runner per projection (each on its own `PostgresWorker` thread and connection), and the
/// board queries wait on.
///
/// Guarantees: `run()` drives every runner until graceful shutdown (or cancellation, or
/// `stop()`), then returns once each has stored its positions and let go of its lock.
/// `start()` and `stop()` run it outside a ServiceGroup (tests, the benchmark).
public final class ProjectionService: Service, Sendable {
    public let board: ProjectionBoard
    public let projections: [any Projection]
    private let runners: [ProjectionRunner]
    private let stopSignal = StopSignal()
    private let started = Mutex<Task<Void, Never>?>(nil)

    public init(settings: ConnectionSettings, projections: [any Projection] = ShippedProjections.all, logger: Logger) {
        self.projections = projections
        let board = ProjectionBoard(projections: projections)
        self.board = board
        runners = projections.map { ProjectionRunner(projection: $0, settings: settings, board: board, logger: logger) }
    }

    public func run() async {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    for runner in runners {
                        group.addTask { await runner.run(until: self.stopSignal) }
                    }
                }
            } onGracefulShutdown: {
                self.stopSignal.raise()
            }
        } onCancel: {
            self.stopSignal.raise()
        }
    }

    /// Runs the projections in a task of their own, outside any ServiceGroup.
    public func start() {
        started.withLock { task in
            guard task == nil else { return }
            task = Task { await self.run() }
        }
    }

    /// Stops what `start()` began and waits until every runner has finished.
    public func stop() async {
        stopSignal.raise()
        await started.withLock { $0 }?.value
    }

    /// Asks the daemon running `name` (this one or another) to rebuild it; false when unknown.
    public static func requestRebuild(_ name: String, on connection: PostgresConnection) throws -> Bool {
        try Registry.requestRebuild(name, on: connection)
    }
}
