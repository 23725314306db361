@testable import EventStore
import Foundation
import Testing

/// The writer's decisions, without PostgreSQL: callers are numbers, time is given.
@Suite("Group commit decisions (no database)")
struct GroupCommitMachineTests {
    typealias Machine = GroupCommitMachine<Int>

    let start = ContinuousClock.now

    func machine(maxEvents: Int = 100, groupDelay: Duration = .milliseconds(1), reconnect: Duration = .seconds(1)) -> Machine {
        Machine(settings: .init(maxEventsPerCommit: maxEvents, groupDelay: groupDelay, reconnectTimeout: reconnect))
    }

    func unit(events: Int = 1) -> AppendUnit {
        AppendUnit(requests: [AppendRequest(
            streamID: "s", expected: .any, events: (0..<events).map { _ in NewEvent(type: "T", data: [:]) })])
    }

    func committed(_ group: [Machine.Queued]) -> Machine.TransactionResult {
        .committed(group.map { _ in .success([AppendResult(streamID: "s", events: [], alreadyRecorded: false)]) })
    }

    /// The callers and lookup flag of a `.commit`, or nil for any other action.
    func commit(_ action: Machine.Action) -> (callers: [Int], lookUpIDs: Bool, group: [Machine.Queued])? {
        guard case .commit(let group, let lookUpIDs) = action else { return nil }
        return (group.map(\.waiter), lookUpIDs, group)
    }

    @Test("a lone caller starts the writer and commits at once, without waiting for company")
    func loneCaller() throws {
        var machine = machine()
        #expect(machine.enqueue(unit(), waiter: 1) == .startWriter)
        let first = try #require(commit(machine.nextAction(now: start)))
        #expect(first.callers == [1] && !first.lookUpIDs)
        let answers = machine.finished(first.group, committed(first.group), now: start)
        #expect(answers.map(\.waiter) == [1])
        guard case .idle = machine.nextAction(now: start) else { Issue.record("expected idle"); return }
        #expect(machine.enqueue(unit(), waiter: 2) == .startWriter)
    }

    @Test("appends queued during a commit go together in the next one, in queue order")
    func queuedDuringACommitGoTogether() throws {
        var machine = machine(groupDelay: .zero)
        _ = machine.enqueue(unit(), waiter: 1)
        let first = try #require(commit(machine.nextAction(now: start)))
        #expect(machine.enqueue(unit(), waiter: 2) == Machine.EnqueueAction.none)
        #expect(machine.enqueue(unit(), waiter: 3) == Machine.EnqueueAction.none)
        _ = machine.finished(first.group, committed(first.group), now: start)
        #expect(try #require(commit(machine.nextAction(now: start))).callers == [2, 3])
    }

    @Test("a group takes at most maxEventsPerCommit events, but a larger single append goes alone, whole")
    func groupsAreBounded() throws {
        var machine = machine(maxEvents: 10, groupDelay: .zero)
        _ = machine.enqueue(unit(events: 4), waiter: 1)
        _ = machine.enqueue(unit(events: 4), waiter: 2)
        _ = machine.enqueue(unit(events: 4), waiter: 3)
        _ = machine.enqueue(unit(events: 25), waiter: 4)
        let first = try #require(commit(machine.nextAction(now: start)))
        #expect(first.callers == [1, 2])
        _ = machine.finished(first.group, committed(first.group), now: start)
        let second = try #require(commit(machine.nextAction(now: start)))
        #expect(second.callers == [3])
        _ = machine.finished(second.group, committed(second.group), now: start)
        #expect(try #require(commit(machine.nextAction(now: start))).callers == [4])
    }

    /// A machine (1 ms group delay) that has just committed callers 1, 2 and 3 together.
    func afterAGroupOfThree() throws -> Machine {
        var machine = machine(groupDelay: .milliseconds(1))
        for caller in 1...3 { _ = machine.enqueue(unit(), waiter: caller) }
        let first = try #require(commit(machine.nextAction(now: start)))
        _ = machine.finished(first.group, committed(first.group), now: start)
        return machine
    }

