import Foundation
import Glibc
import Synchronization

/// Starting the real binaries: output to files (a server would hold a pipe open), no
/// descriptors of ours inherited, exit statuses as shells report them (128 + signal).
enum Spawn {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The directory holding the built products (beside the test runner).
    static let productsDirectory: String = {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (runner as NSString).deletingLastPathComponent
    }()

    static func product(_ name: String) -> String { productsDirectory + "/" + name }

    /// A copy of a product that any user can run: the checkout may sit in a private home
    /// directory (mode 0700, like /root) that `nobody` cannot traverse.
    static func productForAnyone(_ name: String) throws -> String {
        try sharedCopies.withLock { copies in
            if let path = copies[name] { return path }
            let directory = FileManager.default.temporaryDirectory.path + "/shido-bin-\(getpid())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let path = directory + "/" + name
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: product(name), toPath: path)
            chmod(path, 0o755)
            copies[name] = path
            return path
        }
    }

    private static let sharedCopies = Mutex<[String: String]>([:])

    /// Starts a program in the background; its stdout and stderr go to `logPath`.
    /// With `newProcessGroup`, the program leads a process group of its own, as a shell's
    /// foreground job does (a signal to `-pid` then reaches it as Ctrl-C would).
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], logPath: String, stdinPath: String = "/dev/null",
        newProcessGroup: Bool = false
    ) throws -> pid_t {
        try spawn(executable, arguments, environment: environment, stdinPath: stdinPath, stdoutPath: logPath, stderrPath: nil, newProcessGroup: newProcessGroup)
    }

    /// Runs a program to completion.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [], stdinPath: String = "/dev/null") throws -> Result {
        let base = FileManager.default.temporaryDirectory.path + "/shido-spawn-\(UUID().uuidString)"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        let pid = try spawn(executable, arguments, environment: environment, unsetting: unsetting, stdinPath: stdinPath, stdoutPath: base + ".out", stderrPath: base + ".err")
        let status = wait(pid)
        return Result(
            status: status, stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }

    /// Waits for a child to end; nil when it is still running after `timeout`.
    static func wait(_ pid: pid_t, timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        repeat {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return decode(status) }
            if result < 0 && errno != EINTR { return nil }
            usleep(20_000)
        } while ContinuousClock.now < deadline
        return nil
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return decode(status)
    }

    private static func decode(_ status: Int32) -> Int32 {
        let low = status & 0x7f
        return low == 0 ? (status >> 8) & 0xff : 128 + low
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], unsetting: [String] = [], stdinPath: String, stdoutPath: String,
        stderrPath: String?, newProcessGroup: Bool = false
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newProcessGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in names.compactMap({ Int32($0) }).filter({ $0 > 2 }) { posix_spawn_file_actions_addclose(&actions, descriptor) }
        var merged = ProcessInfo.processInfo.environment
        for name in unsetting + ["SHIDO_SOCKET"] { merged.removeValue(forKey: name) }
        merged.merge(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        return pid
    }
}
