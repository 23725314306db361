#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShidoAPI
import Synchronization

/// Who the caller is and what they may do, as the daemon established it.
public struct AuthorizedCaller: Sendable, Hashable {
    public let uid: UInt32
    public let user: String
    /// Nil: the caller is known but mapped to no role, so every request is refused.
    public let role: Role?
}

/// Maps a peer's uid to a user name and a role.
///
/// Guarantees: root and the daemon's own user are admin; otherwise the highest role among
/// the user's explicit mapping and the mapped groups they belong to; anyone else has no
/// role. Answers are cached for a few seconds, so membership changes apply soon without a
/// restart.
public final class AccessPolicy: Sendable {
    /// Role by user name.
    public let userRoles: [String: Role]
    /// Role by group id (group names are resolved once, at start-up).
    private let groupRoles: [UInt32: Role]
    private let daemonUID: UInt32
    /// Keyed by uid and gid: the role depends on the peer's group too.
    private let cache = Mutex<[PeerIdentity: (caller: AuthorizedCaller, at: ContinuousClock.Instant)]>([:])
    private let cacheLifetime: Duration = .seconds(5)

    /// - Parameter groupRoles: role by group name; unknown groups are returned by `unknownGroups`.
    public init(userRoles: [String: Role], groupRoles: [String: Role], daemonUID: UInt32 = getuid()) {
        self.userRoles = userRoles
        self.daemonUID = daemonUID
        var byID: [UInt32: Role] = [:]
        for (name, role) in groupRoles {
            if let gid = SystemAccounts.groupID(named: name) { byID[gid] = max(role, byID[gid] ?? role) }
        }
        self.groupRoles = byID
        unknownGroups = groupRoles.keys.filter { SystemAccounts.groupID(named: $0) == nil }.sorted()
    }

    /// Configured groups that do not exist on this system (worth a warning at start-up).
    public let unknownGroups: [String]

    func caller(for peer: PeerCredentials) -> AuthorizedCaller {
        let now = ContinuousClock.now
        let identity = PeerIdentity(uid: peer.uid, gid: peer.gid)
        if let hit = cache.withLock({ $0[identity] }), now - hit.at < cacheLifetime { return hit.caller }
        let caller = resolve(peer)
        cache.withLock { $0[identity] = (caller, now) }
        return caller
    }

    private struct PeerIdentity: Hashable {
        let uid: UInt32
        let gid: UInt32
    }

    private func resolve(_ peer: PeerCredentials) -> AuthorizedCaller {
        let name = SystemAccounts.userName(uid: peer.uid)
        let user = name ?? "uid-\(peer.uid)"
        if peer.uid == 0 || peer.uid == daemonUID { return AuthorizedCaller(uid: peer.uid, user: user, role: .admin) }
        var roles = [userRoles[user]].compactMap { $0 }
        let groups = name.map { SystemAccounts.groupIDs(user: $0, primary: peer.gid) } ?? [peer.gid]
        roles += groups.compactMap { groupRoles[$0] }
        return AuthorizedCaller(uid: peer.uid, user: user, role: roles.max())
    }
}
