import Foundation
import Glibc

/// CPU time the kernel charged to processes, read from `/proc/PID/stat` (user + system).
///
/// Unlike a rate, CPU per request does not move with this machine's disk: it is the steady
/// figure for comparing shido with PostgreSQL's own client.
enum ProcessCPU {
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// One process's own CPU seconds so far (and, with `children`, the CPU of the children
    /// it has reaped: a backend that exits during a trial moves there, so the sum stays
    /// continuous).
    static func seconds(of pid: Int32, children: Bool = false) -> Double {
        guard let fields = statFields(pid) else { return 0 }
        // Fields after the command name: state is index 0; utime 11, stime 12, cutime 13, cstime 14.
        let own = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        let reaped = children ? (Double(fields[13]) ?? 0) + (Double(fields[14]) ?? 0) : 0
        return (own + reaped) / ticksPerSecond
    }

    /// A PostgreSQL cluster's CPU seconds so far: the postmaster, every live child (backends,
    /// walwriter, checkpointer…) and every child already gone.
    static func cluster(postmaster: Int32) -> Double {
        var total = seconds(of: postmaster, children: true)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let fields = statFields(pid), Int32(fields[1]) == postmaster else { continue }
            total += ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticksPerSecond
        }
        return total
    }

    /// `/proc/PID/stat` after the parenthesised command name (which may hold spaces).
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }
}
