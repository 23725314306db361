#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An exclusive `flock` on a file, held for the daemon's life; the file names the holder's pid.
///
/// Guarantees: while one process holds it, `acquire` in any other process fails at once
/// (it never waits). The kernel releases the lock when the process dies, even by kill -9.
public final class LockFile: Sendable {
    public let path: String
    private let descriptor: Int32

    /// The lock is held elsewhere; `holder` is what its file says ("pid 1234").
    public struct Held: Error {
        public let path: String
        public let holder: String
    }

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).map { "pid \($0.trimmingCharacters(in: .whitespacesAndNewlines))" }
            close(fd)
            throw Held(path: path, holder: holder ?? "unknown pid")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

/// The lock beside the socket (`<socket>.lock`), taken before anything else, also when
/// systemd passed the socket in.
///
/// Guarantees: while one daemon holds it, a second daemon configured with the same socket
/// path fails to acquire it and touches neither the socket (binding would unlink and steal
/// it) nor the database.
public struct SocketLock: Sendable {
    public let file: LockFile

    public struct Held: Error, CustomStringConvertible {
        public let socketPath: String
        public let holder: String

        public var description: String {
            "another shidod (\(holder)) is serving \(socketPath); stop it first, or give this one another --socket"
        }
    }

    public init(socketPath: String) throws {
        do { file = try LockFile(path: socketPath + ".lock") } catch let held as LockFile.Held {
            throw Held(socketPath: socketPath, holder: held.holder)
        }
    }
}
