/// Why a request did not reach the daemon or got no answer.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// Nothing listens on the socket (missing file, refused connection).
    case unreachable(socket: String, reason: String)
    /// The socket exists but this user may not connect to it (its group or mode).
    case permissionDenied(socket: String)
    /// The connection broke or the daemon answered something that is not HTTP.
    case protocolError(String)

    public var description: String {
        switch self {
        case .unreachable(let socket, let reason):
            "cannot reach shidod at \(socket): \(reason). Is the daemon running? (systemctl status shidod, or set SHIDO_SOCKET / --socket)"
        case .permissionDenied(let socket):
            "permission denied on \(socket): ask an administrator to add you to the socket's group"
        case .protocolError(let detail):
            "the connection to shidod failed: \(detail)"
        }
    }
}
