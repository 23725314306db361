import ArgumentParser
import Foundation
import NIOHTTP1
import ShidoAPI
import ShidoClient
import ShidoJSON

/// Options every command that talks to the daemon shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's socket. Default: $SHIDO_SOCKET, else /run/shidod.sock, else ./state/shidod.sock (where `make run` puts it).", valueName: "path"))
    var socket: String?

    var socketPath: String {
        if let socket { return socket }
        if let variable = ProcessInfo.processInfo.environment["SHIDO_SOCKET"], !variable.isEmpty { return variable }
        let candidates = ["/run/shidod.sock", "state/shidod.sock"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }
}

/// Calls to the daemon, with every failure turned into one readable line and an exit code.
struct Daemon {
    let socketPath: String

    /// The highest position this invocation wrote: later queries in it wait for the views to
    /// include it (read-your-writes). One invocation is one process, and its calls are sequential.
    nonisolated(unsafe) static var lastWrittenPosition: Int64 = 0

    /// The position a query waits for: the one asked (0 does not wait), else this invocation's
    /// last write, else none (the daemon then waits for this caller's last write it remembers).
    static func readYourWrites(_ asked: Int64?) -> Int64? { asked ?? (lastWrittenPosition > 0 ? lastWrittenPosition : nil) }

    /// This invocation's idempotency keys are this id and a counter: each write gets its
    /// own key, and its retries reuse it.
    static let invocation = UUID().uuidString.lowercased()
    nonisolated(unsafe) static var writes = 0

    /// Sends one request and returns the reply's JSON; a problem document becomes a `Failure`.
    /// A write carries an `Idempotency-Key` and is retried with it when no answer came back.
    func call(_ method: HTTPMethod, _ target: String, json: JSONValue? = nil) async throws -> JSONValue {
        let body = json.map { Array($0.canonicalText.utf8) } ?? []
        let reply: Reply
        if method == .GET {
            reply = try await ShidoConnection.withConnection(socketPath: socketPath) { connection in
                try await connection.send(method, target, body: body)
            }
        } else {
            reply = try await send(method, target, contentType: "application/json", body: body)
        }
        let value = try Self.check(reply)
        if method != .GET { Self.noteWrites(in: value) }
        return value
    }

    private static func noteWrites(in reply: JSONValue) {
        for event in reply["events"]?.arrayValue ?? [] {
            if let position = event["position"]?.numberValue.flatMap({ Int64($0.literal) }) {
                lastWrittenPosition = max(lastWrittenPosition, position)
            }
        }
    }

    /// Sends a write with a fresh idempotency key; when the connection drops before an
    /// answer, or the daemon answers 503, sends it again with the same key (the daemon then
    /// records it once), a few times over about 15 s, then gives up with exit 75.
    func send(_ method: HTTPMethod, _ target: String, contentType: String, body: [UInt8], onSent: ((Int) -> Void)? = nil) async throws -> Reply {
        Self.writes += 1
        let key = "\(Self.invocation)-\(Self.writes)"
        var delay = Duration.milliseconds(250)
        var lastTrouble = ""
        for attempt in 1...6 {
            if attempt > 1 {
                Terminal.note("no answer yet (\(lastTrouble)); sending again with the same Idempotency-Key")
                try await Task.sleep(for: delay)
                delay *= 2
            }
            do {
                let reply = try await ShidoConnection.withConnection(socketPath: socketPath) { connection in
                    try await connection.send(method, target, contentType: contentType, body: body, extraHeaders: [("Idempotency-Key", key)], onSent: onSent)
                }
                guard reply.status == 503 else { return reply }
                lastTrouble = Problem(json: (try? JSONParser.parse(reply.body)) ?? .null)?.description ?? "HTTP 503"
                if attempt == 6 { return reply }
            } catch let error as ClientError {
                if case .unreachable = error, attempt == 1 { throw error }
                if case .permissionDenied = error { throw error }
                lastTrouble = error.description
            }
        }
        throw Failure(
            message: "no answer from shidod after 6 tries (\(lastTrouble)); the request may or may not be recorded: run the same command again",
            code: Exit.conflict)
    }

    static func check(_ reply: Reply) throws -> JSONValue {
        let value = try? JSONParser.parse(reply.body)
        guard reply.isSuccess else {
            let problem = value.flatMap(Problem.init(json:))
                ?? Problem(reply.status >= 500 ? .internalError : .badRequest, detail: "HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
            throw Failure(message: problem.description, code: Exit.code(for: problem))
        }
        guard let value else { throw Failure(message: "the daemon's answer is not JSON", code: Exit.serverError) }
        return value
    }

    /// Runs a command body, printing any failure as one line on stderr and exiting with its code.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            Terminal.error(failure.message)
            throw ExitCode(failure.code)
        } catch let error as ClientError {
            Terminal.error(error.description)
            throw ExitCode(Exit.code(for: error))
        }
    }
}
