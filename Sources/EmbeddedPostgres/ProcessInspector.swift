import Foundation
import Glibc

/// What the OS says about a process, read from `/proc`.
enum ProcessInspector {
    static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// The process's current directory (a postmaster's is its data directory).
    static func workingDirectory(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
    }
}

/// The `postmaster.pid` lock file of a cluster.
struct PostmasterPIDFile {
    let dataDirectory: String
    var path: String { dataDirectory + "/postmaster.pid" }

    var pid: Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(separator: "\n").first
        else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// Removes the file (and the socket lock beside it) when no server of this cluster owns it:
    /// its process is gone, or the pid now belongs to a process elsewhere.
    func removeIfStale() {
        guard let pid else { return }
        let alive = ProcessInspector.isRunning(pid) && ProcessInspector.workingDirectory(of: pid) == dataDirectory
        guard !alive else { return }
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: dataDirectory + "/.s.PGSQL.5432.lock")
    }
}

/// A system account, looked up by name.
struct SystemUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    init?(name: String) {
        guard let entry = getpwnam(name) else { return nil }
        self.name = name
        uid = entry.pointee.pw_uid
        gid = entry.pointee.pw_gid
    }
}
