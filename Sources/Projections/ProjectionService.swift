import Foundation
import Logging
import PostgresClient

/// The projections one daemon runs: a runner per projection, and the board queries wait on.
///
/// Guarantees: `start` launches every runner (each on its own thread and connection);
/// `stop` returns once every runner has finished its current page and let go of its lock.
public final class ProjectionService: Sendable {
    public let board: ProjectionBoard
    public let projections: [any Projection]
    private let runners: [ProjectionRunner]

    public init(settings: ConnectionSettings, projections: [any Projection] = ShippedProjections.all, logger: Logger) {
        self.projections = projections
        let board = ProjectionBoard(projections: projections)
        self.board = board
        runners = projections.map { ProjectionRunner(projection: $0, settings: settings, board: board, logger: logger) }
    }

    public func start() { runners.forEach { $0.start() } }

    /// Stops every runner without blocking the caller's thread on libpq.
    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [runners] in
                runners.forEach { $0.stop() }
                continuation.resume()
            }
        }
    }

    /// Asks the daemon running `name` (this one or another) to rebuild it; false when unknown.
    public static func requestRebuild(_ name: String, on connection: PostgresConnection) throws -> Bool {
        try Registry.requestRebuild(name, on: connection)
    }
}
