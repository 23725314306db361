import Foundation
import Glibc
import Synchronization

/// Keep-alive HTTP/1.1 clients on a Unix socket, as lean as pgbench is for PostgreSQL: plain
/// `poll`, `write` and `read` on a few threads, requests written from a template, responses
/// checked for their status and read to their Content-Length. On a two-core machine the
/// client shares the CPU with the daemon and PostgreSQL; a heavy client would measure itself.
enum LeanHTTPClients {
    struct Outcome {
        var requests = 0
        var latenciesMilliseconds: [Double] = []
        var failure: String?
    }

    /// `clients` connections spread over `threads` threads, each sending `request(client, n)`
    /// until `seconds` have passed; every answer must have status `expecting`.
    static func run(
        socket path: String, clients: Int, threads: Int, seconds: Double, expecting: Int,
        request: @escaping @Sendable (_ client: Int, _ n: Int) -> [UInt8]
    ) throws -> Outcome {
        let deadline = Date().addingTimeInterval(seconds)
        let outcomes = Mutex<[Outcome]>([])
        let group = DispatchGroup()
        for thread in 0..<min(threads, clients) {
            let mine = Array(stride(from: thread, to: clients, by: threads))
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                let outcome = drive(path, clients: mine, deadline: deadline, expecting: expecting, request: request)
                outcomes.withLock { $0.append(outcome) }
            }
            worker.start()
        }
        group.wait()
        var total = Outcome()
        for outcome in outcomes.withLock({ $0 }) {
            total.requests += outcome.requests
            total.latenciesMilliseconds += outcome.latenciesMilliseconds
            total.failure = total.failure ?? outcome.failure
        }
        if let failure = total.failure { throw BenchFailure(failure) }
        return total
    }

    private struct Connection {
        let client: Int
        let descriptor: Int32
        var sent = 0
        var sentAt = ContinuousClock.now
        var received: [UInt8] = []
        var open = true
    }

    private static func drive(
        _ path: String, clients: [Int], deadline: Date, expecting: Int, request: (Int, Int) -> [UInt8]
    ) -> Outcome {
        var outcome = Outcome()
        var connections: [Connection] = []
        defer { for connection in connections { close(connection.descriptor) } }
        for client in clients {
            guard let descriptor = connect(path) else {
                outcome.failure = "cannot connect to \(path): \(String(cString: strerror(errno)))"
                return outcome
            }
            connections.append(Connection(client: client, descriptor: descriptor))
        }
        for index in connections.indices { send(&connections[index], request) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var polled = connections.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        while connections.contains(where: \.open) {
            guard poll(&polled, nfds_t(polled.count), 1_000) >= 0 else { continue }
            for index in connections.indices where connections[index].open && polled[index].revents != 0 {
                let count = read(connections[index].descriptor, &buffer, buffer.count)
                guard count > 0 else {
                    outcome.failure = "the daemon closed a connection"
                    connections[index].open = false
                    polled[index].fd = -1
                    continue
                }
                connections[index].received += buffer[0..<count]
                guard let status = completeResponse(&connections[index].received) else { continue }
                guard status == expecting else {
                    outcome.failure = "HTTP \(status), expected \(expecting)"
                    return outcome
                }
                outcome.requests += 1
                outcome.latenciesMilliseconds.append(milliseconds(connections[index].sentAt.duration(to: .now)))
                if Date() < deadline {
                    send(&connections[index], request)
                } else {
                    connections[index].open = false
                    polled[index].fd = -1
                }
            }
        }
        return outcome
    }

    private static func connect(_ path: String) -> Int32? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[offset] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    private static func send(_ connection: inout Connection, _ request: (Int, Int) -> [UInt8]) {
        let bytes = request(connection.client, connection.sent)
        connection.sent += 1
        connection.sentAt = .now
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(connection.descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            written += count
        }
    }

    /// The status of the response at the start of `received` once it is complete (and removes
    /// it), nil while more bytes are needed.
    private static func completeResponse(_ received: inout [UInt8]) -> Int? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = received.firstRange(of: separator)?.upperBound else { return nil }
        let head = String(decoding: received[..<headEnd], as: UTF8.self)
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).drop { $0 == " " }) ?? 0
        }
        guard received.count >= headEnd + length else { return nil }
        let status = Int(head.dropFirst("HTTP/1.1 ".count).prefix(3)) ?? 0
        received.removeFirst(headEnd + length)
        return status
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

extension LeanHTTPClients {
    /// A request with a JSON body.
    static func post(_ path: String, json body: String) -> [UInt8] {
        Array("POST \(path) HTTP/1.1\r\nHost: shidod\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }

    static func get(_ path: String) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: shidod\r\n\r\n".utf8)
    }
}
