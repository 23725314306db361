import Foundation
import Glibc

/// Python's `wcwidth` package as the oracle: it reads a JSON list of strings and prints
/// `wcswidth` of each, one per line.
public enum PythonWcwidth {
    public static func widths(_ texts: [String]) throws -> [Int] {
        let directory = FileManager.default.temporaryDirectory.path
        let input = directory + "/shido-wcwidth-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        try JSONSerialization.data(withJSONObject: texts).write(to: URL(fileURLWithPath: input))
        defer { unlink(input) }
        let script = "import json,sys,wcwidth; [print(wcwidth.wcswidth(t)) for t in json.load(open(sys.argv[1]))]"
        guard let pipe = popen("python3 -c '\(script)' '\(input)' 2>&1", "r") else { throw OracleError(output: "popen failed") }
        var bytes: [UInt8] = []
        while case let next = fgetc(pipe), next != EOF { bytes.append(UInt8(truncatingIfNeeded: next)) }
        let output = String(decoding: bytes, as: UTF8.self)
        let status = pclose(pipe)
        let lines = output.split(separator: "\n").map(String.init)
        guard status == 0, lines.count == texts.count else {
            throw OracleError(output: "python3 with the wcwidth package is needed (make test installs it): \(output.prefix(500))")
        }
        return lines.compactMap { Int($0) }
    }

    public struct OracleError: Error, CustomStringConvertible {
        let output: String
        public var description: String { output }
    }
}
