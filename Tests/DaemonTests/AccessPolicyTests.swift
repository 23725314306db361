@testable import ShidoServer
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    @Test("roles are cached per uid and gid: the same uid with another primary group gets that group's role")
    func cacheKeysOnGroupToo() throws {
        let policy = AccessPolicy(userRoles: [:], groupRoles: ["daemon": .recorder], daemonUID: 4_000_000)
        let daemonGroup = try #require(SystemAccounts.groupID(named: "daemon"))
        let other = try #require(SystemAccounts.groupID(named: "bin"))
        let uid: UInt32 = 3_999_999  // no such user: its groups are its primary group only
        #expect(policy.caller(for: PeerCredentials(pid: 1, uid: uid, gid: daemonGroup)).role == .recorder)
        #expect(policy.caller(for: PeerCredentials(pid: 1, uid: uid, gid: other)).role == nil)
    }
}
