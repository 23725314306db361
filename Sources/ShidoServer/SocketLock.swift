#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An exclusive lock beside the socket, held for the daemon's life.
///
/// Guarantees: while one daemon holds it, a second daemon configured with the same socket
/// path fails to acquire it and does not touch the socket (binding would unlink and steal
/// it). The kernel releases the lock when the process dies, even by kill -9.
public final class SocketLock: Sendable {
    public let path: String
    private let descriptor: Int32

    public struct Held: Error, CustomStringConvertible {
        public let socketPath: String
        public let holder: String

        public var description: String {
            "another shidod (\(holder)) is serving \(socketPath); stop it first, or give this one another --socket"
        }
    }

    public init(socketPath: String) throws {
        path = socketPath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).map { "pid \($0.trimmingCharacters(in: .whitespacesAndNewlines))" }
            close(fd)
            throw Held(socketPath: socketPath, holder: holder ?? "unknown pid")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
