import CLibPQ
import Glibc

/// One NOTIFY message received on a LISTENing connection.
public struct PostgresNotification: Sendable, Hashable {
    public let channel: String
    public let payload: String
    public let senderPID: Int32
}

/// LISTEN/NOTIFY.
extension PostgresConnection {
    /// Subscribes this session to `channel` (the name is quoted as an identifier).
    public func listen(_ channel: String) throws(PostgresError) {
        let conn = try liveHandle()
        guard let quoted = PQescapeIdentifier(conn, channel, channel.utf8.count) else {
            throw LibPQFailure.connection(conn, context: "could not quote channel name")
        }
        defer { PQfreemem(quoted) }
        try executeScript(StaticOrTrustedSQL(trusted: "LISTEN " + String(cString: quoted)))
    }

    /// Sends `payload` on `channel`; delivered when the current transaction commits.
    public func notify(_ channel: String, payload: String) throws(PostgresError) {
        try execute("SELECT pg_notify($1, $2)", [channel, payload])
    }

    /// Waits up to `timeoutMilliseconds` for notifications and returns those that arrived
    /// (empty on timeout). Throws `.connection` when the link broke.
    public func waitForNotifications(timeoutMilliseconds: Int32) throws(PostgresError) -> [PostgresNotification] {
        let conn = try liveHandle()
        var pending = try drainNotifications(conn)
        if !pending.isEmpty { return pending }
        var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw LibPQFailure.connection(conn, context: "no socket to wait on") }
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 && errno != EINTR {
            throw PostgresError(kind: .connection, message: "poll failed: \(String(cString: strerror(errno)))")
        }
        pending = try drainNotifications(conn)
        return pending
    }

    private func drainNotifications(_ conn: OpaquePointer) throws(PostgresError) -> [PostgresNotification] {
        guard PQconsumeInput(conn) == 1 else { throw LibPQFailure.connection(conn, context: "connection lost while listening") }
        var received: [PostgresNotification] = []
        while let raw = PQnotifies(conn) {
            let note = raw.pointee
            received.append(PostgresNotification(
                channel: String(cString: note.relname), payload: String(cString: note.extra), senderPID: note.be_pid))
            PQfreemem(raw)
        }
        return received
    }
}
