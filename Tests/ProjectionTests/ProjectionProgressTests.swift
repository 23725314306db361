import Projections
import Testing

/// The projection runtime's decisions, without PostgreSQL: each test walks the state machine
/// through the outcomes a driver would report and checks the actions it asks for.
@Suite("Projection progress (pure)")
struct ProjectionProgressTests {
    typealias Cursor = ProjectionProgress.Cursor
    let start = ContinuousClock.now

    /// A machine that holds the lock and has read its registry: live generation 1 at `at`.
    /// Without gathering unless told (`gather` has its own tests).
    func leading(at position: Int64 = 0, rebuild: Cursor? = nil, gatherMilliseconds: Int32 = 0) -> ProjectionProgress {
        var tuning = ProjectionProgress.Tuning()
        tuning.gatherMilliseconds = gatherMilliseconds
        var progress = ProjectionProgress(tuning: tuning)
        #expect(progress.next(now: start) == .connect(afterMilliseconds: 0))
        progress.connected()
        #expect(progress.next(now: start) == .acquireLock)
        progress.lock(acquired: true)
        #expect(progress.next(now: start) == .prepare)
        progress.prepared(live: Cursor(generation: 1, position: position), rebuild: rebuild)
        return progress
    }

    @Test("nothing is applied before the lock; a lost lock means standby, then trying again")
    func lockFirst() {
        var progress = ProjectionProgress()
        _ = progress.next(now: start)
        progress.connected()
        #expect(progress.next(now: start) == .acquireLock)
        progress.lock(acquired: false)
        #expect(progress.state == .standby)
        #expect(progress.next(now: start) == .waitForLock(milliseconds: 1_000))
        progress.lockWaitEnded()
        #expect(progress.next(now: start) == .acquireLock)
        progress.lock(acquired: true)
        #expect(progress.next(now: start) == .prepare)
    }

