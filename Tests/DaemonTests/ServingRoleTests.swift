@testable import ShidoServer
import Testing

/// A reader's role, without a database: promotion happens once, and wakes whoever waits for it.
@Suite("Serving role")
struct ServingRoleTests {
    @Test("a reader becomes the writer once; those waiting for it are resumed then; a writer stays one")
    func promotion() async {
        let role = ServingRole(replica: .init(writesGoTo: "the primary"))
        #expect(!role.isWriter && role.replica?.writesGoTo == "the primary")
        async let waited: Void = role.untilWriter()
        role.update { $0.replayLagBytes = 42 }
        #expect(role.replica?.replayLagBytes == 42)
        #expect(role.promote())
        await waited
        #expect(role.isWriter && role.promotedAt != nil)
        #expect(!role.promote(), "promoted once")
        role.update { $0.replayLagBytes = 7 }
        #expect(role.replica == nil, "a writer has no replica to update")
        await role.untilWriter()  // returns at once
    }

    @Test("a wait for the writer role ends when its task is cancelled")
    func cancelledWait() async {
        let role = ServingRole(replica: .init(writesGoTo: nil))
        let waiting = Task { await role.untilWriter() }
        waiting.cancel()
        await waiting.value
        #expect(!role.isWriter)
    }
}
