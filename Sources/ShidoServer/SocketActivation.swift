#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// systemd socket activation: the listening socket systemd passed us, if any.
///
/// Guarantees: a socket is taken only when `LISTEN_PID` is this process and `LISTEN_FDS`
/// is exactly 1 (fd 3); the variables are then removed, so children do not inherit them.
public enum SocketActivation {
    public static func inheritedSocket(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32? {
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              environment["LISTEN_FDS"].flatMap(Int.init) == 1 else { return nil }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        let descriptor: Int32 = 3
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return descriptor
    }
}