    @Test("a step behind the head applies the next range at once; one that reached the head checks for a rebuild request, then waits")
    func busyThenIdle() {
        var progress = leading(at: 1)
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 1), page: 20_000))
        progress.advanced(.live, .init(reached: 20_000, stored: true, isAtHead: false))
        #expect(progress.state == .catchingUp)
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 20_000), page: 20_000))
        progress.advanced(.live, .init(reached: 25_000, stored: true, isAtHead: true))
        #expect(progress.state == .live)
        #expect(progress.next(now: start) == .checkRebuildRequest)
        #expect(progress.next(now: start) == .waitForAppends(milliseconds: 500))
        progress.wokeUp(rebuildAnnounced: false)
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 25_000), page: 20_000))
        progress.advanced(.live, .init(reached: 25_000, stored: false, isAtHead: true))
        #expect(progress.next(now: start) == .waitForAppends(milliseconds: 500), "nothing new: no second read, no registry read")
    }

    @Test("while live, the registry is read once a second or when a wake-up announces a rebuild, not on every wake-up")
    func registryReadsWhileLive() {
        var progress = leading(at: 10)
        var now = start
        var registryReads: [Duration] = []
        // Appends arrive every millisecond for three seconds, each its own wake-up.
        for step in 1...3_000 {
            now = start + .milliseconds(step)
            var action = progress.next(now: now)
            if action == .checkRebuildRequest {
                registryReads.append(start.duration(to: now))
                action = progress.next(now: now)
            }
            if case .save(let cursors) = action {
                progress.saved(cursors)
                action = progress.next(now: now)
            }
            if case .advance(.live, _, _) = action {
                progress.advanced(.live, .init(reached: 10 + Int64(step), stored: true, isAtHead: true))
                action = progress.next(now: now)
                if action == .checkRebuildRequest {
                    registryReads.append(start.duration(to: now))
                    action = progress.next(now: now)
                }
            }
            #expect(action == .waitForAppends(milliseconds: 500))
            progress.wokeUp(rebuildAnnounced: step == 1_500)
        }
        #expect(registryReads == [.milliseconds(1), .milliseconds(1_001), .milliseconds(1_501), .milliseconds(2_501)])
    }

    @Test("positions moved over ranges with nothing to apply are stored once a second, busy or idle, and before stopping")
    func savesOncePerSecond() {
        var progress = leading(at: 100)
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 100), page: 20_000))
        progress.advanced(.live, .init(reached: 900, stored: false, isAtHead: false))
        // The first round stores what it skipped at once (nothing was stored before).
        #expect(progress.next(now: start) == .save([Cursor(generation: 1, position: 900, saved: 100)]))
        progress.saved([Cursor(generation: 1, position: 900, saved: 100)])
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 900), page: 20_000))
        progress.advanced(.live, .init(reached: 1_500, stored: false, isAtHead: false))
        // Busy, and less than a second since the last save: straight on.
        #expect(progress.next(now: start + .milliseconds(300)) == .advance(.live, Cursor(generation: 1, position: 1_500, saved: 900), page: 20_000))
        progress.advanced(.live, .init(reached: 2_000, stored: false, isAtHead: false))
        #expect(progress.next(now: start + .milliseconds(1_200)) == .save([Cursor(generation: 1, position: 2_000, saved: 900)]))
        progress.stop()
        #expect(progress.next(now: start + .milliseconds(1_300)) == .save([Cursor(generation: 1, position: 2_000, saved: 900)]))
        progress.saved([Cursor(generation: 1, position: 2_000, saved: 900)])
        #expect(progress.next(now: start + .milliseconds(1_400)) == .stop)
        #expect(progress.state == .stopped)
    }

    @Test("a rebuild advances after the live generation each step, and is swapped in only once caught up at the head")
    func rebuildSwap() {
        var progress = leading(at: 5_000, rebuild: Cursor(generation: 2, position: 0))
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 5_000), page: 20_000))
        progress.advanced(.live, .init(reached: 5_000, stored: false, isAtHead: true))
        #expect(progress.next(now: start) == .build(.rebuild, Cursor(generation: 2, position: 0)))
        progress.advanced(.rebuild, .init(reached: 4_000, stored: true, isAtHead: false))
        // Behind the live generation: no swap, the next round.
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 5_000), page: 20_000))
        progress.advanced(.live, .init(reached: 5_010, stored: true, isAtHead: true))
        #expect(progress.next(now: start) == .advance(.rebuild, Cursor(generation: 2, position: 4_000), page: 20_000))
        progress.advanced(.rebuild, .init(reached: 5_010, stored: true, isAtHead: true))
        #expect(progress.next(now: start) == .swap(from: 1, to: 2))
        progress.swapped(at: start)
        #expect(progress.live?.generation == 2 && progress.rebuild == nil)
        // The old generation is dropped only after its delay (queries in flight finish).
        var actions: [ProjectionProgress.Action] = []
        for _ in 0..<4 { actions.append(progress.next(now: start + .seconds(1))) }
        #expect(!actions.contains(.drop(generation: 1)))
        var later: [ProjectionProgress.Action] = []
        for _ in 0..<4 { later.append(progress.next(now: start + .seconds(11))) }
        #expect(later.contains(.drop(generation: 1)))
    }

    @Test("a failed rebuild leaves the live generation live; a failed live generation stops, and still hears a rebuild request")
    func failuresStopOnlyTheirGeneration() {
        var progress = leading(at: 10, rebuild: Cursor(generation: 2, position: 0))
        _ = progress.next(now: start)
        progress.advanced(.live, .init(reached: 10, stored: false, isAtHead: true))
        _ = progress.next(now: start)
        let bad = ProjectionFailure(position: 7, eventID: "e", message: "bug")
        progress.failed(.rebuild, bad)
        #expect(progress.state == .live)
        #expect(progress.rebuild == nil && progress.rebuildFailure == bad)

        var broken = leading(at: 10)
        progress = broken
        broken.failed(.live, bad)
        #expect(broken.state == .failed)
        #expect(broken.next(now: start) == .checkRebuildRequest, "no range is applied to a failed generation")
        broken.rebuildStarted(generation: 2)
        #expect(broken.next(now: start) == .waitForAppends(milliseconds: 500))
        #expect(broken.next(now: start) == .build(.rebuild, Cursor(generation: 2, position: 0)))
    }

    @Test("a generation with nothing applied is built from the whole log at once; if that fails, it goes page by page")
    func buildFromScratchThenPages() {
        var progress = leading(at: 0)
        #expect(progress.next(now: start) == .build(.live, Cursor(generation: 1, position: 0)))
        progress.buildRefused(.live, reason: "out of memory")
        #expect(progress.buildProblem == "out of memory")
        #expect(progress.next(now: start) == .checkRebuildRequest)
        #expect(progress.next(now: start) == .waitForAppends(milliseconds: 500))
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 0), page: 20_000))
        progress.advanced(.live, .init(reached: 20_000, stored: true, isAtHead: false))
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 20_000), page: 20_000))

        var built = leading(at: 0)
        #expect(built.next(now: start) == .build(.live, Cursor(generation: 1, position: 0)))
        built.advanced(.live, .init(reached: 90_000, stored: true, isAtHead: true))
        #expect(built.state == .live)
        #expect(built.next(now: start) == .checkRebuildRequest)
        #expect(built.next(now: start) == .waitForAppends(milliseconds: 500), "appends made meanwhile have queued their wake-ups")
        built.wokeUp(rebuildAnnounced: false)
        #expect(built.next(now: start) == .advance(.live, Cursor(generation: 1, position: 90_000), page: 20_000))

        var tuning = ProjectionProgress.Tuning()
        tuning.buildFromScratch = false
        var paged = ProjectionProgress(tuning: tuning)
        _ = paged.next(now: start); paged.connected(); _ = paged.next(now: start); paged.lock(acquired: true); _ = paged.next(now: start)
        paged.prepared(live: Cursor(generation: 1, position: 0), rebuild: nil)
        #expect(paged.next(now: start) == .advance(.live, Cursor(generation: 1, position: 0), page: 20_000))
    }

    @Test("a lost connection starts again from the lock, waiting longer each time up to 5 s")
    func reconnectBackoff() {
        var progress = leading(at: 10)
        progress.connectionLost("gone")
        #expect(progress.next(now: start) == .connect(afterMilliseconds: 100))
        var waits: [Int32] = []
        for _ in 0..<8 {
            progress.connectionLost("still gone")
            if case .connect(let delay) = progress.next(now: start) { waits.append(delay) }
        }
        #expect(waits == [200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000])
        progress.connected()
        #expect(progress.next(now: start) == .acquireLock)
    }

    @Test("the registry is asked for a rebuild request at least every 50 busy rounds")
    func registryCheckedWhileBusy() {
        var progress = leading()
        var checks = 0
        var position: Int64 = 0
        for _ in 0..<400 {
            let action = progress.next(now: start)
            switch action {
            case .advance(.live, _, _), .build(.live, _):
                position += 1_000
                progress.advanced(.live, .init(reached: position, stored: true, isAtHead: false))
            case .checkRebuildRequest:
                checks += 1
            default:
                break
            }
        }
        #expect(checks >= 3)
    }

    @Test("a wake-up sooner than the gathering span after the last live step gathers for the rest of it, then steps")
    func gathersWhileAppendsKeepComing() {
        var progress = leading(at: 10, gatherMilliseconds: 5)
        #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: 10), page: 20_000))
        progress.advanced(.live, .init(reached: 11, stored: true, isAtHead: true))
        #expect(progress.next(now: start) == .checkRebuildRequest)
        #expect(progress.next(now: start) == .waitForAppends(milliseconds: 500))
        progress.wokeUp(rebuildAnnounced: false)
        let soon = start + .microseconds(1_300)
        #expect(progress.next(now: soon) == .gather(milliseconds: 4), "3.7 ms of the span are left, rounded up")
        #expect(progress.next(now: start + .milliseconds(5)) == .advance(.live, Cursor(generation: 1, position: 11), page: 20_000))
        progress.advanced(.live, .init(reached: 19, stored: true, isAtHead: true))
        #expect(progress.next(now: start + .milliseconds(5)) == .waitForAppends(milliseconds: 500))
        // A wake-up after the span has passed steps at once: a lone append is not held back.
        progress.wokeUp(rebuildAnnounced: false)
        #expect(progress.next(now: start + .milliseconds(11)) == .advance(.live, Cursor(generation: 1, position: 19), page: 20_000))
    }

    @Test("a projector behind the head never gathers: it goes on at once until it reaches the head")
    func noGatheringWhileBehind() {
        var progress = leading(at: 10, gatherMilliseconds: 5)
        for reached in stride(from: Int64(20_010), through: 60_010, by: 20_000) {
            #expect(progress.next(now: start) == .advance(.live, Cursor(generation: 1, position: reached - 20_000), page: 20_000))
            progress.advanced(.live, .init(reached: reached, stored: true, isAtHead: false))
        }
    }
}
