import Foundation
@testable import Projections
import Synchronization
import Testing
import TestSupport

/// The board between the projectors and the queries, without PostgreSQL.
@Suite("Projection board")
struct ProjectionBoardTests {
    let board = ProjectionBoard(projections: ShippedProjections.all)
    let engagements = EngagementsProjection().name

    @Test("a query that starts waiting for a projection ends that projection's gathering at once")
    func queryEndsGathering() async throws {
        let gathered = try await gathering(for: 60_000) {
            #expect(await board.wait(for: [engagements], toReach: 7, timeout: .milliseconds(20)) == false)
        }
        #expect(gathered, "the gathering ran its full minute")
    }

    @Test("a projector with a query already waiting for it does not gather at all")
    func noGatheringWhileAwaited() async throws {
        async let waiting = board.wait(for: [engagements], toReach: 7, timeout: .seconds(60))
        try await eventually { board.isAwaited(engagements) }
        #expect(try await gathering(for: 60_000) {})
        board.update(engagements) { $0.position = 7 }
        #expect(await waiting)
    }

    /// Runs `board.gather` for `milliseconds` on a thread of its own while `meanwhile` runs;
    /// true when the gathering ended within ten seconds.
    private func gathering(for milliseconds: Int32, meanwhile: () async -> Void) async throws -> Bool {
        let ended = Atomic<Bool>(false)
        let board = board, name = engagements
        Thread.detachNewThread {
            board.gather(name, milliseconds: milliseconds)
            ended.store(true, ordering: .releasing)
        }
        await meanwhile()
        return (try? await eventually { ended.load(ordering: .acquiring) }) != nil
    }

    private struct NotYet: Error {}

    private func eventually(_ condition: () -> Bool) async throws {
        guard try await TestSupport.eventually(timeout: .seconds(10), { condition() }) else { throw NotYet() }
    }
}
