import Foundation
import Glibc

/// The processes of a PostgreSQL cluster, found as the kernel sees them: every postmaster and
/// backend runs with the data directory as its working directory.
enum ClusterProcesses {
    static func pids(dataDirectory: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")) == dataDirectory
            else { return nil }
            return pid
        }
    }

    /// The postmaster: the cluster's process whose parent is not in the cluster.
    static func postmaster(dataDirectory: String) -> pid_t? {
        let all = Set(pids(dataDirectory: dataDirectory))
        return all.first { !all.contains(parent(of: $0) ?? 0) }
    }

    /// Waits (bounded) for the cluster's processes to be gone; returns those that remain.
    static func awaitGone(dataDirectory: String, timeout: Duration = .seconds(30)) async -> [pid_t] {
        let deadline = ContinuousClock.now + timeout
        var remaining = pids(dataDirectory: dataDirectory)
        while !remaining.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            remaining = pids(dataDirectory: dataDirectory)
        }
        return remaining
    }

    private static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }
}