    @Test("after a group of three, the writer waits for three callers (woken by the third) or until the delay ends")
    func waitsForTheGroupToRefill() throws {
        var machine = try afterAGroupOfThree()
        #expect(machine.enqueue(unit(), waiter: 4) == Machine.EnqueueAction.none)
        guard case .wait(let deadline) = machine.nextAction(now: start) else { Issue.record("expected a wait"); return }
        #expect(deadline == start + .milliseconds(1))
        #expect(machine.enqueue(unit(), waiter: 5) == Machine.EnqueueAction.none)
        #expect(machine.enqueue(unit(), waiter: 6) == .wakeWriter)
        #expect(try #require(commit(machine.nextAction(now: start))).callers == [4, 5, 6])
    }

    @Test("when the delay ends, the writer commits whoever came")
    func commitsWhoeverCameAtTheDeadline() throws {
        var machine = try afterAGroupOfThree()
        _ = machine.enqueue(unit(), waiter: 4)
        #expect(try #require(commit(machine.nextAction(now: start + .milliseconds(1)))).callers == [4])
    }

    @Test("a stale plan is replanned with every id looked up, answering nobody in between")
    func replansWithLookups() throws {
        var machine = machine()
        _ = machine.enqueue(unit(), waiter: 1)
        let first = try #require(commit(machine.nextAction(now: start)))
        #expect(machine.finished(first.group, .needsIDLookup, now: start).isEmpty)
        let again = try #require(commit(machine.nextAction(now: start)))
        #expect(again.callers == [1] && again.lookUpIDs)
        #expect(machine.finished(again.group, committed(again.group), now: start).map(\.waiter) == [1])
    }

    @Test("a broken connection is retried after a doubling backoff with lookups, then fails at the deadline")
    func reconnectsWithBackoffUntilTheDeadline() throws {
        var machine = machine(reconnect: .milliseconds(100))
        _ = machine.enqueue(unit(), waiter: 1)
        var attempt = try #require(commit(machine.nextAction(now: start)))
        var now = start
        var waits: [Duration] = []
        while true {
            let answers = machine.finished(attempt.group, .connectionLost(reason: "gone", commitSent: false), now: now)
            if !answers.isEmpty {
                #expect(answers.count == 1 && answers[0].outcome == .failure(.unavailable("gone")))
                break
            }
            guard case .wait(let until) = machine.nextAction(now: now) else { Issue.record("expected a backoff"); return }
            waits.append(now.duration(to: until))
            now = until
            attempt = try #require(commit(machine.nextAction(now: now)))
            #expect(attempt.lookUpIDs)
        }
        #expect(waits == [.milliseconds(20), .milliseconds(40), .milliseconds(80)])
    }

    @Test("once a COMMIT may have reached the server, a failed retry answers 'outcome unknown', not 'unavailable'")
    func commitSentMeansOutcomeUnknown() throws {
        var machine = machine(reconnect: .milliseconds(10))
        _ = machine.enqueue(unit(), waiter: 1)
        let first = try #require(commit(machine.nextAction(now: start)))
        #expect(machine.finished(first.group, .connectionLost(reason: "lost at commit", commitSent: true), now: start).isEmpty)
        let later = start + .milliseconds(20)
        let retry = try #require(commit(machine.nextAction(now: later)))
        let answers = machine.finished(retry.group, .connectionLost(reason: "still down", commitSent: false), now: later)
        #expect(answers.map(\.outcome) == [.failure(.outcomeUnknown("still down"))])
    }

    @Test("a reconnect that succeeds answers the group with the retried transaction's outcome")
    func reconnectThenCommit() throws {
        var machine = machine()
        _ = machine.enqueue(unit(), waiter: 1)
        let first = try #require(commit(machine.nextAction(now: start)))
        _ = machine.finished(first.group, .connectionLost(reason: "gone", commitSent: true), now: start)
        guard case .wait = machine.nextAction(now: start) else { Issue.record("expected a backoff"); return }
        let retry = try #require(commit(machine.nextAction(now: start + .milliseconds(20))))
        #expect(machine.finished(retry.group, committed(retry.group), now: start).map(\.waiter) == [1])
    }

