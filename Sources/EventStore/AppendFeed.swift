import Foundation
import Synchronization

/// Appends that arrive in parts while their one transaction is already open: the writer
/// copies each part into the open COPY as it comes, so PostgreSQL ingests the first parts
/// while the caller is still deciding the next (an import of many commands).
///
/// Guarantees: everything sent commits in one transaction, in the order sent, or nothing
/// does: a failed feed (`fail`), a version conflict, a refused row or a lost connection
/// rolls all of it back (a feed is never retried: its parts are gone once copied). Every
/// stream it may write must be named up front (`streams`): their versions are read under
/// the writer lock when the transaction opens.
public final class AppendFeed: Sendable {
    public let streams: [String]
    private let named: Set<String>
    private let state = Mutex(State())
    private let arrived = Wakeup()
    private let limits: EventStoreLimits

    private struct State {
        var parts: [[AppendRequest]] = []
        var next = 0
        var finished = false
        var failure: String?
    }

    /// Why the feed's producer gave up; the transaction is rolled back.
    public struct Abandoned: Error, CustomStringConvertible {
        public let description: String
    }

    public init(streams: [String], limits: EventStoreLimits = .default) {
        self.streams = streams
        named = Set(streams)
        self.limits = limits
    }

    /// Sends the next part: appends to streams named up front, each checked like any append.
    public func send(_ appends: [StreamAppend]) throws {
        for part in appends {
            try limits.check(streamID: part.streamID, events: part.events)
            guard named.contains(part.streamID) else {
                throw EventStoreError.invalidInput(field: "/streamID", reason: "\(part.streamID) was not named when the feed began")
            }
        }
        let requests = appends.map { AppendRequest(streamID: $0.streamID, expected: $0.expected, events: $0.events) }
        state.withLock { $0.parts.append(requests) }
        arrived.signal()
    }

    /// Nothing more will be sent: the transaction may commit.
    public func finish() {
        state.withLock { $0.finished = true }
        arrived.signal()
    }

    /// The producer gave up: the transaction rolls back.
    public func fail(_ reason: String) {
        state.withLock { $0.failure = reason }
        arrived.signal()
    }

    /// The next part, waiting for it (on the writer thread); nil once finished.
    func next() throws(Abandoned) -> [AppendRequest]? {
        while true {
            let taken: Result<[AppendRequest]?, Abandoned>? = state.withLock { state in
                if let failure = state.failure { return .failure(Abandoned(description: failure)) }
                if state.next < state.parts.count {
                    defer { state.parts[state.next] = []; state.next += 1 }
                    return .success(state.parts[state.next])
                }
                return state.finished ? .success(nil) : nil
            }
            if let taken { return try taken.get() }
            arrived.wait(until: nil)
        }
    }
}
