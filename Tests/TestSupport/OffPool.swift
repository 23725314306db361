import Foundation

/// Runs blocking work (libpq, initdb) on a thread of its own, so that it never holds one of
/// the few threads Swift's cooperative pool has (tests run in parallel and would starve).
public func offPool<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
    }
}