    @Test("a group the server rejects is split: each append commits alone, only the offending one fails")
    func rejectedGroupsAreSplit() throws {
        var machine = machine(groupDelay: .zero)
        for caller in 1...3 { _ = machine.enqueue(unit(), waiter: caller) }
        _ = machine.enqueue(unit(), waiter: 9)
        let group = try #require(commit(machine.nextAction(now: start)))
        #expect(group.callers == [1, 2, 3, 9])
        let refusal = EventStoreError.unavailable("row too big")
        #expect(machine.finished(group.group, .rejected(refusal), now: start).isEmpty)
        var answered: [Int: Bool] = [:]
        for expected in [1, 2, 3, 9] {
            let alone = try #require(commit(machine.nextAction(now: start)))
            #expect(alone.callers == [expected])
            let result: Machine.TransactionResult = expected == 2 ? .rejected(refusal) : committed(alone.group)
            for answer in machine.finished(alone.group, result, now: start) {
                answered[answer.waiter] = (try? answer.outcome.get()) != nil
            }
        }
        #expect(answered == [1: true, 2: false, 3: true, 9: true])
        guard case .idle = machine.nextAction(now: start) else { Issue.record("expected idle"); return }
    }

    @Test("a fed unit commits alone and is tried once: a lost connection answers it at once, without a retry")
    func fedUnitsGoAloneAndOnce() throws {
        var machine = machine(groupDelay: .zero)
        _ = machine.enqueue(unit(), waiter: 1)
        _ = machine.enqueue(AppendUnit(feed: AppendFeed(streams: ["s"])), waiter: 2)
        _ = machine.enqueue(unit(), waiter: 3)
        let first = try #require(commit(machine.nextAction(now: start)))
        #expect(first.callers == [1])
        _ = machine.finished(first.group, committed(first.group), now: start)
        let fed = try #require(commit(machine.nextAction(now: start)))
        #expect(fed.callers == [2])
        let answers = machine.finished(fed.group, .connectionLost(reason: "gone", commitSent: true), now: start)
        #expect(answers.map(\.waiter) == [2] && answers[0].outcome == .failure(.outcomeUnknown("gone")))
        #expect(try #require(commit(machine.nextAction(now: start))).callers == [3], "no backoff, no second try")
    }

    @Test("the writer lock held elsewhere fails the whole group at once")
    func refusedGroupsFailWhole() throws {
        var machine = machine()
        _ = machine.enqueue(unit(), waiter: 1)
        _ = machine.enqueue(unit(), waiter: 2)
        let group = try #require(commit(machine.nextAction(now: start)))
        let answers = machine.finished(group.group, .refused(.unavailable("lock")), now: start)
        #expect(answers.map(\.waiter) == [1, 2])
        #expect(answers.allSatisfy { $0.outcome == .failure(.unavailable("lock")) })
    }

    @Test("after close, new appends are refused, queued ones still commit, then the writer stops")
    func closeAnswersEverythingAccepted() throws {
        var machine = machine(groupDelay: .zero)
        _ = machine.enqueue(unit(), waiter: 1)
        let first = try #require(commit(machine.nextAction(now: start)))
        _ = machine.enqueue(unit(), waiter: 2)
        machine.close()
        #expect(machine.enqueue(unit(), waiter: 3) == .refuse(.shutDown))
        _ = machine.finished(first.group, committed(first.group), now: start)
        let second = try #require(commit(machine.nextAction(now: start)))
        #expect(second.callers == [2])
        _ = machine.finished(second.group, committed(second.group), now: start)
        guard case .stop = machine.nextAction(now: start) else { Issue.record("expected stop"); return }
    }
}
