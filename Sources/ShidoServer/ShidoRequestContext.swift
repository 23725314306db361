import Hummingbird
import NIOCore
import ShidoAPI

/// Per-request state: the connection (for its peer credentials, when the server has not
/// read them already) and, once the gateway has run, the authorised caller.
public struct ShidoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The connection's peer, read once when it connected (`SocketServer`).
    var peer: PeerCredentials?
    /// Set by `GatewayMiddleware` before any route runs.
    var caller: AuthorizedCaller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The caller; routes run only behind the gateway, which sets it.
    func authorized() throws -> AuthorizedCaller {
        guard let caller else { throw Problem(.forbidden, detail: "the caller could not be identified") }
        return caller
    }
}
