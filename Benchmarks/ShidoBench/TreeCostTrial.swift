import EventStore
import Foundation
import Logging
import PostgresClient
import Projections

/// What keeping the Merkle tree current costs the appends: single-event appends by 64
/// callers while the other projectors run, with and without the tree's projector, in
/// alternating rounds. The tree catches up between rounds, outside the clock, so that each
/// "with" round measures keeping up, not catching up.
enum TreeCostTrial {
    static func run(_ bench: BenchEnvironment, rounds: Int, seconds: Double, adding earlier: BenchReport) async throws -> BenchReport {
        var report = earlier
        let settings = bench.settings.assuming(role: "shido_app")
        let logger = Logger(label: "shido-bench")
        let others = ProjectionService(settings: settings, projections: [DirectoryProjection(), EngagementsProjection()], logger: logger)
        others.start()
        for round in 1...rounds {
            let without = try await StoreTrial.singleAppends(bench, callers: 64, seconds: seconds)
            report.add("store append 1 event, 64 callers, projectors, no tree", round: round, without)
            let tree = ProjectionService(settings: settings, projections: [TreeProjection()], logger: logger)
            tree.start()
            try await caughtUp(tree, bench)
            let with = try await StoreTrial.singleAppends(bench, callers: 64, seconds: seconds)
            await tree.stop()
            report.add("store append 1 event, 64 callers, projectors and the tree", round: round, with)
            report.pair("append_single_c64_with_tree_vs_without", subject: with, baseline: without)
        }
        await others.stop()
        return report
    }

    private static func caughtUp(_ tree: ProjectionService, _ bench: BenchEnvironment) async throws {
        let connection = try PostgresConnection(bench.settings)
        defer { connection.close() }
        let head = try connection.execute("SELECT coalesce(max(position), 0) FROM shido.events").int64(0, 0)
        while (tree.board.status(TreeProjection.name)?.position ?? 0) < head {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
