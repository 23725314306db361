import Foundation
import ShidoClient

/// `shido restore` of the whole benchmark log into a fresh daemon: how long it takes and
/// the daemon's peak memory (the restore streams, so it must not grow with the dump).
enum RestoreBench {
    static func run(_ bench: BenchEnvironment, from source: DaemonUnderTest, label: String, adding earlier: BenchReport) async throws -> BenchReport {
        var report = earlier
        var dump: [UInt8] = []
        let dumped = try await ShidoConnection.withConnection(socketPath: source.socket) { connection in
            try await connection.send(.GET, "/v1/dump") { buffer in dump.append(contentsOf: buffer.readableBytesView) }
        }
        guard dumped.status == 200 else { throw BenchFailure("dump answered \(dumped.status)") }
        let settings = try bench.freshDatabase("restored")
        let target = try await DaemonUnderTest(bench, settings: settings, name: "restore")
        let before = target.peakResidentMiB
        let start = ContinuousClock.now
        let reply = try await ShidoConnection.withConnection(socketPath: target.socket) { connection in
            try await connection.send(.POST, "/v1/restore", contentType: "application/x-ndjson", body: dump)
        }
        let elapsed = ContinuousClock.now - start
        guard reply.status == 200 else { throw BenchFailure("restore answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))") }
        let peak = target.peakResidentMiB
        target.stop()
        ProjectionBench.note(String(format: "restore of %d MiB of dump: %.1f s; shidod peak RSS %.0f MiB (%.0f MiB before)",
                    dump.count >> 20, Double(elapsed.components.seconds), peak, before))
        report.seconds("restore_\(label)", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        report.residentMiB("shidod_restore_\(label)", peak)
        return report
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
