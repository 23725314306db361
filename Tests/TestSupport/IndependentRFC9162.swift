import Foundation
import ShidoJSON

/// The independent RFC 9162 implementation the tree's tests compare against
/// (Tests/AuditProofsTests/rfc9162.py, Python): one JSON request in, one JSON answer out.
public enum IndependentRFC9162 {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    public static func answer(_ request: JSONValue) throws -> JSONValue {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../AuditProofsTests/rfc9162.py").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Written from another thread: a large request would fill the pipe while the answer waits.
        let text = Data(request.canonicalText.utf8)
        let writer = Thread {
            input.fileHandleForWriting.write(text)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(description: "rfc9162.py exited with \(process.terminationStatus)") }
        return try JSONParser.parse(String(decoding: data, as: UTF8.self))
    }
}
