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

    /// Sends one request and returns the reply's JSON; a problem document becomes a `Failure`.
    func call(_ method: HTTPMethod, _ target: String, json: JSONValue? = nil) async throws -> JSONValue {
        let reply = try await ShidoConnection.withConnection(socketPath: socketPath) { connection in
            try await connection.send(method, target, contentType: json == nil ? nil : "application/json", body: json.map { Array($0.canonicalText.utf8) } ?? [])
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
