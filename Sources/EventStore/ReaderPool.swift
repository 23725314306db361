import PostgresClient
import Synchronization

/// A few reader connections, each on its own thread, used in turn.
///
/// Guarantees: reads never queue behind the writer; a read that finds its connection
/// broken (the server restarted meanwhile) is run once more on a new connection, since
/// reads change nothing; only a second failure reaches the caller.
final class ReaderPool: Sendable {
    private let workers: [PostgresWorker]
    private let next = Atomic<Int>(0)

    init(settings: ConnectionSettings, count: Int) {
        workers = (0..<max(1, count)).map { PostgresWorker(name: "shido-reader-\($0)", settings: settings) }
    }

    func run<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> Result) async throws -> Result {
        let index = next.add(1, ordering: .relaxed).oldValue % workers.count
        return try await workers[index].run { session in
            do {
                return try session.withConnection(body)
            } catch let error as PostgresError where error.isConnectionFailure {
                return try session.withConnection(body)
            }
        }
    }

    func shutdown() { workers.forEach { $0.shutdown() } }
}
