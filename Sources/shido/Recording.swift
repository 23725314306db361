import ArgumentParser
import ShidoJSON
import TerminalOutput

/// Options and printing shared by the commands that record something.
struct RecordOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Record only if the stream is at this version (else exit 75, conflict).", valueName: "n"))
    var expectedVersion: Int64?

    /// Posts the command and prints the events it produced.
    func record(_ path: String, _ body: [String: JSONValue?], method: String = "POST") async throws {
        try await Daemon.run {
            let target = path + (expectedVersion.map { "?expectedVersion=\($0)" } ?? "")
            let reply = try await Daemon(socketPath: connection.socketPath).call(
                method == "PATCH" ? .PATCH : .POST, target, json: .object(body.compactMapValues { $0 }))
            let events = reply["events"]?.arrayValue ?? []
            if reply["unchanged"] == true { Terminal.note("already recorded: nothing changed (\(reply[path: "stream"].cell))") }
            output.print(
                reply, columns: [.init("event id"), .init("type"), .init("position", .right), .init("version", .right)],
                rows: events.map { [$0[path: "id"].cell, $0[path: "type"].cell, $0[path: "position"].cell, $0[path: "streamVersion"].cell] })
        }
    }
}

/// Turning flag text into JSON values; a bad value is a usage error naming the flag.
enum Field {
    static func string(_ text: String?) -> JSONValue? { text.map(JSONValue.string) }

    static func strings(_ texts: [String]) -> JSONValue { .array(texts.map(JSONValue.string)) }

    static func number(_ text: String?, flag: String) throws -> JSONValue? {
        guard let text else { return nil }
        guard let number = JSONNumber(literal: text) else { throw ValidationError("--\(flag) must be a number, not '\(text)'") }
        return .number(number)
    }

    static func integer(_ value: Int?) -> JSONValue? { value.map { .number(JSONNumber($0)) } }

    /// A default id for an entry: stable for the same content, so a repeated command is recognised as a retry.
    static func stableID(prefix: String, _ parts: [String?]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.map({ $0 ?? "" }).joined(separator: "\u{1f}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return prefix + String(hash, radix: 16)
    }
}

import Foundation

extension Field {
    /// Text made safe for one URL path segment.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A query string of the parameters that have a value (`name=value&…`, values encoded).
    static func query(_ parameters: [(String, String?)]) -> String {
        parameters.compactMap { name, value in value.map { "\(name)=\(segment($0))" } }.joined(separator: "&")
    }
}
