import Foundation
import Glibc

/// Runs a program to completion and captures what it printed: PostgreSQL's own programs
/// (initdb, pg_ctl, pgbench …).
///
/// Built on posix_spawn and waitpid: output goes to a temporary file rather than a pipe
/// (`pg_ctl start` leaves a server running that would hold a pipe open), and descriptors
/// above stderr are closed in the child so the server inherits nothing of ours. The child
/// starts with no signal blocked and every signal at its default action, whatever the
/// spawning thread had: a thread of Swift's pools blocks signals, and a child that inherits
/// that never sees, for instance, the SIGALRM that ends `pgbench -T`.
public enum ProcessRunner {
    public struct Output: Sendable {
        public let status: Int32
        public let text: String
    }

    struct SpawnError: Error, CustomStringConvertible {
        let program: String
        let code: Int32
        var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let logPath = FileManager.default.temporaryDirectory.path + "/shido-process-\(UUID().uuidString).log"
        defer { unlink(logPath) }
        let pid = try spawn(executable, arguments, environment: environment, outputPath: logPath)
        let status = waitForExit(pid)
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return Output(status: status, text: text)
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]?, outputPath: String
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for descriptor in openDescriptorsAboveStderr() {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = envStrings.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(program: executable, code: code) }
        return pid
    }

    /// Descriptors open in this process now (glibc ignores a close action for one closed since).
    private static func openDescriptorsAboveStderr() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { $0 > 2 }
    }

    /// The exit status, or 128 + signal number when the program was killed.
    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let low = status & 0x7f
        return low == 0 ? (status >> 8) & 0xff : 128 + low
    }
}
