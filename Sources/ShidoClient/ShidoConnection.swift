#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// An answer from the daemon.
public struct Reply: Sendable {
    public let status: Int
    public let contentType: String
    public let body: [UInt8]
    public var headers: [(name: String, value: String)] = []

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
}

/// One keep-alive HTTP/1.1 connection to the daemon's Unix socket.
///
/// Guarantees: requests on one connection are sent one after another and each reply is
/// read in full (or streamed to `onBody`) before the next request; the connection is
/// closed when `withConnection` returns or throws.
public final class ShidoConnection {
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    private init(inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>, outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects, runs `body`, and closes.
    public static func withConnection<Result>(socketPath: String, _ body: (ShidoConnection) async throws -> Result) async throws -> Result {
        let channel = try await connect(socketPath)
        return try await channel.executeThenClose { inbound, outbound in
            try await body(ShidoConnection(inbound: inbound, outbound: outbound))
        }
    }

    private static func connect(_ path: String) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError where error.errnoCode == EACCES {
            throw ClientError.permissionDenied(socket: path)
        } catch let error as IOError {
            throw ClientError.unreachable(socket: path, reason: String(cString: strerror(error.errnoCode)))
        } catch {
            throw ClientError.unreachable(socket: path, reason: "\(error)")
        }
    }

    /// Sends one request; the reply's body is collected unless `onBody` takes it piece by piece.
    public func send(
        _ method: HTTPMethod, _ target: String, contentType: String? = nil, body: [UInt8] = [],
        extraHeaders: [(String, String)] = [], onBody: ((ByteBuffer) throws -> Void)? = nil, onSent: ((Int) -> Void)? = nil
    ) async throws -> Reply {
        var headers = HTTPHeaders([("Host", "localhost"), ("Content-Length", String(body.count))])
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        headers.add(contentsOf: extraHeaders)
        do {
            // In pieces, so that a large body reports its progress and is not copied whole; the
            // head goes with the first piece and the end with the last, so that a request that
            // fits one piece is one write: a daemon may answer and close as soon as it has
            // read the body, and a separate write of the (empty) end would then fail.
            var pending: [HTTPClientRequestPart] = [.head(HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: headers))]
            for start in stride(from: 0, to: body.count, by: 1 << 20) {
                let end = min(body.count, start + (1 << 20))
                pending.append(.body(.byteBuffer(ByteBuffer(bytes: body[start..<end]))))
                if end == body.count { pending.append(.end(nil)) }
                try await outbound.write(contentsOf: pending)
                pending = []
                onSent?(end)
            }
            if !pending.isEmpty { try await outbound.write(contentsOf: pending + [.end(nil)]) }
            return try await readReply(onBody: onBody)
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError.protocolError("\(error)")
        }
    }

    private func readReply(onBody: ((ByteBuffer) throws -> Void)?) async throws -> Reply {
        var head: HTTPResponseHead?
        var collected: [UInt8] = []
        while let part = try await inbound.next() {
            switch part {
            case .head(let responseHead): head = responseHead
            case .body(let buffer):
                if let onBody, head.map({ (200..<300).contains($0.status.code) }) == true {
                    try onBody(buffer)
                } else {
                    collected.append(contentsOf: buffer.readableBytesView)
                }
            case .end:
                guard let head else { throw ClientError.protocolError("a reply without a status line") }
                return Reply(
                    status: Int(head.status.code), contentType: head.headers["Content-Type"].first ?? "", body: collected,
                    headers: head.headers.map { ($0.name, $0.value) })
            }
        }
        throw ClientError.protocolError("the daemon closed the connection before answering")
    }
}
