#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import ShidoAPI

/// The process at the other end of a Unix socket, as the kernel reports it (SO_PEERCRED).
///
/// Guarantees: the values come from the kernel at connect time; the peer cannot forge them.
public struct PeerCredentials: Sendable, Hashable {
    public let pid: Int32
    public let uid: UInt32
    public let gid: UInt32

    /// Reads the credentials of a connected Unix-socket channel.
    static func of(_ channel: any Channel) async throws -> PeerCredentials {
        guard let provider = channel as? any SocketOptionProvider else {
            throw Problem(.forbidden, detail: "the connection is not a Unix socket")
        }
        let raw: UCred = try await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)
        ).get()
        return PeerCredentials(pid: raw.pid, uid: raw.uid, gid: raw.gid)
    }
}

/// glibc's `struct ucred`, which Swift does not import (it needs _GNU_SOURCE).
private struct UCred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
