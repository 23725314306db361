import Foundation

/// A dedicated thread that owns one PostgreSQL session and runs jobs on it, one at a time.
///
/// Guarantees: libpq's blocking calls run on this thread only, never on Swift's cooperative
/// pool; jobs run in submission order and never interleave; a broken connection is replaced
/// by a new one before the next job. After `shutdown()` new jobs fail with `.connection`.
public final class PostgresWorker: Sendable {
    public let name: String
    private let jobs = JobQueue<PostgresSession>()

    public init(name: String, settings: ConnectionSettings) {
        self.name = name
        let jobs = self.jobs
        let thread = Thread {
            let session = PostgresSession(settings: settings)
            while let job = jobs.next() { job(session) }
            session.discard()
        }
        thread.name = name
        thread.start()
    }

    deinit { jobs.close() }

    /// Runs `body` on the worker's thread with its session and returns the result.
    public func run<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresSession) throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = jobs.add { session in
                continuation.resume(with: Swift.Result { try body(session) })
            }
            if !accepted {
                continuation.resume(throwing: PostgresError(kind: .connection, message: "worker \(name) is shut down"))
            }
        }
    }

    /// Queues `body` without waiting for it; returns false when the worker is shut down.
    @discardableResult
    public func submit(_ body: @escaping @Sendable (PostgresSession) -> Void) -> Bool {
        jobs.add(body)
    }

    /// Lets queued jobs finish, then closes the session and ends the thread.
    public func shutdown() { jobs.close() }
}

/// The session a worker's jobs use: the current connection, opened on demand.
///
/// Guarantees: used only on its worker's thread; `connection()` returns an open connection
/// or throws `.connection`; `discard()` drops a broken one so the next call reconnects.
public final class PostgresSession {
    public let settings: ConnectionSettings
    private var current: PostgresConnection?

    public init(settings: ConnectionSettings) { self.settings = settings }

    public func connection() throws(PostgresError) -> PostgresConnection {
        if let current, current.isOpen { return current }
        discard()
        let fresh = try PostgresConnection(settings)
        current = fresh
        return fresh
    }

    public func discard() {
        current?.close()
        current = nil
    }

    /// Runs `body` on a connection; on a connection failure, drops the connection so the
    /// next call starts fresh, then rethrows.
    public func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        do {
            return try body(try connection())
        } catch let error as PostgresError where error.isConnectionFailure {
            discard()
            throw error
        }
    }
}

/// A closable FIFO of jobs for one consumer thread.
final class JobQueue<Context>: @unchecked Sendable {
    typealias Job = @Sendable (Context) -> Void
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var head = 0
    private var closed = false

    /// Adds a job; false when the queue is closed.
    func add(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        pending.append(job)
        condition.signal()
        return true
    }

    /// The next job, waiting for one; nil once closed and drained.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == pending.count && !closed { condition.wait() }
        guard head < pending.count else { return nil }
        let job = pending[head]
        head += 1
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
